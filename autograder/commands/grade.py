"""``python -m autograder check`` and ``grade``: grade exercise modules in sandboxed children and report.

``check`` runs the visible cases of the student's own ``exercises/``; ``grade`` is the official grade of a
submission, with hidden cases seeded from the instructor's secret.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from autograder.commands import EXIT_NOT_ALL_PASSED, EXIT_PASSED, EXIT_USAGE, usage
from autograder.common.files import write_atomically
from autograder.common.project import SECRET_ENV


def main(args: argparse.Namespace) -> int:
    # The sandbox is started first, from a process that has imported torch and nothing secret.
    from autograder.grading.run import open_sandbox
    from autograder.sandbox.runner import Sandbox

    sandboxes: list[Sandbox] = []
    try:
        for _ in range(max(1, args.jobs)):
            sandboxes.append(open_sandbox(getattr(args, "sandbox_user", None)))
    except (PermissionError, LookupError, ValueError) as err:
        for box in sandboxes:
            box.close()
        return usage(str(err))
    try:
        return _grade(args, sandboxes)
    finally:
        for box in sandboxes:
            box.close()


def _secret(args: argparse.Namespace) -> bytes | None:
    if args.secret_file:
        return Path(args.secret_file).read_bytes().strip()
    value = os.environ.pop(SECRET_ENV, None)
    return value.encode() if value else None


def _progress(quiet: bool) -> Callable[[int, int, object], None] | None:
    if quiet or not sys.stderr.isatty():
        return None

    def show(n: int, total: int, op: object) -> None:
        sys.stderr.write(f"\r[{n + 1}/{total}] {op.name:<24}")
        sys.stderr.flush()
        if n + 1 == total:
            sys.stderr.write("\r" + " " * 40 + "\r")

    return show


def _grade(args: argparse.Namespace, sandbox: list[object]) -> int:
    from autograder import registry
    from autograder.grading.run import grade
    from autograder.intake.collect import gather
    from autograder.intake.submission import SubmissionError
    from autograder.report import FORMATS as EXPORTERS
    from autograder.sandbox.limits import Limits

    names = args.ops if args.command == "check" else (args.ops or [])
    try:
        ops = registry.select(names)
    except KeyError as err:
        print(f"error: unknown set or op: {err.args[0]} (see `python -m autograder list`)", file=sys.stderr)
        return EXIT_USAGE
    path = args.dir if args.command == "check" else args.path
    try:
        submission = gather(path)
    except SubmissionError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    mode, secret = "check", None
    if args.command == "grade" and not args.visible_only:
        mode, secret = "grade", _secret(args)
        if secret is None:
            print(f"error: an official grade needs the instructor's secret: --secret-file FILE or ${SECRET_ENV} "
                  "(or --visible-only for the visible cases)", file=sys.stderr)
            return EXIT_USAGE
    report = grade(sandbox, submission, ops, mode=mode, secret=secret, limits=Limits(seconds=args.timeout),
                   progress=_progress(args.quiet))
    text = EXPORTERS[args.format](report)
    if args.output:
        write_atomically(args.output, text)
        print(f"{report.score:g} / {report.max_score:g} points; report written to {args.output}", file=sys.stderr)
    else:
        print(text, end="")
    return EXIT_PASSED if report.all_passed else EXIT_NOT_ALL_PASSED

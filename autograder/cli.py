"""Command line: ``python -m autograder {check,grade,list,submit,batch,nbgrader,gradescope-bundle,student-pack}``.

Exit codes: 0 every selected op passed; 1 graded, but some op did not pass; 2 usage error (unknown op,
missing directory, no secret for an official grade); 3 the grader itself failed.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

EXIT_PASSED, EXIT_NOT_ALL_PASSED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
FORMATS = ("text", "json", "gradescope", "junit", "github")
SECRET_ENV = "AUTOGRADER_SECRET"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m autograder", description="Grade hand-written VJPs.")
    sub = parser.add_subparsers(dest="command", required=True)
    output = argparse.ArgumentParser(add_help=False)
    output.add_argument("--format", choices=FORMATS, default="text", help="report format (default: text)")
    output.add_argument("--output", metavar="FILE", help="write the report here (atomically) instead of stdout")
    output.add_argument("--timeout", type=float, default=20.0, help="seconds allowed per op (default: 20)")
    output.add_argument("--quiet", action="store_true", help="no progress display")
    output.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), metavar="N",
                        help="ops graded at once, each in its own sandboxed child (default: 2 cores' worth)")
    check = sub.add_parser("check", parents=[output], help="check your own exercises/ with the visible cases")
    check.add_argument("ops", nargs="*", metavar="SET|OP", help="sets or ops to check (default: all)")
    check.add_argument("--dir", default="exercises", help="directory with your exercise modules")
    grade = sub.add_parser("grade", parents=[output], help="official grade of a submission directory")
    grade.add_argument("path", help="the submission: a folder laid out like exercises/, a <set>.ipynb, or a zip "
                       "made by `submit`")
    grade.add_argument("--ops", nargs="*", metavar="SET|OP", help="only these sets or ops")
    grade.add_argument("--secret-file", help=f"file with the instructor's secret (or set ${SECRET_ENV})")
    grade.add_argument("--visible-only", action="store_true", help="no hidden cases (no secret needed)")
    grade.add_argument("--sandbox-user", metavar="USER",
                       help="run student code as this unprivileged user (the grader must run as root)")
    listing = sub.add_parser("list", help="list the exercises")
    listing.add_argument("--format", choices=("text", "json"), default="text")
    submit = sub.add_parser("submit", help="bundle your exercise modules into a zip to hand in")
    submit.add_argument("--dir", default="exercises", help="directory with your exercise modules")
    submit.add_argument("-o", "--output", default="submission.zip", help="the zip to write (default: %(default)s)")
    bundle = sub.add_parser("gradescope-bundle", help="write the autograder zip to upload to Gradescope")
    bundle.add_argument("out", metavar="OUT.zip")
    bundle.add_argument("--sets", nargs="*", metavar="SET", help="grade only these sets (default: every op)")
    bundle.add_argument("--secret-file", help="the course secret to ship (default: a new one, only in the zip)")
    bundle.add_argument("--timeout", type=float, default=20.0, help="seconds allowed per op (default: 20)")
    batch = sub.add_parser("batch", help="grade a whole class: grades.csv and feedback per student")
    batch.add_argument("submissions", metavar="SUBMISSIONS_DIR",
                       help="nbgrader course (submitted/<student>/<assignment>/) or one folder or zip per student")
    batch.add_argument("--secret-file", required=True, help="file with the instructor's secret")
    batch.add_argument("-o", "--output", required=True, metavar="OUT_DIR", help="where results and feedback go")
    batch.add_argument("-j", "--jobs", type=int, default=2, help="parallel workers (default: %(default)s)")
    batch.add_argument("--ops", nargs="*", metavar="SET|OP", help="only these sets or ops (default: all)")
    batch.add_argument("--timeout", type=float, default=20.0, help="seconds allowed per op (default: 20)")
    batch.add_argument("--force", action="store_true", help="regrade submissions that are already graded")
    batch.add_argument("--quiet", action="store_true", help="no progress display")
    pack = sub.add_parser("student-pack", help="write the starter kit for students (no solutions, no secret)")
    pack.add_argument("out", metavar="OUT_DIR")
    nbgrader = sub.add_parser("nbgrader", help="nbgrader course tools").add_subparsers(dest="action", required=True)
    build = nbgrader.add_parser("build", help="write an nbgrader course directory: config and one notebook per set")
    build.add_argument("course", metavar="COURSE_DIR")
    build.add_argument("--sets", nargs="*", metavar="SET", help="only these sets (default: every non-empty set)")
    build.add_argument("--course-id", default="autograd-by-hand")
    build.add_argument("--db-url", help="gradebook database URL (default: sqlite gradebook.db in COURSE_DIR)")
    build.add_argument("--secret-file", help="use this secret (default: keep the course's, or make a new one)")
    return parser


def _usage(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


def _unknown(err: KeyError) -> int:
    return _usage(f"unknown set or op: {err.args[0]} (see `python -m autograder list`)")


def grader_env() -> dict[str, str]:
    """The environment for a grader subprocess: this very grader first on the import path, no secret."""
    env = {k: v for k, v in os.environ.items() if k != SECRET_ENV}
    root = str(Path(__file__).resolve().parents[1])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    return env


def _nbgrader(args: argparse.Namespace) -> int:
    from autograder.nbgrader.build import SECRET_FILE, build
    from autograder.nbgrader.sources import SourceError

    try:
        written = build(Path(args.course), args.sets, args.course_id, args.db_url,
                        Path(args.secret_file) if args.secret_file else None)
    except KeyError as err:
        return _usage(f"unknown or empty set: {err.args[0]} (see `python -m autograder list`)")
    except (SourceError, OSError) as err:
        return _usage(str(err))
    for path in written:
        print(f"wrote {path}")
    print(f"next: cd {args.course} && nbgrader generate_assignment <set>   (keep {SECRET_FILE} private)")
    return EXIT_PASSED


def _submit(args: argparse.Namespace) -> int:
    from autograder import archive, registry
    from autograder.submission import SubmissionError, load

    try:
        files = load(args.dir, list(registry.SETS)).files
    except SubmissionError as err:
        return _usage(str(err))
    if not set(files) - {"helpers.py"}:
        return _usage(f"no exercise modules (<set>.py) in {args.dir}")
    data, record = archive.pack(files)
    write_atomically(args.output, data)
    for name, digest in record["files"].items():
        print(f"  {name:<20} {len(files[name]):>8} bytes  sha256 {digest[:16]}")
    print(f"wrote {args.output}: hand this file in. "
          f"Grader {record['grader_version']}, torch {record['torch_version']}.")
    return EXIT_PASSED


def _gradescope_bundle(args: argparse.Namespace) -> int:
    from autograder.gradescope.bundle import bundle

    secret = Path(args.secret_file).read_bytes() if args.secret_file else None
    try:
        data = bundle(secret, args.sets, args.timeout)
    except KeyError as err:
        return _unknown(err)
    write_atomically(args.out, data)
    print(f"wrote {args.out}: upload it as the assignment's autograder (Configure Autograder > Zip file upload).")
    print("It holds the course secret: keep it among instructor files." + (
        "" if secret else " (A new secret was made; pass --secret-file to share one with nbgrader or batch.)"))
    return EXIT_PASSED


def _student_pack(args: argparse.Namespace) -> int:
    from autograder.student_pack import build

    try:
        files = build(Path(args.out))
    except FileExistsError as err:
        return _usage(str(err))
    print(f"wrote {len(files)} files to {args.out}: exercises/, lessons/, the grader, README.md and "
          ".github/workflows/classroom.yml. Make it the template repository of your GitHub Classroom assignment.")
    return EXIT_PASSED


def _batch(args: argparse.Namespace) -> int:
    from autograder import registry
    from autograder.batch import batch

    try:
        ops = registry.select(args.ops or [])
    except KeyError as err:
        return _unknown(err)
    if not Path(args.submissions).is_dir():
        return _usage(f"{args.submissions}: not a directory")
    if not os.access(args.secret_file, os.R_OK) or not Path(args.secret_file).is_file():
        return _usage(f"cannot read the secret file {args.secret_file}")
    if args.jobs < 1:
        return _usage("-j needs at least 1 worker")
    runner, counts = batch(Path(args.submissions), Path(args.output), ops, str(Path(args.secret_file).resolve()),
                           args.jobs, args.timeout, args.force, args.quiet)
    print(f"graded {counts['graded']}, already graded {counts['skipped']}, refused {counts['refused']}, grader "
          f"errors {len(runner.failed)}; wrote {Path(args.output) / 'grades.csv'}", file=sys.stderr)
    if runner.failed:
        print(f"rerun the same command to retry: {', '.join(runner.failed)}", file=sys.stderr)
        return EXIT_NOT_ALL_PASSED
    return EXIT_PASSED


TOOLS = {"nbgrader": _nbgrader, "batch": _batch, "submit": _submit, "gradescope-bundle": _gradescope_bundle,
         "student-pack": _student_pack}
"""Subcommands that run no student code, so they need no sandbox."""


def write_atomically(path: str | Path, content: str | bytes) -> None:
    """Write via a temporary file in the same directory, then rename: never a half-written file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def _secret(args: argparse.Namespace) -> bytes | None:
    if args.secret_file:
        return Path(args.secret_file).read_bytes().strip()
    value = os.environ.pop(SECRET_ENV, None)
    return value.encode() if value else None


def _progress(quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None

    def show(n: int, total: int, op: object) -> None:
        sys.stderr.write(f"\r[{n + 1}/{total}] {op.name:<24}")
        sys.stderr.flush()
        if n + 1 == total:
            sys.stderr.write("\r" + " " * 40 + "\r")

    return show


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command in TOOLS:
        return TOOLS[args.command](args)
    # The sandbox is started first, from a process that has imported torch and nothing secret.
    from autograder.sandbox.runner import Sandbox

    if args.command == "list":
        from autograder.cli_list import render_list

        print(render_list(args.format), end="")
        return EXIT_PASSED
    sandboxes: list[Sandbox] = []
    try:
        for _ in range(max(1, getattr(args, "jobs", 1))):
            sandboxes.append(Sandbox(getattr(args, "sandbox_user", None)))
    except (PermissionError, LookupError, ValueError) as err:
        for box in sandboxes:
            box.close()
        return _usage(str(err))
    try:
        return _grade(args, sandboxes)
    finally:
        for box in sandboxes:
            box.close()


def _grade(args: argparse.Namespace, sandbox: list[object]) -> int:
    from autograder import registry
    from autograder.collect import gather
    from autograder.grading import grade
    from autograder.report import FORMATS as EXPORTERS
    from autograder.sandbox.limits import Limits
    from autograder.submission import SubmissionError

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

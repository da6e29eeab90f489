"""``python -m autograder batch``: grade a whole class (see :mod:`autograder.batch`)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder.commands import EXIT_NOT_ALL_PASSED, EXIT_PASSED, unknown, usage


def main(args: argparse.Namespace) -> int:
    from autograder import registry
    from autograder.batch.runner import batch

    try:
        ops = registry.select(args.ops or [])
    except KeyError as err:
        return unknown(err)
    if not Path(args.submissions).is_dir():
        return usage(f"{args.submissions}: not a directory")
    if not os.access(args.secret_file, os.R_OK) or not Path(args.secret_file).is_file():
        return usage(f"cannot read the secret file {args.secret_file}")
    if args.jobs < 1:
        return usage("-j needs at least 1 worker")
    runner, counts = batch(Path(args.submissions), Path(args.output), ops, str(Path(args.secret_file).resolve()),
                           args.jobs, args.timeout, args.force, args.quiet)
    print(f"graded {counts['graded']}, already graded {counts['skipped']}, refused {counts['refused']}, grader "
          f"errors {len(runner.failed)}; wrote {Path(args.output) / 'grades.csv'}", file=sys.stderr)
    if runner.failed:
        print(f"rerun the same command to retry: {', '.join(runner.failed)}", file=sys.stderr)
        return EXIT_NOT_ALL_PASSED
    return EXIT_PASSED

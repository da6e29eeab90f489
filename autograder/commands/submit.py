"""``python -m autograder submit``: bundle the student's exercise modules into a zip to hand in."""

from __future__ import annotations

import argparse

from autograder.commands import EXIT_PASSED, usage
from autograder.common.files import write_atomically


def main(args: argparse.Namespace) -> int:
    from autograder import registry
    from autograder.intake import archive
    from autograder.intake.submission import SubmissionError, load

    try:
        files = load(args.dir, list(registry.SETS)).files
    except SubmissionError as err:
        return usage(str(err))
    if not set(files) - {"helpers.py"}:
        return usage(f"no exercise modules (<set>.py) in {args.dir}")
    data, record = archive.pack(files)
    write_atomically(args.output, data)
    for name, digest in record["files"].items():
        print(f"  {name:<20} {len(files[name]):>8} bytes  sha256 {digest[:16]}")
    print(f"wrote {args.output}: hand this file in. "
          f"Grader {record['grader_version']}, torch {record['torch_version']}.")
    return EXIT_PASSED

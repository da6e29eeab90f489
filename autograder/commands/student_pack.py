"""``python -m autograder student-pack``: the starter kit for students, without solutions or secret."""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.commands import EXIT_PASSED, usage


def main(args: argparse.Namespace) -> int:
    from autograder.course.student_pack import build

    try:
        files = build(Path(args.out))
    except FileExistsError as err:
        return usage(str(err))
    print(f"wrote {len(files)} files to {args.out}: exercises/, lessons/, the grader, README.md and "
          ".github/workflows/classroom.yml. Make it the template repository of your GitHub Classroom assignment.")
    return EXIT_PASSED

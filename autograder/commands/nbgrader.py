"""``python -m autograder nbgrader build``: an nbgrader course directory, one assignment per exercise set."""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.commands import EXIT_PASSED, usage


def main(args: argparse.Namespace) -> int:
    from autograder.nbgrader.build import SECRET_FILE, build
    from autograder.nbgrader.sources import SourceError

    try:
        written = build(Path(args.course), args.sets, args.course_id, args.db_url,
                        Path(args.secret_file) if args.secret_file else None)
    except KeyError as err:
        return usage(f"unknown or empty set: {err.args[0]} (see `python -m autograder list`)")
    except (SourceError, OSError) as err:
        return usage(str(err))
    for path in written:
        print(f"wrote {path}")
    print(f"next: cd {args.course} && nbgrader generate_assignment <set>   (keep {SECRET_FILE} private)")
    return EXIT_PASSED

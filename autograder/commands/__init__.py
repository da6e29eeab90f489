"""One module per command of ``python -m autograder``; :mod:`autograder.cli` parses and dispatches.

Exit codes: 0 every selected op passed; 1 graded, but some op did not pass; 2 usage error (unknown op,
missing directory, no secret for an official grade); 3 the grader itself failed.
"""

from __future__ import annotations

import sys

EXIT_PASSED, EXIT_NOT_ALL_PASSED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def usage(message: str) -> int:
    """Say what was wrong with the command line; the usage-error exit code."""
    print(f"error: {message}", file=sys.stderr)
    return EXIT_USAGE


def unknown(err: KeyError) -> int:
    return usage(f"unknown set or op: {err.args[0]} (see `python -m autograder list`)")

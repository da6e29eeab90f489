"""``python -m autograder gradescope-bundle``: the autograder zip to upload to Gradescope."""

from __future__ import annotations

import argparse
from pathlib import Path

from autograder.commands import EXIT_PASSED, unknown
from autograder.common.files import write_atomically


def main(args: argparse.Namespace) -> int:
    from autograder.gradescope.bundle import bundle

    secret = Path(args.secret_file).read_bytes() if args.secret_file else None
    try:
        data = bundle(secret, args.sets, args.timeout)
    except KeyError as err:
        return unknown(err)
    write_atomically(args.out, data)
    print(f"wrote {args.out}: upload it as the assignment's autograder (Configure Autograder > Zip file upload).")
    print("It holds the course secret: keep it among instructor files." + (
        "" if secret else " (A new secret was made; pass --secret-file to share one with nbgrader or batch.)"))
    return EXIT_PASSED

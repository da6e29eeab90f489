"""One worker of ``batch``: its own sandbox, then one submission at a time from the coordinator.

Started as ``python -m autograder.batch.worker --secret-file F --timeout S``. It starts its sandbox first
and reads the secret only after that (the zygote never has it). Jobs arrive on stdin as JSON lines
(``{"student", "path", "files": {name: base64}, "ops": [...]}``); each answer is one JSON line on the
original stdout (``{"student", "report", "text"}``). Anything else written to stdout goes to stderr, so
nothing can corrupt the answers.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
from pathlib import Path

from autograder.common import settings
from autograder.grading.run import open_sandbox


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.batch.worker")
    parser.add_argument("--secret-file", required=True)
    parser.add_argument("--timeout", type=float, default=settings.TIMEOUT)
    args = parser.parse_args(argv)
    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    with open_sandbox() as sandbox:
        from autograder import registry
        from autograder.grading.run import grade
        from autograder.intake.submission import Submission
        from autograder.report import text
        from autograder.sandbox.limits import Limits

        secret = Path(args.secret_file).read_bytes().strip()
        limits = Limits(seconds=args.timeout)
        for line in sys.stdin:
            job = json.loads(line)
            files = {name: base64.b64decode(data) for name, data in job["files"].items()}
            report = grade(sandbox, Submission(Path(job["path"]), files), registry.select(job["ops"]),
                           mode="grade", secret=secret, limits=limits)
            answers.write(json.dumps({"student": job["student"], "report": report.as_dict(),
                                      "text": text.render(report)}, default=str) + "\n")
            answers.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())

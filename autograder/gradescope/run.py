"""Inside Gradescope's container: stage the submission, grade it, write ``results/results.json``.

``run_autograder`` calls ``python -m autograder.gradescope.run --root /autograder`` as root. This process
never runs student code: it reads what the student handed in (refusing archives it cannot trust, with
the reason in the results), stages the counted files, runs ``python -m autograder grade`` with the
bundle's secret (student code then runs as the unprivileged ``student`` user when there is one), checks
that the results are well formed, and moves them into place atomically. Exit status 0 means a
``results.json`` was written; anything else leaves ``run_autograder``'s fallback to say the grader failed.
"""

from __future__ import annotations

import argparse
import json
import os
import pwd
import subprocess
import sys
import tempfile
from pathlib import Path

from autograder.common.files import write_atomically
from autograder.common.project import grade_command
from autograder.intake.collect import gather
from autograder.intake.submission import SubmissionError
from autograder.report.gradescope import crashed

CONFIG = "config.json"
SECRET = "secret"
USER_ENV = "AUTOGRADER_STUDENT_USER"


def _user(name: str) -> str | None:
    """The unprivileged user for student code, when this runs as root and the user exists."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(name)
    except KeyError:
        return None
    return name


def _lock(source: Path, results: Path) -> None:
    """Make the bundle (secret included) and the results readable by root only."""
    for path, mode in ((source, 0o700), (source / SECRET, 0o600), (results, 0o700)):
        if path.exists():
            path.chmod(mode)


def _valid(text: str) -> bool:
    try:
        data = json.loads(text)
    except ValueError:
        return False
    return isinstance(data, dict) and isinstance(data.get("score"), int | float) and isinstance(data.get("tests"), list)


def run(root: Path, user_name: str) -> int:
    source, results = root / "source", root / "results" / "results.json"
    config = json.loads((source / CONFIG).read_text(encoding="utf-8"))
    try:
        submission = gather(root / "submission")
    except SubmissionError as err:
        write_atomically(results, crashed(f"your submission was refused: {err}"))
        print(f"refused: {err}")
        return 0
    user = _user(user_name)
    if user:
        _lock(source, results.parent)
    print(f"grading {sorted(submission.files)} (digest {submission.digest[:12]}) as "
          f"{user or 'the current user (no unprivileged user available)'}")
    with tempfile.TemporaryDirectory(prefix="abh-gradescope-") as tmp:
        staged = Path(tmp, "submission")
        staged.mkdir()
        for name, data in submission.files.items():
            (staged / name).write_bytes(data)
        out = results.parent / f".grading.{os.getpid()}.json"
        command = grade_command(staged, "--secret-file", str(source / SECRET), "--format", "gradescope", "--output",
                                str(out), "--quiet", "--timeout", str(config["timeout"]))
        command += ["--ops", *config["sets"]] if config.get("sets") else []
        command += ["--sandbox-user", user] if user else []
        try:
            # cwd: the bundle, never the submission (python -m puts the cwd first on the import path)
            done = subprocess.run(command, cwd=source, capture_output=True, text=True, timeout=config["budget"])
            print(done.stdout + done.stderr)
            status = done.returncode
        except subprocess.TimeoutExpired:
            status = "timeout"
        text = out.read_text(encoding="utf-8") if out.is_file() else ""
        out.unlink(missing_ok=True)
    if status in (0, 1) and _valid(text):
        write_atomically(results, text)
        return 0
    print(f"the grader failed: status {status}")
    write_atomically(results, crashed(f"the autograder itself failed (status {status}); this is not a verdict on "
                                      "your code: please tell your instructor"))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.gradescope.run")
    parser.add_argument("--root", default="/autograder", help="Gradescope's directory (default: %(default)s)")
    parser.add_argument("--user", default=os.environ.get(USER_ENV, "student"),
                        help=f"unprivileged user for student code (default: ${USER_ENV} or student)")
    args = parser.parse_args(argv)
    return run(Path(args.root), args.user)


if __name__ == "__main__":
    sys.exit(main())

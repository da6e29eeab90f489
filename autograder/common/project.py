"""Where this grader lives, and how to start another copy of it in a subprocess."""

from __future__ import annotations

import os
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
"""The ``autograder`` package directory."""
ROOT = PACKAGE.parent
"""The checkout (or unpacked bundle) holding the package, ``exercises/``, ``solutions/`` and ``docs/``."""
SECRET_ENV = "AUTOGRADER_SECRET"
"""The environment variable that may hold the instructor's secret (never passed on to a subprocess)."""


def grader_env() -> dict[str, str]:
    """The environment for a grader subprocess: this very grader first on the import path, no secret."""
    env = {k: v for k, v in os.environ.items() if k != SECRET_ENV}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def grade_command(submission: str | os.PathLike[str], *options: str, python: str = sys.executable) -> list[str]:
    """The command line of an official grade of ``submission`` by this grader."""
    return [python, "-m", "autograder", "grade", str(submission), *options]

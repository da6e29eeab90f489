"""Shared helpers of the class-workflow tests: running the real nbgrader, and one set to build courses from."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from autograder import registry
from tests.conftest import ROOT

SET = next(iter(registry.nonempty_sets()))
"""The set the slow tests build their one nbgrader assignment from (any set works; one keeps them fast)."""


def tool_env() -> dict[str, str]:
    """This checkout's grader on the path, the venv's tools (nbgrader calls ``alembic``) on PATH, no secret."""
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_SECRET"}
    env["PYTHONPATH"] = str(ROOT)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def run_nbgrader(course: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=tool_env(), text=True,
                            capture_output=True, timeout=timeout)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result

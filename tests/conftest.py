"""Shared fixtures: the project root, running the real command line, importing modules by path."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest
import torch

torch.set_num_threads(1)  # test processes fork sandboxes: never start an OpenMP pool first

ROOT = Path(__file__).resolve().parents[1]
# Hostile fixture submissions are data, not tests: one ships a conftest.py that must never be imported.
collect_ignore = ["hostile"]


def run_cli(*args: str, cwd: Path = ROOT, env: dict[str, str] | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``python -m autograder ARGS`` as a user would, in a real subprocess."""
    full_env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_SECRET"}
    full_env["PYTHONPATH"] = str(ROOT)  # this checkout's grader, whatever the venv was installed from
    full_env.update(env or {})
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=cwd, env=full_env, text=True,
                          capture_output=True, timeout=timeout)


def load_module(path: Path, name: str | None = None) -> ModuleType:
    """Import a set module from a submission-like directory as a package member (relative imports work)."""
    package = name or f"_loaded_{path.parent.name}"
    if package not in sys.modules:
        spec = importlib.util.spec_from_file_location(package, path.parent / "__init__.py",
                                                      submodule_search_locations=[str(path.parent)])
        module = importlib.util.module_from_spec(spec)
        sys.modules[package] = module
        if (path.parent / "__init__.py").exists():
            spec.loader.exec_module(module)
    return importlib.import_module(f"{package}.{path.stem}")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def secret_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("secret") / "secret.txt"
    path.write_text("test-course-secret\n")
    return path

"""The built site, once per test session: a real ``mkdocs build --strict`` into a temporary directory."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

MKDOCS = Path(sys.executable).parent / "mkdocs"


def build(config: Path, site_dir: Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH: the hooks and the lesson kernels import this checkout's `autograder`, whatever the venv points at.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "MKDOCS_JUPYTER_CACHE": "false", "PYTHONPATH": str(ROOT)}
    return subprocess.run([str(MKDOCS), "build", "--strict", "-f", str(config), "-d", str(site_dir)],
                          cwd=ROOT, env=env, text=True, capture_output=True, timeout=900)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / ".cache/mathjax/es5/node-main.js").exists():
        pytest.fail("MathJax (which typesets the math when the site is built) is missing: run `make test`")
    site_dir = tmp_path_factory.mktemp("site")
    result = build(ROOT / "mkdocs.yml", site_dir)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-6000:]
    return site_dir

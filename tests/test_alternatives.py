"""Correct implementations written differently from the reference get full marks (no false failures)."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from autograder import registry
from autograder.grading.run import grade, open_sandbox
from autograder.intake.submission import load
from autograder.sandbox.limits import Limits
from tests.conftest import ROOT

MODULES = sorted(p.stem for p in (ROOT / "tests/alternatives").glob("*.py") if p.stem in registry.SETS)


def implemented(path: Path) -> list[str]:
    """The ops whose function (or class) the module defines (one function may be graded as several ops)."""
    defined = {n.name for n in ast.parse(path.read_text()).body if isinstance(n, ast.FunctionDef | ast.ClassDef)}
    return [name for name, op in registry.OPS.items() if op.function in defined]


@pytest.mark.parametrize("module", MODULES)
def test_alternative_implementations_get_full_marks(module: str, tmp_path: Path) -> None:
    path = ROOT / "tests/alternatives" / f"{module}.py"
    shutil.copy(path, tmp_path / f"{module}.py")
    ops = [registry.OPS[name] for name in implemented(path)]
    assert ops
    with open_sandbox() as sandbox:
        report = grade(sandbox, load(tmp_path, list(registry.SETS)), ops, mode="grade", secret=b"alt",
                       limits=Limits())
    failed = {r.op: r.summary for r in report.results if not r.passed}
    assert not failed

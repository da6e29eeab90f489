"""The grader is tested like a product: every known-wrong variant of a reference VJP must lose points.

A mutant is a function ``<function>__<mistake>`` in ``tests/mutants/<set>.py`` (``mul_backward__sign``,
``jacobian_rows__no_zeroing``; a class ``XSinX__saved_cos`` for an exercise that is a class). Each is graded by
the real grader (sandboxed child, visible and hidden cases) as a submission made of the reference module with
that one definition replaced. Every op needs at least three mutants; the kill rate must be 100%.
"""

from __future__ import annotations

import ast
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from autograder import registry
from autograder.grading import grade
from autograder.sandbox.limits import Limits
from autograder.sandbox.runner import Sandbox
from autograder.submission import load
from tests.conftest import ROOT

MIN_MUTANTS = 3


def mutants() -> dict[str, dict[str, ast.FunctionDef | ast.ClassDef]]:
    """op name -> mistake -> definition (renamed to the op's function)."""
    ops_by_function = {op.function: name for name, op in registry.OPS.items()}
    found: dict[str, dict[str, ast.FunctionDef | ast.ClassDef]] = {}
    for path in sorted((ROOT / "tests/mutants").glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and "__" in node.name.strip("_"):
                function, mistake = node.name.split("__", 1)
                node.name = function
                op = ops_by_function.get(function, function.removesuffix("_backward"))
                found.setdefault(op, {})[mistake] = node
    return found


MUTANTS = mutants()
CASES = [(op, mistake) for op, by_mistake in MUTANTS.items() for mistake in by_mistake]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox() as box:
        yield box


def submission_with(tmp: Path, op: registry.Op, mistake: str) -> Path:
    shutil.copy(ROOT / "solutions/helpers.py", tmp / "helpers.py")
    source = (ROOT / "solutions" / f"{op.set}.py").read_text()
    mutant = ast.unparse(MUTANTS[op.name][mistake])
    (tmp / f"{op.set}.py").write_text(f"{source}\n\n# mutant: {mistake}\n{mutant}\n")
    return tmp


def test_every_op_has_at_least_three_known_wrong_variants() -> None:
    short = {op: len(MUTANTS.get(op, {})) for op in registry.OPS if len(MUTANTS.get(op, {})) < MIN_MUTANTS}
    assert not short, f"ops with fewer than {MIN_MUTANTS} mutants: {short}"
    assert set(MUTANTS) <= set(registry.OPS), f"mutants of unknown ops: {set(MUTANTS) - set(registry.OPS)}"


@pytest.mark.parametrize(("name", "mistake"), CASES, ids=[f"{o}-{m}" for o, m in CASES])
def test_known_wrong_variant_loses_its_points(name: str, mistake: str, sandbox: Sandbox, tmp_path: Path) -> None:
    op = registry.OPS[name]
    submission = load(submission_with(tmp_path, op, mistake), list(registry.SETS))
    report = grade(sandbox, submission, [op], mode="grade", secret=b"mutant-secret", limits=Limits())
    [result] = report.results
    assert result.score < result.max_score, f"{name} with mistake {mistake!r} got full marks"

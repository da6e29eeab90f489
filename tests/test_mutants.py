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
from autograder.grading.run import grade, open_sandbox
from autograder.intake.submission import load
from autograder.sandbox.limits import Limits
from autograder.sandbox.runner import Sandbox
from tests.conftest import ROOT

MIN_MUTANTS = 3


def _op_names(function: str) -> tuple[str, ...]:
    """The ops graded on ``function``: usually one; the engine's ``backward`` is graded as several."""
    return tuple(name for name, op in registry.OPS.items() if op.function == function) or (
        function.removesuffix("_backward"),)


def _shared(node: ast.stmt) -> bool:
    """Imports (not ``__future__``) and private helpers: what the mutants of a module may call."""
    if isinstance(node, ast.Import | ast.ImportFrom):
        return getattr(node, "module", None) != "__future__"
    return isinstance(node, ast.FunctionDef | ast.ClassDef) and "__" not in node.name.strip("_")


def mutants() -> tuple[dict[tuple[str, ...], dict[str, ast.FunctionDef | ast.ClassDef]], dict[tuple[str, ...], str]]:
    """ops graded on a function -> mistake -> definition (renamed to the function); and, per group, the
    mutant module's own imports and private helpers, which go into the submission with each mutant."""
    found: dict[tuple[str, ...], dict[str, ast.FunctionDef | ast.ClassDef]] = {}
    preludes: dict[tuple[str, ...], str] = {}
    for path in sorted((ROOT / "tests/mutants").glob("*.py")):
        body = ast.parse(path.read_text()).body
        prelude = [node for node in body if _shared(node)]
        for node in body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and "__" in node.name.strip("_"):
                function, mistake = node.name.split("__", 1)
                node.name = function
                group = _op_names(function)
                found.setdefault(group, {})[mistake] = node
                preludes[group] = "\n".join(ast.unparse(n) for n in prelude)
    return found, preludes


MUTANTS, PRELUDES = mutants()
CASES = [(group, mistake) for group, by_mistake in MUTANTS.items() for mistake in by_mistake]


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with open_sandbox() as box:
        yield box


def _relative(prelude: str, own: str, tmp: Path) -> str:
    """The mutant module's imports as they work inside a submission: names from its own set are already in the
    module, ``solutions.helpers`` and other sets become sibling modules imported relatively."""
    lines = []
    for line in prelude.splitlines():
        if line.startswith(f"from solutions.{own} import"):
            continue
        if line.startswith("from solutions."):
            module = line.split()[1].removeprefix("solutions.")
            if not (tmp / f"{module}.py").exists():
                shutil.copy(ROOT / "solutions" / f"{module}.py", tmp / f"{module}.py")
            line = line.replace(f"from solutions.{module} import", f"from .{module} import", 1)
        lines.append(line)
    return "\n".join(lines)


def submission_with(tmp: Path, group: tuple[str, ...], mistake: str) -> Path:
    op = registry.OPS[group[0]]
    shutil.copy(ROOT / "solutions/helpers.py", tmp / "helpers.py")
    source = (ROOT / "solutions" / f"{op.set}.py").read_text()
    mutant = ast.unparse(MUTANTS[group][mistake])
    prelude = _relative(PRELUDES[group], op.set, tmp)
    (tmp / f"{op.set}.py").write_text(f"{source}\n\n{prelude}\n\n# mutant: {mistake}\n{mutant}\n")
    return tmp


def test_every_op_has_at_least_three_known_wrong_variants() -> None:
    count = {op: sum(len(m) for group, m in MUTANTS.items() if op in group) for op in registry.OPS}
    short = {op: n for op, n in count.items() if n < MIN_MUTANTS}
    assert not short, f"ops with fewer than {MIN_MUTANTS} mutants: {short}"
    unknown = {op for group in MUTANTS for op in group} - set(registry.OPS)
    assert not unknown, f"mutants of unknown ops: {unknown}"


@pytest.mark.parametrize(("group", "mistake"), CASES, ids=[f"{g[0]}-{m}" for g, m in CASES])
def test_known_wrong_variant_loses_points(group: tuple[str, ...], mistake: str, sandbox: Sandbox,
                                          tmp_path: Path) -> None:
    """On the op it is written for, or, for a function graded as several ops, on at least one of them."""
    ops = [registry.OPS[name] for name in group]
    submission = load(submission_with(tmp_path, group, mistake), list(registry.SETS))
    report = grade(sandbox, submission, ops, mode="grade", secret=b"mutant-secret", limits=Limits())
    lost = [r.op for r in report.results if r.score < r.max_score]
    assert lost, f"{group} with mistake {mistake!r} got full marks"
    broken = [r.summary for r in report.results if "could not be imported" in r.summary]
    assert not broken, f"the submission built for {mistake!r} does not import, so it proves nothing: {broken}"

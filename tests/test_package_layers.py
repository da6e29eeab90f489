"""The package is laid out by stage (CONTRIBUTING.md): each module imports only its own stage and earlier ones,
no import cycle (imports inside functions included), and at most 12 modules at the package's top level."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "autograder"
STAGES = [
    ["common", "__init__"],              # policy values, files, the project, the version: below everything
    ["sandbox"],                         # a leaf: handed its drivers, knows no exercise
    ["engine", "library", "drawing"],    # what students and lessons import
    ["kinds"],                           # how each kind of exercise is called and shown
    ["registry"],                        # every exercise declared once
    ["intake", "report.results"],        # a submission in; the result model out
    ["grading"],                         # plan, run, judge, explain
    ["report", "batch", "course", "function"],
    ["nbgrader", "gradescope"],
    ["commands"],
    ["cli", "__main__"],
]
"""Stages in pipeline order. A module may import its own stage and earlier ones, never a later one."""


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


def imports(path: Path) -> set[str]:
    """Every ``autograder.*`` module the file imports, at its top or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("autograder")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("autograder"):
            for alias in node.names:  # ``from autograder.x import y`` may name a module y
                sub = f"{node.module}.{alias.name}"
                found.add(sub if MODULES.get(sub) else node.module)
    return found


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def stage(module: str) -> int:
    rest = module.removeprefix("autograder").lstrip(".") or "__init__"
    best = max((name for names in STAGES for name in names if rest == name or rest.startswith(name + ".")),
               key=len, default=None)
    assert best is not None, f"{module} is in no stage: add it to STAGES and CONTRIBUTING.md"
    return next(i for i, names in enumerate(STAGES) if best in names)


def test_no_module_imports_a_later_stage() -> None:
    wrong = [f"{name} (stage {stage(name)}) imports {other} (stage {stage(other)})"
             for name, path in MODULES.items() for other in imports(path)
             if other in MODULES and stage(other) > stage(name)]
    assert not wrong, "\n".join(wrong)


def test_the_sandbox_imports_nothing_of_the_rest() -> None:
    outside = {f"{name} -> {other}" for name, path in MODULES.items() if name.startswith("autograder.sandbox")
               for other in imports(path) if not other.startswith("autograder.sandbox")}
    assert not outside


def test_there_is_no_import_cycle() -> None:
    graph = {name: {o for o in imports(path) if o in MODULES and o != name} for name, path in MODULES.items()}
    # a package's __init__ importing its own submodules is how packages work, not a cycle of ideas
    for name in graph:
        graph[name] -= {o for o in graph[name] if name != "autograder" and o.startswith(name + ".")}
    seen: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        seen[node] = 1
        stack.append(node)
        for other in sorted(graph[node]):
            if seen.get(other) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*stack[stack.index(other):], other]))
            if other not in seen:
                visit(other)
        stack.pop()
        seen[node] = 2

    for name in sorted(graph):
        if name not in seen:
            visit(name)


def test_at_most_twelve_modules_at_the_top_of_the_package() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 12, top

"""Pieces of ``exercises/`` and ``solutions/`` modules, cut out by AST so no copy is kept by hand.

An answer cell is the exercise's ``def`` line and docstring (what students see) followed by the
solution's body (what nbgrader strips from the student version). Helpers the solution uses, whether
imported from ``.helpers`` or defined beside it, come along the same way.
"""

from __future__ import annotations

import ast
import textwrap
from dataclasses import dataclass
from pathlib import Path


class SourceError(ValueError):
    """A solution or exercise module that does not have the shape the notebook builder needs."""


@dataclass(frozen=True)
class Function:
    name: str
    header: str
    """Decorators, ``def`` line(s) and docstring, exactly as written."""
    signature: str
    """The header without its docstring."""
    body: str
    """The statements after the docstring, dedented."""
    names: frozenset[str]
    """Every name the function's code reads (to find the helpers it needs)."""


@dataclass(frozen=True)
class Module:
    path: Path
    preamble: list[str]
    """Absolute imports and module-level assignments, as written (``from __future__`` left out)."""
    functions: dict[str, Function]
    relative: dict[str, str]
    """Names imported with ``from .module import name`` -> that module's name."""


def _segment(lines: list[str], first: int, last: int) -> str:
    return "\n".join(lines[first - 1:last])


def _function(node: ast.FunctionDef, lines: list[str], path: Path) -> Function:
    start = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    first = node.body[0]
    has_doc = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(
        first.value.value, str)
    header_end = first.end_lineno if has_doc else first.lineno - 1
    if header_end < node.lineno or (has_doc and len(node.body) > 1 and node.body[1].lineno == header_end):
        raise SourceError(f"{path}: {node.name}: put the body on its own lines, below the def and docstring")
    body = _segment(lines, header_end + 1, node.end_lineno) if len(node.body) > has_doc else ""
    names = frozenset(n.id for n in ast.walk(node) if isinstance(n, ast.Name))
    signature = _segment(lines, start, first.lineno - 1) if has_doc else _segment(lines, start, header_end)
    return Function(node.name, _segment(lines, start, header_end), signature, textwrap.dedent(body).strip("\n"),
                    names)


def parse(path: Path) -> Module:
    """Read one module of ``exercises/`` or ``solutions/``."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    tree = ast.parse(text, str(path))
    preamble: list[str] = []
    functions: dict[str, Function] = {}
    relative: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.level:
            relative.update({a.asname or a.name: node.module or "" for a in node.names})
        elif isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        elif isinstance(node, ast.Import | ast.ImportFrom | ast.Assign | ast.AnnAssign):
            preamble.append(_segment(lines, node.lineno, node.end_lineno))
        elif isinstance(node, ast.FunctionDef):
            functions[node.name] = _function(node, lines, path)
    return Module(path, preamble, functions, relative)


def helpers_needed(solution: Module, roots: list[str]) -> tuple[list[Function], list[Module]]:
    """The helper functions ``roots`` use, directly or through each other, in first-use order, and the
    sibling modules they come from (whose imports the notebook needs too).

    A helper is a non-root function of the same module or a name imported from a sibling module.
    """
    siblings: dict[str, Module] = {}
    found: dict[str, Function] = {}
    todo = [(solution, solution.functions[name]) for name in roots]
    while todo:
        module, function = todo.pop(0)
        for name in sorted(function.names - found.keys() - set(roots)):
            home, helper = module, module.functions.get(name)
            if helper is None and name in module.relative:
                source = module.relative[name]
                if source not in siblings:
                    siblings[source] = parse(module.path.with_name(f"{source}.py"))
                home, helper = siblings[source], siblings[source].functions.get(name)
                if helper is None:
                    raise SourceError(f"{module.path}: imports {name} from .{source}, which does not define it")
            if helper is not None:
                found[name] = helper
                todo.append((home, helper))
    return list(found.values()), list(siblings.values())

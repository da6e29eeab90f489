"""A notebook's code as a module: what the grader imports when a student hands in ``<set>.ipynb``.

The module holds every code cell of the notebook except nbgrader's test cells, in order. Each cell runs
inside its own ``try``, so a cell that raises (an unfinished experiment, a failing self-check) does not hide
the definitions of the cells after it, just as in the notebook. IPython-only lines (``%magic``,
``!shell``) are dropped, and a cell that is still not Python is left out with a note.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path
from typing import Any

MAX_NOTEBOOK_BYTES = 8 << 20
IPYTHON_LINE = re.compile(r"^\s*([%!]|\w+\s*=\s*[%!])|\?\s*$")
HEADER = '''"""The code cells of {name}, as the autograder grades them (generated; see autograder.notebook_code)."""

'''
REPORTER = '''def _notebook_cell_failed(cell: int, error: BaseException) -> None:
    print(f"[notebook cell {cell}] {type(error).__name__}: {error}")
'''


class NotebookError(ValueError):
    """A file that is not a readable Jupyter notebook."""


def read(data: bytes, name: str = "notebook") -> dict[str, Any]:
    """Parse notebook JSON (nbformat 4) without trusting it to be well formed."""
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise NotebookError(f"{name}: {len(data)} bytes is larger than the {MAX_NOTEBOOK_BYTES}-byte limit")
    try:
        nb = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise NotebookError(f"{name}: not a Jupyter notebook ({err})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise NotebookError(f"{name}: not a Jupyter notebook (no list of cells)")
    return nb


def _source(cell: dict[str, Any]) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def is_test_cell(cell: dict[str, Any]) -> bool:
    """nbgrader's autograder-test cells: graded, locked, not a student answer."""
    meta = (cell.get("metadata") or {}).get("nbgrader") or {}
    return bool(meta.get("grade")) and not meta.get("solution")


def code_cells(nb: dict[str, Any]) -> list[str]:
    """The source of every code cell a student wrote or ran, in order (nbgrader test cells excluded)."""
    cells = [c for c in nb["cells"] if isinstance(c, dict)]
    return [_source(c) for c in cells if c.get("cell_type") == "code" and not is_test_cell(c)]


def _parse(source: str) -> ast.Module | None:
    try:
        return ast.parse(source)
    except SyntaxError:
        pass
    python = "\n".join(line for line in source.splitlines() if not IPYTHON_LINE.search(line))
    try:
        return ast.parse(python)
    except SyntaxError:
        return None


def _guarded(number: int, body: list[ast.stmt]) -> ast.Try:
    """``try: <cell> except (Exception, SystemExit) as e: _notebook_cell_failed(number, e)``."""
    report = ast.parse(f"_notebook_cell_failed({number}, _cell_error)").body
    handler = ast.ExceptHandler(type=ast.Tuple([ast.Name("Exception"), ast.Name("SystemExit")], ast.Load()),
                                name="_cell_error", body=report)
    return ast.Try(body=body, handlers=[handler], orelse=[], finalbody=[])


def to_module(nb: dict[str, Any], name: str = "notebook") -> str:
    """The module source for ``nb``: future imports first, then each code cell guarded by its own ``try``."""
    future: list[ast.stmt] = []
    blocks: list[str] = []
    for number, source in enumerate(code_cells(nb), start=1):
        tree = _parse(source)
        if tree is None:
            blocks.append(f"# [notebook cell {number} is not valid Python and was left out]")
            continue
        body = [s for s in tree.body if not (isinstance(s, ast.ImportFrom) and s.module == "__future__")]
        future += [s for s in tree.body if s not in body]
        if body:
            blocks.append(f"# notebook cell {number}\n" + ast.unparse(ast.fix_missing_locations(
                ast.Module([_guarded(number, body)], type_ignores=[]))))
    head = ast.unparse(ast.Module(future, type_ignores=[])) + "\n\n" if future else ""
    return HEADER.format(name=name) + head + REPORTER + "\n\n" + "\n\n".join(blocks) + "\n"


def module_from_file(path: Path) -> str:
    """Read ``path`` (a notebook) and return its module source."""
    return to_module(read(path.read_bytes(), path.name), path.name)

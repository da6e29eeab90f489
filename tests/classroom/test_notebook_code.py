"""A notebook's code cells become the module the grader imports, with the notebook's semantics."""

from __future__ import annotations

import contextlib
import io
import json
from typing import Any

import pytest

from autograder.intake import notebook_code


def nb(*sources: str, test: str | None = None) -> dict[str, Any]:
    cells = [{"cell_type": "code", "source": s, "metadata": {}, "outputs": []} for s in sources]
    cells.insert(1, {"cell_type": "markdown", "source": "# not code", "metadata": {}})
    if test is not None:
        cells.append({"cell_type": "code", "source": test, "outputs": [],
                      "metadata": {"nbgrader": {"grade": True, "solution": False, "grade_id": "t", "points": 1}}})
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5, "metadata": {}}


def run(source: str) -> tuple[dict[str, Any], str]:
    namespace: dict[str, Any] = {}
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(source, "module.py", "exec"), namespace)
    return namespace, printed.getvalue()


def test_a_cell_that_raises_does_not_hide_the_definitions_after_it() -> None:
    source = notebook_code.to_module(nb("def f():\n    return 1\nf() + undefined", "import sys\nsys.exit(3)",
                                        "def g():\n    return f() + 1"))
    namespace, printed = run(source)
    assert namespace["g"]() == 2
    assert "[notebook cell 1] NameError" in printed and "[notebook cell 2] SystemExit: 3" in printed


def test_test_cells_and_markdown_are_left_out_and_ipython_lines_dropped() -> None:
    source = notebook_code.to_module(nb("%matplotlib inline\nx = 1\n!pip install something\nfiles = !ls",
                                        "y = x + 1", test="assert False, 'a test cell must not run'"))
    namespace, printed = run(source)
    assert (namespace["x"], namespace["y"]) == (1, 2) and printed == ""
    assert "not code" not in source and "a test cell" not in source


def test_a_cell_that_is_not_python_is_left_out_with_a_note() -> None:
    source = notebook_code.to_module(nb("def broken(:\n    pass", "z = 5"))
    namespace, _ = run(source)
    assert namespace["z"] == 5 and "notebook cell 1 is not valid Python" in source


def test_future_imports_move_to_the_top_of_the_module() -> None:
    source = notebook_code.to_module(nb("x = 1", "from __future__ import annotations\ndef f(a: Undefined) -> None:\n"
                                        "    pass"))
    namespace, _ = run(source)
    assert namespace["f"].__annotations__ == {"a": "Undefined", "return": "None"}


@pytest.mark.parametrize("data", [b"not json", json.dumps({"cells": "nope"}).encode(), b"\xff\xfe"])
def test_files_that_are_not_notebooks_are_refused_with_a_reason(data: bytes) -> None:
    with pytest.raises(notebook_code.NotebookError, match="not a Jupyter notebook"):
        notebook_code.read(data, "x.ipynb")

"""``python -m autograder nbgrader build COURSE_DIR``: an nbgrader course made from the registry and solutions.

One assignment per non-empty exercise set, ``source/<set>/<set>.ipynb``: the op's page text (Markdown),
an answer cell holding the exercise's signature with the reference solution between nbgrader's solution
markers, and a locked test cell worth the op's points. ``nbgrader generate_assignment <set>`` turns that
into the student version. The generated ``nbgrader_config.py`` puts the out-of-kernel grader into
``nbgrader autograde``; the course secret it needs stays in the course directory, outside ``source/``.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path
from typing import Any

from autograder import registry
from autograder.common.files import write_atomically
from autograder.common.project import ROOT
from autograder.common.settings import SITE
from autograder.course.pages import set_title
from autograder.nbgrader import selfcheck, sources
from autograder.registry import Op

SECRET_FILE = "autograder_secret.txt"
REPORT_DIR = "autograder_reports"
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
PRIVATE = (SECRET_FILE, "gradebook.db", f"{REPORT_DIR}/", "submitted/", "autograded/", "feedback/", "exchange/")


def answer_cell_id(op: Op) -> str:
    return op.function


def grade_cell_id(op: Op) -> str:
    return f"{op.function}_test"


def _cell(kind: str, source: str, ident: str, **nbgrader: Any) -> dict[str, Any]:
    cell: dict[str, Any] = {"cell_type": kind, "id": ident.replace("_", "-")[:64], "metadata": {},
                            "source": source}
    if nbgrader:
        meta = {"grade": False, "locked": False, "schema_version": 3, "solution": False, "task": False,
                "grade_id": ident, **nbgrader}
        cell["metadata"]["nbgrader"] = meta
    if kind == "code":
        cell.update(execution_count=None, outputs=[])
    return cell


def _solution(header: str, body: str) -> str:
    """A function whose body is a solution region (nbgrader replaces it with a stub that raises)."""
    indent = " " * 4
    lines = [f"{indent}{BEGIN}", *(f"{indent}{line}" if line else "" for line in body.splitlines()),
             f"{indent}{END}"]
    return header + "\n" + "\n".join(lines)


def _op_text(op: Op) -> str:
    page = op.page
    parts = [f"## `{op.name}`: {op.summary}", f"Write `{op.signature}`.", f"**The function.**\n\n$$\n{page.math}\n$$",
             f"**The Jacobian.** {page.jacobian}", f"**The vector-Jacobian product.** {page.vjp}"]
    if op.convention or op.conventions:
        rows = "".join(f"\n- {c.says}" for c in op.conventions)
        parts.append(f"**At special points.** {op.convention}{rows}")
    if page.mistakes:
        parts.append("**Common mistakes.**\n" + "".join(f"\n- {m}" for m in page.mistakes))
    if page.hint:
        parts.append(f"<details><summary>Hint</summary>\n\n{page.hint}\n\n</details>")
    parts.append(f"Full page: <{SITE}{op.page_url()}>")
    return "\n\n".join(parts)


def _intro(name: str, ops: list[Op]) -> str:
    total = sum(op.points for op in ops)
    count = f"{len(ops)} exercise{'s' * (len(ops) != 1)}, {total:g} point{'s' * (total != 1)}"
    return f"""# {set_title(name)}

Write the backward rule (the vector-Jacobian product) of each op below: {count}. Each function
receives `grad`, the gradient of the loss with respect to the op's output, and returns a tuple with one
gradient per input, each with exactly that input's shape and dtype. Derive the gradients by hand:
calling autograd inside an exercise is not allowed.

Below each function, a test cell checks it on one small case so you can see at once whether you are
close. Those cells do not decide your grade: after you submit, the course autograder grades the code
of this notebook outside it, with many more cases, some of them hidden, and writes its verdict into
each test cell. Restart the kernel and run all cells before you submit."""


def notebook(name: str, ops: list[Op], solutions: Path = ROOT / "solutions",
             exercises: Path = ROOT / "exercises") -> dict[str, Any]:
    """The nbgrader source notebook of one set."""
    solution = sources.parse(solutions / f"{name}.py")
    exercise = sources.parse(exercises / f"{name}.py")
    for module in (solution, exercise):
        missing = [op.function for op in ops if op.function not in module.functions]
        if missing:
            raise sources.SourceError(f"{module.path}: does not define {', '.join(missing)}")
    helpers, siblings = sources.helpers_needed(solution, [op.function for op in ops])
    preamble = list(dict.fromkeys(exercise.preamble + solution.preamble
                                  + [line for m in siblings for line in m.preamble]))
    cells = [_cell("markdown", _intro(name, ops), "intro", locked=True),
             _cell("code", "\n".join(preamble), "setup", locked=True)]
    if helpers:
        # A helper shows the docstring of its stub in exercises/ if there is one, else its signature only: a
        # reference helper's docstring may state the answer.
        stubs = {**sources.parse(exercises / "helpers.py").functions, **exercise.functions}
        text = ("## Helpers\n\nThe reference solutions of this notebook use the functions below. Write them "
                "first, or write your own and change the exercises to use them.")
        code = "\n\n\n".join(_solution(stubs[h.name].header if h.name in stubs else h.signature, h.body)
                                for h in helpers)
        cells += [_cell("markdown", text, "helpers_text", locked=True), _cell("code", code, "helpers", solution=True)]
    for op in ops:
        # The student sees the exercise's signature and docstring; the solution's docstring may give it away.
        header = exercise.functions[op.function].header
        cells += [_cell("markdown", _op_text(op), f"{op.name}_text", locked=True),
                  _cell("code", _solution(header, solution.functions[op.function].body), answer_cell_id(op),
                        solution=True),
                  _cell("code", selfcheck.source(op), grade_cell_id(op), grade=True, locked=True, points=op.points)]
    return {"cells": cells, "nbformat": 4, "nbformat_minor": 5, "metadata": {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"name": "python"}}}


CONFIG = '''"""nbgrader configuration of an Autograd by Hand course, written by `python -m autograder nbgrader build`.

Grades come from the course autograder, run outside the student's kernel: GradeOutOfKernel, right after
Execute, grades the code cells of each submitted notebook in a sandbox, with hidden cases seeded from the
secret in {secret}, and writes each test cell's verdict, so asserts in the kernel decide nothing.
Keep {secret} private and never put it under source/ (nbgrader releases everything there).
"""

import os
import sys

try:
    import autograder  # noqa: F401
except ImportError:  # fall back to the grader this course was built with
    sys.path.insert(0, {grader_path!r})

here = os.path.dirname(os.path.abspath(__file__))
c = get_config()  # noqa: F821

c.CourseDirectory.root = here
c.CourseDirectory.course_id = {course_id!r}
{db_line}

# Test cells a student deleted come back from the gradebook, so each still gets its verdict.
c.OverwriteCells.add_missing_cells = True
c.Execute.timeout = 60

# TolerantExecute is nbgrader's Execute, except that a kernel that dies (a student's exit() or crash) ends
# the notebook's execution instead of failing the whole submission: the grade comes from GradeOutOfKernel.
c.Autograde.autograde_preprocessors = [
    "autograder.nbgrader.execute.TolerantExecute",
    "autograder.nbgrader.preprocessor.GradeOutOfKernel",
    "nbconvert.preprocessors.ClearMetadataPreprocessor",
    "nbgrader.preprocessors.LimitOutput",
    "nbgrader.preprocessors.SaveAutoGrades",
    "nbgrader.preprocessors.AssignLatePenalties",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.GradeOutOfKernel.secret_file = os.path.join(here, {secret!r})
c.GradeOutOfKernel.report_dir = os.path.join(here, {reports!r})
c.GradeOutOfKernel.timeout = 20.0  # seconds per op
'''


def config(course_id: str, db_url: str | None) -> str:
    db_line = (f"c.CourseDirectory.db_url = {db_url!r}" if db_url else
               '# c.CourseDirectory.db_url = "postgresql+psycopg2://user:password@host/course"  '
               "(default: sqlite gradebook.db here)")
    return CONFIG.format(secret=SECRET_FILE, reports=REPORT_DIR, course_id=course_id, db_line=db_line,
                         grader_path=str(ROOT))


def _write(path: Path, text: str, mode: int = 0o644) -> None:
    write_atomically(str(path), text)
    path.chmod(mode)


def build(course: Path, sets: list[str] | None = None, course_id: str = "autograd-by-hand",
          db_url: str | None = None, secret_file: Path | None = None) -> list[Path]:
    """Write the course directory; returns the source notebooks written. An existing secret is kept.

    One assignment per set of single-op backward rules; the sets beyond them (own engine, semantics, higher
    order, forward mode) are graded from their ``.py`` files with ``grade``/``batch`` instead."""
    chosen = registry.vjp_sets()
    if sets:
        unknown = [s for s in sets if s not in chosen]
        if unknown:
            raise KeyError(", ".join(unknown))
        chosen = {s: chosen[s] for s in chosen if s in sets}
    course.mkdir(parents=True, exist_ok=True)
    secret = course / SECRET_FILE
    if secret_file is not None:
        _write(secret, secret_file.read_text(encoding="utf-8").strip() + "\n", 0o600)
    elif not secret.exists():
        _write(secret, secrets.token_urlsafe(32) + "\n", 0o600)
    _write(course / "nbgrader_config.py", config(course_id, db_url))
    _write(course / ".gitignore", "".join(f"{p}\n" for p in PRIVATE))
    written = []
    for name, ops in chosen.items():
        path = course / "source" / name / f"{name}.ipynb"
        _write(path, json.dumps(notebook(name, ops), indent=1, ensure_ascii=False) + "\n")
        written.append(path)
    return written

"""nbgrader, end to end with the real tools: one generated course, three students, one autograde call.

The course is built by ``python -m autograder nbgrader build``; ``nbgrader generate_assignment``,
``autograde`` and ``generate_feedback`` run as an instructor runs them. The students are a correct one, a
wrong one and a hostile one (memorised visible answers, patched asserts, HTML in its output, and a kernel
that dies under autograde).
"""

from __future__ import annotations

import ast
import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from nbgrader.api import Gradebook

from autograder import registry
from autograder.common.settings import VISIBLE_SEED
from autograder.grading.plan import plan
from autograder.nbgrader.build import BEGIN, END, REPORT_DIR, SECRET_FILE, answer_cell_id, grade_cell_id
from autograder.nbgrader.sources import parse
from tests.classroom import students
from tests.classroom.conftest import SET, run_nbgrader
from tests.conftest import ROOT, run_cli

OPS = registry.SETS[SET]
TOTAL = sum(op.points for op in OPS)
EXPECTED = {"correct": TOTAL, "wrong": 0.0, "hostile": 0.0}


def cells(nb: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["metadata"]["nbgrader"]["grade_id"]: c for c in nb["cells"] if "nbgrader" in c["metadata"]}


def text(cell: dict[str, Any]) -> str:
    return "".join(cell["source"])


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text())


@pytest.mark.parametrize("name", list(registry.vjp_sets()))
def test_each_source_notebook_holds_every_op_with_its_solution_and_a_graded_test(tmp_path: Path, name: str) -> None:
    assert run_cli("nbgrader", "build", str(tmp_path), "--sets", name).returncode == 0
    nb = load(tmp_path / "source" / name / f"{name}.ipynb")
    by_id = cells(nb)
    solution = parse(ROOT / "solutions" / f"{name}.py")
    for op in registry.SETS[name]:
        answer = text(by_id[answer_cell_id(op)])
        assert by_id[answer_cell_id(op)]["metadata"]["nbgrader"]["solution"] is True
        region = textwrap.dedent(answer.split(BEGIN)[1].split(END)[0])
        assert ast.dump(ast.parse(region)) == ast.dump(ast.parse(solution.functions[op.function].body)), \
            "the answer is not the reference solution's body"
        meta = by_id[grade_cell_id(op)]["metadata"]["nbgrader"]
        assert meta["grade"] and meta["locked"] and meta["points"] == op.points
        test = by_id[grade_cell_id(op)]
        assert f"{op.function}(_grad" in text(test)
        page = text(by_id[f"{op.name}_text"])
        assert op.page.vjp in page and op.summary in page
        docstring = solution.functions[op.function].header.removeprefix(solution.functions[op.function].signature)
        assert docstring.strip() not in "\n".join(map(text, nb["cells"])), "the solution docstring would leak"
    assert (tmp_path / SECRET_FILE).stat().st_mode & 0o077 == 0, "the secret is readable by others"
    assert not list((tmp_path / "source").rglob(SECRET_FILE))


def test_config_puts_the_out_of_kernel_grader_between_execute_and_save(tmp_path: Path) -> None:
    assert run_cli("nbgrader", "build", str(tmp_path), "--db-url", "sqlite:////tmp/elsewhere.db").returncode == 0
    config = (tmp_path / "nbgrader_config.py").read_text()
    steps = re.findall(r'"([\w.]+)",', config.split("autograde_preprocessors = [")[1].split("]")[0])
    names = [s.rsplit(".", 1)[1] for s in steps]
    assert names.index("GradeOutOfKernel") == names.index("TolerantExecute") + 1
    assert names.index("GradeOutOfKernel") < names.index("SaveAutoGrades")
    assert "c.CourseDirectory.db_url = 'sqlite:////tmp/elsewhere.db'" in config


def test_rebuilding_keeps_the_course_secret(tmp_path: Path) -> None:
    assert run_cli("nbgrader", "build", str(tmp_path)).returncode == 0
    first = (tmp_path / SECRET_FILE).read_text()
    assert run_cli("nbgrader", "build", str(tmp_path)).returncode == 0
    assert (tmp_path / SECRET_FILE).read_text() == first and len(first.strip()) >= 32


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build, release, submit three students, autograde them all at once, generate feedback."""
    root = tmp_path_factory.mktemp("course")
    assert run_cli("nbgrader", "build", str(root), "--sets", SET).returncode == 0
    run_nbgrader(root, "generate_assignment", SET)
    release = load(root / "release" / SET / f"{SET}.ipynb")
    source = load(root / "source" / SET / f"{SET}.ipynb")
    for kind in students.KINDS:
        nb = students.notebook(kind, release, source, SET)
        students.write_notebook(root / "submitted" / kind / SET / f"{SET}.ipynb", nb)
    run_nbgrader(root, "autograde", SET)
    run_nbgrader(root, "generate_feedback", SET)
    return root


@pytest.mark.slow
@pytest.mark.xdist_group("nbgrader")
def test_the_student_version_has_stubs_and_no_solution_or_secret(course: Path) -> None:
    release = course / "release" / SET
    by_id = cells(load(release / f"{SET}.ipynb"))
    solution = parse(ROOT / "solutions" / f"{SET}.py")
    for op in OPS:
        answer = text(by_id[answer_cell_id(op)])
        assert "raise NotImplementedError" in answer and BEGIN not in answer
        for line in solution.functions[op.function].body.splitlines():
            assert line.strip() not in answer, f"solution line {line!r} leaked into the student version"
    assert sorted(p.name for p in release.iterdir()) == [f"{SET}.ipynb"]


@pytest.mark.slow
@pytest.mark.xdist_group("nbgrader")
def test_the_gradebook_holds_the_graders_scores_not_the_kernels(course: Path) -> None:
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for kind, expected in EXPECTED.items():
            submission = gb.find_submission(SET, kind)
            assert (submission.score, submission.max_score) == (expected, TOTAL), kind
            for op in OPS:
                grade = gb.find_grade(grade_cell_id(op), SET, SET, kind)
                assert grade.auto_score == (op.points if kind == "correct" else 0.0), (kind, op.name)


@pytest.mark.slow
@pytest.mark.xdist_group("nbgrader")
def test_the_hostile_student_passes_every_visible_check_but_not_the_hidden_cases(course: Path) -> None:
    report = load(course / REPORT_DIR / "hostile" / SET / f"{SET}.json")
    assert report["mode"] == "grade" and "hidden" in report["seeds"]
    for result in report["results"]:
        assert result["status"] == "failed" and result["failure"]["hidden"], result["summary"]
    tests = cells(load(course / "autograded" / "hostile" / SET / f"{SET}.ipynb"))
    for op in OPS:
        (output,) = tests[grade_cell_id(op)]["outputs"]
        assert output["output_type"] == "error" and output["ename"] == "AutograderVerdict"
        assert "hidden case" in output["evalue"]


@pytest.mark.slow
@pytest.mark.xdist_group("nbgrader")
def test_verdicts_replace_whatever_the_kernel_printed(course: Path) -> None:
    for kind in ("correct", "wrong"):
        tests = cells(load(course / "autograded" / kind / SET / f"{SET}.ipynb"))
        for op in OPS:
            outputs = tests[grade_cell_id(op)]["outputs"]
            assert "self-check" not in json.dumps(outputs), "the kernel's own test output survived"
            if kind == "correct":
                assert outputs[-1]["output_type"] == "execute_result"
                assert float("".join(outputs[-1]["data"]["text/plain"])) == op.points
            else:
                assert [o["output_type"] for o in outputs] == ["error"]
                assert "expected gradient" in "\n".join(outputs[0]["traceback"])


def _float_texts(tensors: list[Any]) -> set[str]:
    """How the grader would print these values (Python's repr of each float), skipping short ones."""
    return {repr(v) for t in tensors if t is not None and t.is_floating_point()
            for v in t.flatten().tolist() if len(repr(v)) >= 10}


@pytest.mark.slow
@pytest.mark.xdist_group("nbgrader")
def test_feedback_withholds_hidden_inputs_and_escapes_student_html(course: Path) -> None:
    feedback = {kind: (course / "feedback" / kind / SET / f"{SET}.html").read_text() for kind in students.KINDS}
    seed = load(course / REPORT_DIR / "hostile" / SET / f"{SET}.json")["seeds"]["hidden"]
    hidden = set()
    for op in OPS:
        p = plan(op, {"hidden": seed})
        hidden |= _float_texts([t for case in p.cases for t in case.inputs] + p.grads)
    assert hidden, "no hidden values to look for"
    leaked = [v for v in hidden if v in feedback["hostile"]]
    assert not leaked, f"hidden-case values in the feedback: {leaked[:5]}"
    assert str(seed) not in feedback["hostile"]
    # The same search finds a visible failing case's inputs in the wrong student's feedback.
    visible = plan(OPS[0], {"visible": VISIBLE_SEED})
    assert any(v in feedback["wrong"] for v in _float_texts([t for case in visible.cases for t in case.inputs]))
    assert students.SCRIPT not in feedback["hostile"]
    assert "&lt;script&gt;alert" in feedback["hostile"]

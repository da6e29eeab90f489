"""The command line, run as users run it: real subprocesses on real directories."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from autograder import registry
from tests.conftest import ROOT, run_cli


def test_grading_the_solutions_gives_full_marks(secret_file: Path) -> None:
    result = run_cli("grade", "solutions", "--secret-file", str(secret_file))
    assert result.returncode == 0, result.stdout + result.stderr
    total = sum(op.points for op in registry.OPS.values())
    assert f"total: {total:g} / {total:g} points" in result.stdout


def test_grading_the_stubs_gives_zero_and_says_not_implemented_per_op(secret_file: Path) -> None:
    result = run_cli("grade", "exercises", "--secret-file", str(secret_file))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    for op in registry.OPS.values():
        assert any(line.split()[:1] == [op.name] and "not implemented" in line for line in result.stdout.splitlines())
    assert "total: 0 / " in result.stdout


def test_gradescope_results_follow_the_schema_and_name_each_op(secret_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "results" / "results.json"
    result = run_cli("grade", "exercises", "--secret-file", str(secret_file), "--format", "gradescope",
                     "--output", str(out))
    assert result.returncode == 1, result.stderr
    data = json.loads(out.read_text())
    assert isinstance(data["score"], float) and data["score"] == 0
    assert len(data["tests"]) == len(registry.OPS)
    for test, op in zip(data["tests"], registry.OPS.values(), strict=True):
        assert set(test) >= {"name", "score", "max_score", "status", "output"}
        assert op.name in test["name"] and test["status"] == "failed" and test["score"] == 0
        assert test["max_score"] == op.points and "not implemented" in test["output"]
    assert not list(out.parent.glob(".*.tmp")), "a temporary file was left behind"


def test_check_runs_on_the_students_own_exercises_with_a_readable_table(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "exercises", tmp_path / "exercises")
    result = run_cli("check", cwd=tmp_path)
    assert result.returncode == 1
    header = result.stdout.splitlines()[0].split()
    assert header == ["op", "set", "status", "points"]
    assert "mul" in result.stdout and "not implemented" in result.stdout


def test_check_one_op_passes_once_the_student_writes_it(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "solutions", tmp_path / "exercises")
    result = run_cli("check", "mul", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert "passed" in result.stdout


def test_a_broadcasting_mistake_is_diagnosed_with_the_shapes(tmp_path: Path, secret_file: Path) -> None:
    (tmp_path / "binary.py").write_text(
        "def mul_backward(grad, x, y):\n    return grad * y, grad * x\n")
    result = run_cli("grade", str(tmp_path), "--secret-file", str(secret_file), "--ops", "mul")
    assert result.returncode == 1
    assert "sum the gradient over the broadcast dimensions" in result.stdout
    assert "exercises/binary/mul/" in result.stdout


def test_official_grade_without_a_secret_is_a_usage_error() -> None:
    result = run_cli("grade", "solutions")
    assert result.returncode == 2 and "secret" in result.stderr


def test_unknown_op_and_missing_directory_are_usage_errors() -> None:
    assert run_cli("check", "no_such_op").returncode == 2
    result = run_cli("grade", "/nonexistent/dir", "--visible-only")
    assert result.returncode == 2 and "not a directory" in result.stderr


def test_list_shows_every_registered_signature_and_names_exercises_that_share_one() -> None:
    result = run_cli("list")
    assert result.returncode == 0
    for op in registry.OPS.values():
        assert op.signature in result.stdout
    # one function graded as several exercises: each line names the exercise to `check`
    for op in registry.SETS["engine"]:
        assert f"{op.name}: {op.signature}" in result.stdout
    data = json.loads(run_cli("list", "--format", "json").stdout)
    assert [d["op"] for d in data] == list(registry.OPS)

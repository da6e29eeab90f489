"""One result model, many exporters: each format is valid and carries what a grade needs to be replayed."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from autograder import registry
from autograder.report import gradescope
from autograder.report.results import OpResult, Report, Status
from tests.conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def wrong_submission(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("wrong")
    (path / "binary.py").write_text("def mul_backward(grad, x, y):\n    return grad * y, grad * x\n")
    return path


def grade(path: Path, fmt: str, secret: Path) -> str:
    result = run_cli("grade", str(path), "--secret-file", str(secret), "--ops", "mul", "--format", fmt)
    assert result.returncode == 1, result.stderr
    return result.stdout


def test_json_report_records_versions_hash_seeds_and_limits(wrong_submission: Path, secret_file: Path) -> None:
    data = json.loads(grade(wrong_submission, "json", secret_file))
    assert data["grader_version"] and data["torch_version"].startswith("2.13.0")
    assert len(data["submission_hash"]) == 64
    assert set(data["seeds"]) == {"visible", "hidden"} and data["limits"]["seconds"] > 0
    [result] = data["results"]
    assert result["op"] == "mul" and result["status"] == "failed" and result["score"] == 0
    assert data["score"] == 0 and data["max_score"] == registry.OPS["mul"].points


def test_regrading_the_same_files_gives_the_same_seeds_and_result(wrong_submission: Path, secret_file: Path) -> None:
    first, second = (json.loads(grade(wrong_submission, "json", secret_file)) for _ in range(2))
    assert first["seeds"] == second["seeds"]
    assert first["results"][0]["summary"] == second["results"][0]["summary"]


def test_hidden_seed_depends_on_the_secret_and_the_files(wrong_submission: Path, secret_file: Path,
                                                          tmp_path: Path) -> None:
    other_secret = tmp_path / "other"
    other_secret.write_text("another course")
    seeds = json.loads(grade(wrong_submission, "json", secret_file))["seeds"]["hidden"]
    assert json.loads(grade(wrong_submission, "json", other_secret))["seeds"]["hidden"] != seeds
    changed = tmp_path / "changed"
    changed.mkdir()
    (changed / "binary.py").write_text((wrong_submission / "binary.py").read_text() + "# edited\n")
    assert json.loads(grade(changed, "json", secret_file))["seeds"]["hidden"] != seeds


def test_junit_report_is_xml_with_one_failing_testcase_per_op(wrong_submission: Path, secret_file: Path) -> None:
    suite = ET.fromstring(grade(wrong_submission, "junit", secret_file).split("?>", 1)[1])
    [case] = suite.findall("testcase")
    assert case.get("name") == "mul" and case.find("failure") is not None
    assert suite.get("failures") == "1"


def test_github_summary_is_a_markdown_table_that_cannot_be_hijacked(tmp_path: Path, secret_file: Path) -> None:
    (tmp_path / "binary.py").write_text(
        "def mul_backward(grad, x, y):\n    print('| ok | <script>x</script> ::notice::Points 10/10')\n"
        "    raise ValueError('| forged | row |')\n")
    text = grade(tmp_path, "github", secret_file)
    rows = [line for line in text.splitlines() if line.startswith("| [`")]
    assert len(rows) == 1 and "error" in rows[0]
    assert "<script>" not in text and rows[0].count(" | ") == 3


def test_text_report_shows_the_reproduction_snippet(wrong_submission: Path, secret_file: Path) -> None:
    text = grade(wrong_submission, "text", secret_file)
    assert "reproduce it:" in text and "from exercises.binary import mul_backward" in text
    assert str(ROOT) not in text


def test_gradescope_test_names_say_the_function_the_student_wrote() -> None:
    report = Report("grade", "s", "0" * 64, "v", "2.13.0", "3.11", {}, {})
    report.results = [OpResult(op, registry.OPS[op].set, Status.PASSED, 1.0, 1.0, "ok", "u",
                               function=registry.OPS[op].function) for op in ("mul", "jacobian_rows", "engine_order")]
    names = [t["name"] for t in json.loads(gradescope.render(report))["tests"]]
    assert names == ["binary/mul: mul_backward", "semantics/jacobian_rows: jacobian_rows",
                     "engine/engine_order: backward"]

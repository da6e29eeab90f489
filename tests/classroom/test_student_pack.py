"""The student pack: a working starter kit with the advisory Classroom workflow, and nothing private."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from autograder import registry
from autograder.nbgrader.sources import parse
from tests.conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pack") / "starter"
    result = run_cli("student-pack", str(out))
    assert result.returncode == 0, result.stderr
    return out


def student_env(pack: Path) -> dict[str, str]:
    """A student's shell in the pack: the venv's python first on PATH, no project checkout on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "AUTOGRADER_SECRET")}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def test_the_pack_has_the_stubs_the_lessons_the_grader_and_the_workflow(pack: Path) -> None:
    for name in registry.SETS:
        assert (pack / "exercises" / f"{name}.py").read_bytes() == (ROOT / "exercises" / f"{name}.py").read_bytes()
    lessons = sorted(p.name for p in (ROOT / "docs" / "lessons").glob("*.ipynb"))
    assert sorted(p.name for p in (pack / "lessons").iterdir()) == lessons
    for path in ("README.md", ".github/workflows/classroom.yml", "autograder/cli.py", "requirements.txt",
                 "requirements-grader.txt", "pyproject.toml"):
        assert (pack / path).is_file(), path
    assert "torch==2.13.0" in (pack / "requirements-grader.txt").read_text().splitlines()
    readme = (pack / "README.md").read_text()
    assert "advisory" in readme and "python -m autograder submit" in readme and "{sets}" not in readme


def test_the_pack_holds_no_solution_no_tests_and_no_secret(pack: Path) -> None:
    files = [p for p in pack.rglob("*") if p.is_file()]
    assert not (pack / "solutions").exists() and not (pack / "tests").exists()
    assert not [p for p in files if "secret" in p.name.lower()]
    functions = {name: parse(ROOT / "solutions" / f"{name}.py").functions for name in registry.nonempty_sets()}
    bodies = [functions[op.set][op.function].body for op in registry.OPS.values() if op.function in functions[op.set]]
    classes = [ast.get_source_segment(text, node) for name in registry.nonempty_sets()
               for text in [(ROOT / "solutions" / f"{name}.py").read_text()]
               for node in ast.parse(text).body if isinstance(node, ast.ClassDef)]
    bodies += [c.split(":", 1)[1] for c in classes if c]
    helpers = [f.body for f in parse(ROOT / "solutions/helpers.py").functions.values()]
    texts = {p: p.read_text(errors="replace") for p in files}
    for body in bodies + helpers:
        holders = [str(p.relative_to(pack)) for p, text in texts.items() if body in text]
        assert not holders, f"a reference solution is in {holders}"


def test_check_and_submit_work_inside_the_pack(pack: Path, tmp_path: Path) -> None:
    env = student_env(pack)
    check = subprocess.run([sys.executable, "-m", "autograder", "check"], cwd=pack, env=env, text=True,
                           capture_output=True, timeout=300)
    assert check.returncode == 1 and "not implemented" in check.stdout, check.stderr
    out = tmp_path / "hand-in.zip"
    submit = subprocess.run([sys.executable, "-m", "autograder", "submit", "-o", str(out)], cwd=pack, env=env,
                            text=True, capture_output=True, timeout=300)
    assert submit.returncode == 0 and out.is_file(), submit.stderr


def test_the_workflow_runs_the_advisory_check_into_the_job_summary(pack: Path, tmp_path: Path) -> None:
    workflow = yaml.safe_load((pack / ".github/workflows/classroom.yml").read_text())
    assert "advisory" in workflow["name"].lower()
    assert workflow["permissions"] == {"contents": "read"}
    steps = workflow["jobs"]["check"]["steps"]
    step = next(s for s in steps if "autograder check" in s.get("run", ""))
    assert "advisory" in step["name"].lower() and "--format github" in step["run"]
    summary = tmp_path / "summary.md"
    env = {**student_env(pack), "GITHUB_STEP_SUMMARY": str(summary)}
    run = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=pack, env=env, text=True, capture_output=True,
                         timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    text = summary.read_text()
    assert text.startswith("## Autograd by Hand: 0 / ") and "advisory" in text
    for op in registry.OPS.values():
        assert f"`{op.name}`" in text
    lines = run.stdout.splitlines()
    token = lines[0].removeprefix("::stop-commands::")
    assert len(token) == 32 and f"::{token}::" in lines
    assert any(line.startswith("::notice title=Advisory check") for line in lines)

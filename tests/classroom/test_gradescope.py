"""The Gradescope bundle, and its ``run_autograder`` run against a simulated ``/autograder`` tree.

Each scenario unpacks the real bundle into ``<tmp>/autograder/source`` and runs its ``run_autograder``
with bash, as Gradescope would, with ``AUTOGRADER_ROOT`` pointing at the simulated tree and the bundled
grader (``source/grader``) on the path. Run as root, student code runs as ``nobody``.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from autograder import registry
from tests.classroom import students
from tests.classroom.conftest import SET
from tests.classroom.test_submit import make_zip
from tests.conftest import ROOT, run_cli

TOTAL = sum(op.points for op in registry.OPS.values())
AS_ROOT = os.geteuid() == 0


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("bundle") / "autograder.zip"
    secret = out.with_name("secret.txt")
    secret.write_text("a-course-secret-for-gradescope\n")
    result = run_cli("gradescope-bundle", str(out), "--secret-file", str(secret))
    assert result.returncode == 0, result.stderr
    return out.read_bytes()


def test_the_bundle_has_gradescopes_entry_points_pins_and_the_secret_but_no_solutions(bundle: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(bundle)) as z:
        names = set(z.namelist())
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in z.infolist()}
        setup = z.read("setup.sh").decode()
        requirements = z.read("requirements.txt").decode().splitlines()
        secret = z.read("secret").decode().strip()
    assert {"setup.sh", "run_autograder", "requirements.txt", "secret", "grader/pyproject.toml",
            "grader/autograder/cli.py", "grader/autograder/gradescope/run.py",
            "grader/autograder/registry/pages/elementwise/neg.md"} <= names
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
    assert not [n for n in names if n.startswith(("solutions/", "grader/solutions", "tests/"))]
    assert secret == "a-course-secret-for-gradescope"
    assert "torch==2.13.0" in requirements and any(r.startswith("numpy==") for r in requirements)
    assert all("==" in r for r in requirements), "every requirement is pinned"
    assert "python3.11 -m venv" in setup and "-r requirements.txt" in setup and "useradd" in setup
    assert "./grader" in setup and "student" in setup


def simulate(tmp_path: Path, bundle: bytes, files: dict[str, bytes], python: str = sys.executable,
             corrupt: str | None = None) -> tuple[dict, subprocess.CompletedProcess[str]]:
    """Lay out ``/autograder`` under ``tmp_path``, run ``run_autograder``, return results.json and the run."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(io.BytesIO(bundle)) as z:
        z.extractall(root / "source")
    if corrupt:
        target = root / "source" / "grader" / "autograder" / corrupt
        target.write_text(target.read_text() + "\nimport os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n")
    (root / "submission").mkdir()
    (root / "results").mkdir()
    for name, data in files.items():
        (root / "submission" / name).write_bytes(data)
    env = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_SECRET"}
    env.update(AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=python, PYTHONPATH=str(root / "source" / "grader"),
               AUTOGRADER_STUDENT_USER="nobody")
    run = subprocess.run(["bash", str(root / "source" / "run_autograder")], env=env, text=True,
                         capture_output=True, timeout=600)
    assert run.returncode == 0
    results = root / "results" / "results.json"
    assert not [p for p in results.parent.iterdir() if p != results], "something besides results.json was left"
    return json.loads(results.read_text()), run


def as_files(kind: str) -> dict[str, bytes]:
    return {name: text.encode() for name, text in students.module(kind, SET).items()}


@pytest.mark.slow
def test_a_correct_submission_gets_every_point(tmp_path: Path, bundle: bytes) -> None:
    files = {f"{name}.py": (ROOT / "solutions" / f"{name}.py").read_bytes() for name in registry.nonempty_sets()}
    results, _ = simulate(tmp_path, bundle, {**files, "helpers.py": (ROOT / "solutions/helpers.py").read_bytes()})
    assert results["score"] == TOTAL
    assert [t["status"] for t in results["tests"]] == ["passed"] * len(registry.OPS)


@pytest.mark.slow
def test_a_wrong_submission_gets_no_points_for_the_wrong_ops_with_explanations(tmp_path: Path, bundle: bytes) -> None:
    results, _ = simulate(tmp_path, bundle, as_files("wrong"))
    by_op = {t["name"].split(":")[0].split("/")[1]: t for t in results["tests"]}
    for op in registry.SETS[SET]:
        assert by_op[op.name]["score"] == 0 and by_op[op.name]["status"] == "failed"
        assert "gradient" in by_op[op.name]["output"] and by_op[op.name]["output_format"] == "text"
    assert results["score"] == 0


@pytest.mark.slow
def test_a_crashing_grader_still_leaves_valid_results_that_say_so(tmp_path: Path, bundle: bytes) -> None:
    results, run = simulate(tmp_path / "killed", bundle, as_files("correct"), corrupt="grading/run.py")
    assert results["score"] == 0 and results["tests"] == []
    assert "autograder itself failed" in results["output"] and "not a verdict on your code" in results["output"]
    assert "the grader failed: status -9" in run.stdout, "the supervisor saw the grader killed"
    results, _ = simulate(tmp_path / "no-python", bundle, as_files("correct"), python="/nonexistent/python3")
    assert results["score"] == 0 and "autograder itself failed (status 127)" in results["output"]


@pytest.mark.slow
def test_an_untrustworthy_zip_is_refused_in_the_results_with_the_reason(tmp_path: Path, bundle: bytes) -> None:
    zipped = make_zip({f"{SET}.py": b"x = 1\n"}, link="helpers.py")
    results, _ = simulate(tmp_path, bundle, {"submission.zip": zipped})
    assert results["score"] == 0 and "refused" in results["output"] and "symbolic link" in results["output"]


@pytest.mark.slow
@pytest.mark.skipif(not AS_ROOT, reason="running student code as another user needs root")
def test_student_code_runs_unprivileged_and_cannot_read_the_secret(tmp_path: Path, bundle: bytes) -> None:
    spy = f"""import os
print("uid", os.getuid())
for path in {str(tmp_path / "autograder" / "source" / "secret")!r}, "/proc/1/environ":
    try:
        print(open(path).read())
    except OSError as err:
        print("refused:", type(err).__name__)
"""
    files = as_files("correct")
    files[f"{SET}.py"] += b"\n" + spy.encode()
    results, run = simulate(tmp_path, bundle, files)
    output = "\n".join(t["output"] for t in results["tests"])
    assert "a-course-secret-for-gradescope" not in json.dumps(results) + run.stdout
    assert "uid 65534" in output and "refused: PermissionError" in output
    assert results["score"] == sum(op.points for op in registry.SETS[SET])

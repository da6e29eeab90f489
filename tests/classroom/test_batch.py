"""``batch`` grades a class with parallel workers, survives broken submissions, and resumes after a kill."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder import registry
from autograder.intake import archive, collect
from autograder.intake.submission import SubmissionError
from autograder.nbgrader.build import notebook
from tests.classroom import students
from tests.classroom.conftest import SET, tool_env
from tests.classroom.test_submit import make_zip
from tests.conftest import ROOT, run_cli

OPS = registry.SETS[SET]
TOTAL = sum(op.points for op in OPS)


def write(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode())
    return folder


def zipped(kind: str) -> bytes:
    return archive.pack({n: t.encode() for n, t in students.module(kind, SET).items()})[0]


def grades(out: Path) -> dict[str, dict[str, str]]:
    with open(out / "grades.csv", newline="") as f:
        return {row["student"]: row for row in csv.DictReader(f)}


def test_collect_reads_every_form_and_refuses_a_file_handed_in_twice(tmp_path: Path) -> None:
    correct = {n: t.encode() for n, t in students.module("correct", SET).items()}
    flat = collect.gather(write(tmp_path / "flat", correct))
    nested = collect.gather(write(tmp_path / "repo" / "exercises", correct).parent)
    source = notebook(SET, OPS)
    nb = students.notebook("correct", source, source, SET)
    students.write_notebook(tmp_path / "nb" / SET / f"{SET}.ipynb", nb)
    from_notebook = collect.gather(tmp_path / "nb")
    assert flat.files == nested.files and set(from_notebook.files) == {f"{SET}.py"}
    assert collect.gather(write(tmp_path / "z", {"submission.zip": zipped("correct")})).files == flat.files
    write(tmp_path / "both", {**correct, "submission.zip": zipped("wrong")})
    with pytest.raises(SubmissionError, match="handed in twice"):
        collect.gather(tmp_path / "both")


def test_discover_finds_students_in_both_layouts(tmp_path: Path) -> None:
    write(tmp_path / "course" / "submitted" / "ann" / SET, {f"{SET}.ipynb": "{}"})
    write(tmp_path / "course" / "source" / SET, {f"{SET}.ipynb": "{}"})
    assert list(collect.discover(tmp_path / "course")) == ["ann"]
    write(tmp_path / "flat" / "bob", {f"{SET}.py": ""})
    (tmp_path / "flat" / "cat.zip").write_bytes(b"")
    (tmp_path / "flat" / "bob.zip").write_bytes(b"")
    (tmp_path / "flat" / "notes.txt").write_text("")
    found = collect.discover(tmp_path / "flat")
    assert list(found) == ["bob", "cat"] and len(found["bob"]) == 2


@pytest.mark.slow
def test_a_class_is_graded_in_parallel_and_broken_submissions_do_not_stop_it(tmp_path: Path,
                                                                              secret_file: Path) -> None:
    subs = tmp_path / "class"
    write(subs / "correct", students.module("correct", SET))
    (subs / "wrong.zip").write_bytes(zipped("wrong"))
    write(subs / "hostile", students.module("hostile", SET))
    write(subs / "crash", {f"{SET}.py": "import os\nos._exit(0)\n"})
    write(subs / "loop", {f"{SET}.py": "while True:\n    pass\n"})
    (subs / "symlink.zip").write_bytes(make_zip({f"{SET}.py": b""}, link="helpers.py"))
    write(subs / "twice", students.module("correct", SET))
    (subs / "twice.zip").write_bytes(zipped("correct"))
    out = tmp_path / "out"
    result = run_cli("batch", str(subs), "--secret-file", str(secret_file), "-o", str(out), "-j", "2",
                     "--ops", SET, "--timeout", "2")
    assert result.returncode == 0, result.stderr
    rows = grades(out)
    assert list(rows) == sorted(rows) == ["correct", "crash", "hostile", "loop", "symlink", "twice", "wrong"]
    assert list(rows["correct"]) == ["student", *(op.name for op in OPS), "total", "max", "status"]
    assert float(rows["correct"]["total"]) == TOTAL and rows["correct"]["status"] == "graded"
    for name in ("wrong", "hostile", "crash", "loop"):
        assert float(rows[name]["total"]) == 0 and rows[name]["status"] == "graded", name
    assert rows["symlink"]["status"].startswith("rejected:") and "symbolic link" in rows["symlink"]["status"]
    assert "more than once" in rows["twice"]["status"]
    assert "timeout" in (out / "feedback" / "loop.txt").read_text()
    assert "crashed" in (out / "feedback" / "crash.txt").read_text()
    hostile = json.loads((out / "feedback" / "hostile.json").read_text())
    assert "hidden" not in hostile["seeds"], "the hidden seed is not handed back"
    assert "hidden" in json.loads((out / "results" / "hostile.json").read_text())["report"]["seeds"]
    assert "inputs of hidden cases are not shown" in (out / "feedback" / "hostile.txt").read_text()
    assert not list(out.rglob(".*.tmp"))


@pytest.mark.slow
def test_an_nbgrader_course_directory_is_graded_from_its_notebooks(tmp_path: Path, secret_file: Path) -> None:
    source = notebook(SET, OPS)
    for kind in ("correct", "wrong"):
        nb = students.notebook(kind, source, source, SET)
        students.write_notebook(tmp_path / "course" / "submitted" / kind / SET / f"{SET}.ipynb", nb)
    result = run_cli("batch", str(tmp_path / "course"), "--secret-file", str(secret_file), "-o",
                     str(tmp_path / "out"), "--ops", SET, "--quiet")
    assert result.returncode == 0, result.stderr
    rows = grades(tmp_path / "out")
    assert float(rows["correct"]["total"]) == TOTAL and float(rows["wrong"]["total"]) == 0


@pytest.mark.slow
def test_an_interrupted_batch_resumes_without_regrading_finished_submissions(tmp_path: Path,
                                                                              secret_file: Path) -> None:
    subs = tmp_path / "class"
    correct = students.module("correct", SET)
    for n in range(2):
        write(subs / f"a{n}", correct)
    slow = {**correct, f"{SET}.py": correct[f"{SET}.py"] + "\nimport time\n\ntime.sleep(1.5)\n"}
    for n in range(4):
        write(subs / f"b{n}", slow)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "autograder", "batch", str(subs), "--secret-file", str(secret_file),
               "-o", str(out), "-j", "1", "--ops", OPS[0].name, "--quiet"]
    first = subprocess.Popen(command, cwd=ROOT, env=tool_env(), start_new_session=True,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while len(list((out / "results").glob("*.json"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait()
    done = {p.name: (p.stat().st_mtime_ns, p.read_text()) for p in (out / "results").glob("*.json")}
    assert 2 <= len(done) < 6, "the kill did not land mid-batch"
    for path in [*(out / "results").glob("*.json"), *(out / "feedback").glob("*.json")]:
        json.loads(path.read_text())  # every file there is complete
    second = subprocess.run(command[:-1], cwd=ROOT, env=tool_env(), text=True, capture_output=True, timeout=300)
    assert second.returncode == 0, second.stderr
    assert f"{len(done)} already graded" in second.stderr
    for name, (mtime, text) in done.items():
        path = out / "results" / name
        assert (path.stat().st_mtime_ns, path.read_text()) == (mtime, text), f"{name} was regraded"
    rows = grades(out)
    assert sorted(rows) == ["a0", "a1", "b0", "b1", "b2", "b3"]
    assert all(float(row["total"]) == OPS[0].points for row in rows.values())
    assert not list(out.rglob(".*.tmp"))

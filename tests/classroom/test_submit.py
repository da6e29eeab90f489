"""``submit`` bundles exactly what counts; ``grade`` takes that zip and refuses any archive it cannot trust."""

from __future__ import annotations

import io
import json
import shutil
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from autograder import registry
from autograder.intake import archive
from autograder.intake.submission import MAX_FILE_BYTES
from tests.conftest import ROOT, run_cli

SETS = list(registry.SETS)


def make_zip(members: dict[str, bytes], *, link: str | None = None, manifest: bool = True,
             manifest_of: dict[str, bytes] | None = None) -> bytes:
    """A zip of ``members`` with a manifest (of ``manifest_of``, default the members themselves; none if told
    not to), plus a symlink if asked."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
        if link:
            info = zipfile.ZipInfo(link)
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            z.writestr(info, "/etc/passwd")
        if manifest:
            z.writestr(archive.MANIFEST, json.dumps(archive.manifest(manifest_of or members)))
    return buffer.getvalue()


@pytest.fixture
def student(tmp_path: Path) -> Path:
    """A student's checkout: solved exercises plus files that must never be handed in."""
    shutil.copytree(ROOT / "solutions", tmp_path / "exercises")
    for junk in ("torch.py", "conftest.py", "notes.txt"):
        (tmp_path / "exercises" / junk).write_text("raise SystemExit('shadowing attempt')\n")
    return tmp_path


def test_submit_bundles_exactly_the_whitelisted_files_and_a_manifest_of_them(student: Path) -> None:
    result = run_cli("submit", cwd=student)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(student / "submission.zip") as z:
        names = set(z.namelist())
        record = json.loads(z.read(archive.MANIFEST))
        contents = {n: z.read(n) for n in names - {archive.MANIFEST}}
    expected = {p.name for p in (ROOT / "solutions").glob("*.py")} & archive.allowed(SETS)
    assert names == expected | {archive.MANIFEST}
    assert record["files"] == {n: archive.sha256((student / "exercises" / n).read_bytes()) for n in expected}
    assert contents == {n: (student / "exercises" / n).read_bytes() for n in expected}
    assert {"grader_version", "torch_version", "created"} <= set(record)
    assert record["torch_version"].startswith("2.13.0")


def test_a_submitted_zip_grades_exactly_like_the_folder_it_came_from(student: Path, secret_file: Path) -> None:
    assert run_cli("submit", "-o", "out/hand-in.zip", cwd=student).returncode == 0
    reports = []
    for path in (student / "out" / "hand-in.zip", student / "exercises"):
        result = run_cli("grade", str(path), "--secret-file", str(secret_file), "--format", "json")
        assert result.returncode == 0, result.stdout + result.stderr
        reports.append(json.loads(result.stdout))
    zipped, folder = reports
    assert zipped["submission_hash"] == folder["submission_hash"] and zipped["seeds"] == folder["seeds"]
    assert zipped["score"] == folder["score"] == sum(op.points for op in registry.OPS.values())


def test_submit_without_exercise_modules_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "exercises").mkdir()
    result = run_cli("submit", cwd=tmp_path)
    assert result.returncode == 2 and "no exercise modules" in result.stderr
    assert not (tmp_path / "submission.zip").exists()


GOOD = {"binary.py": b"def mul_backward(grad, x, y):\n    return grad * y, grad * x\n"}
EDITED = {"binary.py": GOOD["binary.py"].replace(b"grad * y, grad * x", b"grad * x, grad * y")}

REFUSED: dict[str, tuple[Callable[[], bytes], str]] = {
    "symlink": (lambda: make_zip(GOOD, link="helpers.py"), "symbolic link"),
    "absolute path": (lambda: make_zip({**GOOD, "/etc/cron.d/x": b"x"}), "absolute path"),
    "dot-dot path": (lambda: make_zip({**GOOD, "../../helpers.py": b"x"}), "leaves its folder"),
    "unexpected file": (lambda: make_zip({**GOOD, "torch.py": b"x"}), "unexpected file 'torch.py'"),
    "oversized file": (lambda: make_zip({"binary.py": b"#" * (MAX_FILE_BYTES + 1)}), "larger than"),
    "no manifest": (lambda: make_zip(GOOD, manifest=False), "no manifest.json"),
    "file changed after packing": (lambda: make_zip(EDITED, manifest_of=GOOD), "changed after the archive was made"),
    "not a zip": (lambda: b"PK\x03\x04 this is not really a zip", "not a readable zip"),
}


@pytest.mark.parametrize("kind", list(REFUSED))
def test_untrustworthy_archives_are_refused_with_the_reason(kind: str) -> None:
    make, reason = REFUSED[kind]
    with pytest.raises(archive.ArchiveError, match=reason):
        archive.unpack(make(), SETS, "submission.zip")


@pytest.mark.parametrize("kind", ["symlink", "file changed after packing"])
def test_grade_refuses_such_an_archive_with_exit_2_and_no_traceback(kind: str, tmp_path: Path,
                                                                    secret_file: Path) -> None:
    make, reason = REFUSED[kind]
    (tmp_path / "submission.zip").write_bytes(make())
    result = run_cli("grade", str(tmp_path / "submission.zip"), "--secret-file", str(secret_file))
    assert result.returncode == 2
    assert reason in result.stderr and "Traceback" not in result.stderr

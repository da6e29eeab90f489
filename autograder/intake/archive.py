"""Submission archives: the zip ``submit`` writes and ``grade`` accepts.

A submission zip holds exactly the whitelisted files (``<set>.py``, ``helpers.py``) and ``manifest.json``,
which records each file's SHA-256, the grader and torch versions and when it was made. Reading one
trusts nothing in it: members that are symlinks, absolute paths, ``..`` paths, unexpected names,
duplicates, encrypted or larger than the limits (measured while decompressing, not taken from the
headers) are refused, and every file must match its hash in the manifest.
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
import stat
import zipfile
import zlib
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import autograder
from autograder.common.files import add_member
from autograder.intake.submission import MAX_FILE_BYTES, SubmissionError

MANIFEST = "manifest.json"
FORMAT = "autograd-by-hand submission"
MAX_ARCHIVE_BYTES = 16 << 20
MAX_TOTAL_BYTES = 8 << 20
MAX_MEMBERS = 64


class ArchiveError(SubmissionError):
    """A submission archive that is refused before any of it is graded."""


def allowed(sets: list[str]) -> set[str]:
    return {f"{name}.py" for name in sets} | {"helpers.py"}


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def manifest(files: dict[str, bytes]) -> dict[str, Any]:
    return {"format": FORMAT, "version": 1, "files": {name: sha256(files[name]) for name in sorted(files)},
            "grader_version": autograder.__version__, "torch_version": _version("torch"),
            "python_version": platform.python_version(),
            "created": datetime.now(UTC).isoformat(timespec="seconds")}


def pack(files: dict[str, bytes]) -> tuple[bytes, dict[str, Any]]:
    """The bytes of a submission zip holding ``files`` and their manifest."""
    record = manifest(files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name in [*sorted(files), MANIFEST]:
            data = files[name] if name in files else (json.dumps(record, indent=2) + "\n").encode()
            add_member(z, name, data)
    return buffer.getvalue(), record


def _check_name(name: str, expected: set[str]) -> None:
    parts = name.replace("\\", "/").split("/")
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        raise ArchiveError(f"the archive contains an absolute path: {name!r}")
    if ".." in parts:
        raise ArchiveError(f"the archive contains a path that leaves its folder: {name!r}")
    if name not in expected:
        raise ArchiveError(f"the archive contains an unexpected file {name!r}; a submission zip holds only "
                           f"{', '.join(sorted(expected))} (make one with `python -m autograder submit`)")


def _members(z: zipfile.ZipFile, expected: set[str]) -> dict[str, bytes]:
    infos = z.infolist()
    if len(infos) > MAX_MEMBERS:
        raise ArchiveError(f"the archive has {len(infos)} entries (at most {MAX_MEMBERS})")
    found: dict[str, bytes] = {}
    total = 0
    for info in infos:
        kind = stat.S_IFMT(info.external_attr >> 16)
        if kind == stat.S_IFLNK:
            raise ArchiveError(f"the archive contains a symbolic link: {info.filename!r}")
        _check_name(info.filename, expected)
        if info.flag_bits & 0x1:
            raise ArchiveError(f"{info.filename!r} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArchiveError(f"{info.filename!r} is compressed with a method other than deflate (zip's usual one); "
                               "make the zip with `python -m autograder submit`")
        if info.filename in found:
            raise ArchiveError(f"{info.filename!r} is in the archive twice")
        with z.open(info) as member:
            data = member.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise ArchiveError(f"{info.filename!r} is larger than the {MAX_FILE_BYTES}-byte limit")
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            raise ArchiveError(f"the archive holds more than {MAX_TOTAL_BYTES} bytes")
        found[info.filename] = data
    return found


def _verified(found: dict[str, bytes]) -> tuple[dict[str, bytes], dict[str, Any]]:
    if MANIFEST not in found:
        raise ArchiveError(f"the archive has no {MANIFEST} (make it with `python -m autograder submit`)")
    try:
        record = json.loads(found.pop(MANIFEST))
        hashes = record["files"]
        assert isinstance(hashes, dict)
    except (ValueError, KeyError, TypeError, AssertionError, RecursionError):
        raise ArchiveError(f"{MANIFEST} is not a valid manifest") from None
    if set(hashes) != set(found):
        raise ArchiveError(f"{MANIFEST} lists {sorted(hashes)} but the archive holds {sorted(found)}")
    changed = [name for name, data in found.items() if sha256(data) != hashes[name]]
    if changed:
        raise ArchiveError(f"{', '.join(changed)} changed after the archive was made (hash differs from "
                           f"{MANIFEST}); make a new one with `python -m autograder submit`")
    return found, record


def unpack(data: bytes, sets: list[str], name: str = "archive") -> tuple[dict[str, bytes], dict[str, Any]]:
    """The verified files of a submission zip and its manifest."""
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ArchiveError(f"{name}: {len(data)} bytes is larger than the {MAX_ARCHIVE_BYTES}-byte limit")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            found = _members(z, allowed(sets) | {MANIFEST})
    except ArchiveError as err:
        raise ArchiveError(f"{name}: {err}") from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, OSError,
            ValueError, RuntimeError) as err:  # every way a damaged zip fails to decode
        raise ArchiveError(f"{name}: not a readable zip archive ({type(err).__name__}: {err})") from None
    try:
        return _verified(found)
    except ArchiveError as err:
        raise ArchiveError(f"{name}: {err}") from None


def read(path: Path, sets: list[str]) -> tuple[dict[str, bytes], dict[str, Any]]:
    if path.is_symlink():
        raise ArchiveError(f"{path}: is a symbolic link; submit the file itself")
    if not path.is_file():
        raise ArchiveError(f"{path}: not a file")
    size = path.stat().st_size
    if size > MAX_ARCHIVE_BYTES:
        raise ArchiveError(f"{path}: {size} bytes is larger than the {MAX_ARCHIVE_BYTES}-byte limit")
    return unpack(path.read_bytes(), sets, str(path))

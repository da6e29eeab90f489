"""A submission on disk: which files count, their hash, and a private copy for the sandbox to import.

Only the exercise modules (``<set>.py``) and ``helpers.py`` are taken; anything else a submission ships
(``torch.py``, ``conftest.py``, ``*.pth``, native code) is ignored, so it can shadow nothing.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 1 << 20


class SubmissionError(ValueError):
    """A submission that cannot be graded at all (not a directory, a symlinked file...)."""


@dataclass(frozen=True)
class Submission:
    path: Path
    files: dict[str, bytes]
    """Whitelisted file name -> content."""

    @property
    def digest(self) -> str:
        h = hashlib.sha256()
        for name in sorted(self.files):
            h.update(name.encode() + b"\0" + hashlib.sha256(self.files[name]).digest())
        return h.hexdigest()

    def has(self, module: str) -> bool:
        return f"{module}.py" in self.files

    def stage(self, readable: bool = False) -> Path:
        """Copy the counted files into a fresh private directory (the child imports from there).

        ``readable``: also readable by other users, for a child that runs as another user.
        """
        root = Path(tempfile.mkdtemp(prefix="abh-submission-"))
        for name, content in self.files.items():
            (root / name).write_bytes(content)
            if readable:
                (root / name).chmod(0o644)
        if readable:
            root.chmod(0o755)
        return root


def load(path: str | Path, modules: list[str]) -> Submission:
    """Read the whitelisted files of a submission directory."""
    root = Path(path)
    if not root.is_dir():
        raise SubmissionError(f"{path}: not a directory (expected a folder laid out like exercises/)")
    files: dict[str, bytes] = {}
    for name in [*(f"{m}.py" for m in modules), "helpers.py"]:
        file = root / name
        if file.is_symlink():
            raise SubmissionError(f"{file}: is a symbolic link; submit the file itself")
        if not file.is_file():
            continue
        size = file.stat().st_size
        if size > MAX_FILE_BYTES:
            raise SubmissionError(f"{file}: {size} bytes is larger than the {MAX_FILE_BYTES}-byte limit")
        files[name] = file.read_bytes()
    return Submission(root, files)


def unstage(root: Path) -> None:
    shutil.rmtree(root, ignore_errors=True)

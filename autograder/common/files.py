"""Writing files safely: atomic replacement, and zip members that are the same bytes on every machine."""

from __future__ import annotations

import os
import stat
import zipfile
from pathlib import Path

ZIP_DATE = (1980, 1, 1, 0, 0, 0)
"""Every zip member's timestamp: the earliest a zip can hold, so a zip's bytes depend only on its content."""


def write_atomically(path: str | Path, content: str | bytes) -> None:
    """Write via a temporary file in the same directory, then rename: never a half-written file. Text is written as
    UTF-8, with anything that is not valid Unicode (a lone surrogate) written as its backslash escape."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(content.encode("utf-8", "backslashreplace") if isinstance(content, str) else content)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)


def add_member(z: zipfile.ZipFile, name: str, data: bytes, executable: bool = False) -> None:
    """Add ``data`` as ``name``, deflated, with a fixed date and mode (0755 or 0644)."""
    info = zipfile.ZipInfo(name, ZIP_DATE)
    info.external_attr = (stat.S_IFREG | (0o755 if executable else 0o644)) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    z.writestr(info, data)

"""How a child locks itself down before it touches student code.

Applied in the child right after fork, in this order: its own session (so the grader can kill the whole
process group), no inherited file descriptors but the result pipe, output redirected to a capped pipe,
resource limits, an empty working directory, a scrubbed environment, and an import path that holds only
the Python installation (no project directory, so no ``solutions`` and no grader source to read).
"""

from __future__ import annotations

import os
import resource
import sys
from dataclasses import asdict, dataclass

GiB = 1 << 30


@dataclass(frozen=True)
class Limits:
    """Per-exercise limits, enforced from outside the student's code."""

    seconds: float = 20.0
    """Wall-clock time for the whole exercise (every case), enforced by the grader with SIGKILL."""
    memory_bytes: int = 1 * GiB
    """Address space the child may add to what it has after fork."""
    output_bytes: int = 64 * 1024
    """Printed output kept; the rest is counted and dropped."""
    result_bytes: int = 256 * 1024 * 1024
    """Result data accepted from the child."""
    file_bytes: int = 16 * 1024 * 1024
    open_files: int = 64

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _address_space() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def lock_down(limits: Limits, keep_fds: tuple[int, ...], output_fd: int, workdir: str) -> None:
    """Restrict the current (child) process. Call before importing the submission."""
    os.setsid()
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    keep = sorted({0, 1, 2, *keep_fds})
    for low, high in zip([*keep], [*keep[1:], 65536], strict=True):
        os.closerange(low + 1, high)
    cpu = int(limits.seconds) + 1
    for name, value in ((resource.RLIMIT_AS, _address_space() + limits.memory_bytes),
                        (resource.RLIMIT_CPU, cpu),
                        (resource.RLIMIT_FSIZE, limits.file_bytes),
                        (resource.RLIMIT_NOFILE, limits.open_files),
                        (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(name, (value, value))
    os.chdir(workdir)
    os.environ.clear()
    os.environ.update({"PATH": "/usr/bin:/bin", "HOME": workdir, "TMPDIR": workdir, "LANG": "C.UTF-8"})
    installed = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    sys.path[:] = [p for p in sys.path if p and any(os.path.realpath(p).startswith(i) for i in installed)]
    sys.stdout = os.fdopen(1, "w", buffering=1, closefd=False)
    sys.stderr = os.fdopen(2, "w", buffering=1, closefd=False)

"""How a child locks itself down before it touches student code.

Applied in the child right after fork, in this order:

1. its own session (so the grader can kill the whole process group), death with the zygote, no inherited
   file descriptors but the result pipe, output redirected to a capped pipe;
2. a network namespace with no interfaces, and a private size-capped tmpfs as working directory (both
   need root; see :mod:`autograder.sandbox.confine`);
3. resource limits: address space, CPU time, file size, open files, no core dumps;
4. a scrubbed environment and an import path that holds only the Python installation;
5. Landlock (:mod:`autograder.sandbox.landlock`): read the Python installation, the system libraries and
   the staged submission; write the working directory; nothing else, no TCP, no signals out;
6. no capabilities at all (when running as root).

``RLIMIT_NPROC`` is deliberately not set: the kernel does not apply it to root, and for any other user it
counts every process that user owns (a student's browser included), so no fixed number is both safe and
useful. Stray processes are instead killed after each exercise (:mod:`autograder.sandbox.zygote`).
"""

from __future__ import annotations

import os
import resource
import signal
import sys
from dataclasses import asdict, dataclass

from autograder.sandbox import confine, landlock, privileges

GiB, MiB = 1 << 30, 1 << 20
SYSTEM_LIBRARIES = ("/lib", "/lib64", "/usr/lib", "/usr/lib64", "/usr/local/lib", "/etc/ld.so.cache")
DEVICES = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random")
CLEAN_ENVIRONMENT = ("PATH", "HOME", "TMPDIR", "LANG")


@dataclass(frozen=True)
class Limits:
    """Per-exercise limits, enforced from outside the student's code."""

    seconds: float = 20.0
    """Wall-clock time for the whole exercise (import and every case), enforced by the grader with SIGKILL."""
    import_seconds: float = 10.0
    """Wall-clock time for importing the submission's module (part of ``seconds``)."""
    memory_bytes: int = 1 * GiB
    """Address space the child may add to what it has after fork."""
    output_bytes: int = 64 * 1024
    """Printed output kept; the rest is counted and dropped."""
    result_bytes: int = 256 * MiB
    """Result data accepted from the child."""
    file_bytes: int = 16 * MiB
    """Largest file the child may write."""
    workdir_bytes: int = 64 * MiB
    """Size of the private working directory, where it is a tmpfs."""
    open_files: int = 64

    def as_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _address_space() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _inside(path: str, roots: set[str]) -> bool:
    real = os.path.realpath(path)
    return any(real == r or real.startswith(r + os.sep) for r in roots)


def installation() -> list[str]:
    """Directories that make up the Python installation (real paths), with wherever torch and numpy live."""
    roots = {os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix)}
    for name in ("torch", "numpy"):
        module = sys.modules.get(name)
        if module is not None and getattr(module, "__file__", None):
            roots.add(os.path.dirname(os.path.dirname(os.path.realpath(module.__file__))))
    return sorted(roots | {os.path.realpath(p) for p in sys.path if p and _inside(p, roots)})


def _close_inherited(keep_fds: tuple[int, ...]) -> None:
    keep = sorted({0, 1, 2, *keep_fds})
    for low, high in zip([*keep], [*keep[1:], 65536], strict=True):
        os.closerange(low + 1, high)


def lock_down(limits: Limits, keep_fds: tuple[int, ...], output_fd: int, workdir: str,
              readable: tuple[str, ...] = (), account: privileges.Account | None = None) -> list[str]:
    """Restrict the current (child) process; returns the names of the isolation layers now active.

    ``readable`` are extra directories the child may read (the staged submission). Call before importing
    the submission.
    """
    os.setsid()
    confine.prctl(confine.PR_SET_PDEATHSIG, signal.SIGKILL)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(output_fd, 1)
    os.dup2(output_fd, 2)
    _close_inherited(keep_fds)
    layers = ["process", "rlimits"]
    layers += filter(None, [confine.private_network(), confine.private_tmpfs(workdir, limits.workdir_bytes)])
    cpu = int(limits.seconds) + 1
    for name, value in ((resource.RLIMIT_AS, _address_space() + limits.memory_bytes),
                        (resource.RLIMIT_CPU, cpu),
                        (resource.RLIMIT_FSIZE, limits.file_bytes),
                        (resource.RLIMIT_NOFILE, limits.open_files),
                        (resource.RLIMIT_CORE, 0)):
        resource.setrlimit(name, (value, value))
    os.chdir(workdir)
    os.environ.clear()
    os.environ.update({"PATH": "/usr/bin:/bin", "HOME": workdir, "TMPDIR": workdir, "LANG": "C.UTF-8",
                       "TORCHINDUCTOR_CACHE_DIR": workdir})  # torch.func may create its cache dir lazily
    installed = installation()
    sys.path[:] = [p for p in sys.path if p and _inside(p, set(installed))]
    sys.path_importer_cache.clear()
    sys.stdout = os.fdopen(1, "w", buffering=1, closefd=False)
    sys.stderr = os.fdopen(2, "w", buffering=1, closefd=False)
    layers += landlock.restrict(read=[*installed, *SYSTEM_LIBRARIES, *DEVICES, *readable], write=[workdir])
    if account is not None:  # a root grader (Gradescope) runs student code as an unprivileged user
        os.chown(workdir, account.uid, account.gid)
        privileges.drop(account)
        layers.append(f"user:{account.name}")
    layers += filter(None, [confine.drop_capabilities()])
    return layers

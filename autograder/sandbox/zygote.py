"""A clean process that forks one child per exercise, so student code never runs in the grader.

The grader starts the zygote right after importing torch, before it reads any secret, reference solution
or expected value: whatever a child can find in its memory, the zygote never had. Forking from a process
that already imported torch costs milliseconds instead of the seconds a fresh interpreter would take.

What the zygote still inherits is the grader's environment and command line, which the kernel keeps in
the process's memory (``/proc/self/environ`` reads it back) and which may name an instructor's secret
(``AUTOGRADER_SECRET``). So the zygote first overwrites them in place: the environment's strings, Python's
copies of them, and ``sys.argv``. Children are forks of that scrubbed memory.

Protocol on a Unix socket (grader <-> zygote), one job at a time:
  grader sends 1 byte with three file descriptors attached (result pipe, output pipe, the read end of the
  cases pipe), then one wire frame (the job: submission directory, module, function, calls, limits; no
  tensors: the cases reach the child directly through the cases pipe, after it has imported the submission,
  so neither the zygote nor the student's code at import ever holds them);
  the zygote forks, answers ``{"pid": N}``; when the child has exited it kills whatever the child left
  behind (its process group, and processes that escaped it, which the zygote inherits as their
  subreaper), removes the child's working directory and answers ``{"status": S, "strays": K}``.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import shutil
import signal
import socket
import sys
import tempfile
from typing import Any

import torch

from autograder.sandbox import child, confine, limits, policy, privileges, wire
from autograder.sandbox.drivers import Drivers

_EXIT = os._exit  # taken now: a child's student code may replace os._exit


def _receive_job(sock: socket.socket) -> tuple[list[int], dict[str, Any]] | None:
    _, fds, _, _ = socket.recv_fds(sock, 1, 3)
    if len(fds) != 3:
        return None
    reader = wire.FrameReader(max_bytes=1 << 28)
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            return None
        for meta, _ in reader.feed(chunk):
            return fds, meta


def _run_child(fds: list[int], job: dict[str, Any], workdir: str, account: privileges.Account | None,
               drivers: Drivers) -> None:
    result_fd, output_fd, cases_fd = fds
    status = 70
    try:
        layers = limits.lock_down(limits.Limits(**job["limits"]), (result_fd, cases_fd), output_fd, workdir,
                                  (job["dir"],), account)
        policy.install()
        child.serve(result_fd, cases_fd, job, layers, drivers)
        status = 0
    except BaseException:
        status = 71
    finally:
        _EXIT(status)
        os.kill(os.getpid(), signal.SIGKILL)


def _proc_stat(pid: int | str) -> list[str]:
    """Fields of ``/proc/PID/stat`` after the command name (field 3 onwards)."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        return f.read().rsplit(b")", 1)[1].decode().split()


def _strays() -> list[int]:
    """Live children of the zygote: after a job, only processes a child left behind."""
    me, found = str(os.getpid()), []
    with contextlib.suppress(OSError):
        for entry in os.scandir("/proc"):
            if entry.name.isdigit():
                with contextlib.suppress(OSError, IndexError):
                    if _proc_stat(entry.name)[1] == me:
                        found.append(int(entry.name))
    return found


def _reap() -> None:
    with contextlib.suppress(ChildProcessError):
        while os.waitpid(-1, os.WNOHANG)[0]:
            pass


def _clean_up_after(pid: int) -> tuple[int, int]:
    """Reap the child and kill what it left running; returns its wait status and how many strays died."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)  # the child's pid is still reserved (not reaped): no reuse possible
    _, status = os.waitpid(pid, 0)
    killed = 0
    for _ in range(1000):  # each round kills one generation; their children come to the zygote next
        _reap()
        strays = _strays()
        if not strays:
            break
        for stray in strays:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(stray, signal.SIGKILL)
                killed += 1
    _reap()
    return status, killed


def serve(sock: socket.socket, drivers: Drivers, account: privileges.Account | None = None) -> None:
    """The zygote's loop: runs until the grader closes the socket. Children run as ``account`` if given."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warmed = False
    while True:
        job = _receive_job(sock)
        if job is None:
            return
        fds, meta = job
        if meta.get("warm_up") and not warmed:
            # Exercises that run autograd (torch.func above all) pay its first-use cost once, here,
            # instead of once in every child.
            drivers.warm_up()
            warmed = True
        workdir = tempfile.mkdtemp(prefix="abh-child-")
        pid = os.fork()
        if pid == 0:
            sock.close()
            _run_child(fds, meta, workdir, account, drivers)
        for fd in fds:
            os.close(fd)
        sock.sendall(wire.encode({"pid": pid}))
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
        status, killed = _clean_up_after(pid)
        shutil.rmtree(workdir, ignore_errors=True)
        sock.sendall(wire.encode({"status": status, "strays": killed}))


def _wipe(address: int, size: int) -> None:
    if address and size > 0:
        ctypes.memset(address, 0, size)


def scrub_memory() -> None:
    """Overwrite the environment and the command line this process inherited, wherever they are in memory.

    ``os.environ`` is a dict of bytes copied from the C environment, which points into the block the
    kernel wrote at exec (the block ``/proc/PID/environ`` reads): all three are wiped, as is the command
    line after the program name (``/proc/PID/cmdline``, ``sys.argv``).
    """
    import posix

    offset = sys.getsizeof(b"") - 1  # where a bytes object's characters start
    for value in posix.environ.values():
        if len(value) > 1:  # 0- and 1-byte bytes objects are shared singletons
            _wipe(id(value) + offset, len(value))
    with contextlib.suppress(OSError, ValueError):  # no C ``environ`` symbol to find (not glibc): skip
        libc = ctypes.CDLL(None)
        libc.strlen.restype = ctypes.c_size_t
        table = ctypes.c_void_p.in_dll(libc, "environ").value  # char **environ, read as addresses only
        entries = ctypes.cast(table, ctypes.POINTER(ctypes.c_void_p)) if table else None
        i = 0
        while entries is not None and entries[i]:
            _wipe(entries[i], libc.strlen(ctypes.c_void_p(entries[i])))
            i += 1
    os.environ.clear()
    with contextlib.suppress(OSError, IndexError, ValueError):
        fields = [int(x) for x in _proc_stat("self")[45:49]]  # arg_start, arg_end, env_start, env_end
        arg_start, arg_end, env_start, env_end = fields
        program = ctypes.string_at(arg_start)
        _wipe(arg_start + len(program) + 1, arg_end - arg_start - len(program) - 1)
        _wipe(env_start, env_end - env_start)
    sys.argv[1:] = []
    sys.orig_argv[1:] = []


def _become_zygote(sock: socket.socket, grader: int) -> None:
    confine.prctl(confine.PR_SET_PDEATHSIG, signal.SIGKILL)  # never outlive the grader
    if os.getppid() != grader:  # it died before the line above took effect
        _EXIT(0)
    confine.prctl(confine.PR_SET_DUMPABLE, 0)  # other processes of this user cannot read its memory
    confine.prctl(confine.PR_SET_CHILD_SUBREAPER, 1)  # orphans of a child come here, to be killed
    keep = sorted({0, 1, 2, sock.fileno()})
    for low, high in zip(keep, [*keep[1:], 65536], strict=True):
        os.closerange(low + 1, high)
    scrub_memory()
    # torch reads /proc/cpuinfo and /sys on its first op; do that here, once, so children (which cannot
    # read those files) inherit it. Single-threaded and tiny: no OpenMP pool exists to break the forks.
    torch.ones(2, dtype=torch.float64).mul(2)


def start(drivers: Drivers, account: privileges.Account | None = None) -> tuple[int, socket.socket]:
    """Fork the zygote from the current (clean) process; returns its pid and the grader's socket end."""
    torch.set_num_threads(1)  # a child of a process that ran a parallel op can deadlock in OpenMP
    ours, theirs = socket.socketpair()
    grader = os.getpid()
    pid = os.fork()
    if pid == 0:
        ours.close()
        code = 0
        try:
            _become_zygote(theirs, grader)
            if account is not None:
                # Children running as another user cannot read the Python files under a private home
                # (/root here): everything autograd loads lazily is loaded now, while the zygote still can.
                drivers.warm_up()
            serve(theirs, drivers, account)
        except BaseException:
            code = 1
        finally:
            _EXIT(code)
    theirs.close()
    return pid, ours

"""A clean process that forks one child per exercise, so student code never runs in the grader.

The grader starts the zygote right after importing torch, before it reads any secret, reference solution
or expected value: whatever a child can find in its memory, the zygote never had. Forking from a process
that already imported torch costs milliseconds instead of the seconds a fresh interpreter would take.

Protocol on a Unix socket (grader <-> zygote), one job at a time:
  grader sends 1 byte with two file descriptors attached (result pipe, output pipe), then one wire frame
  (the job: submission directory, module, function, calls, limits; the tensors of every call);
  the zygote forks, answers ``{"pid": N}``, reaps the child and answers ``{"status": S}``.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import tempfile
from typing import Any

import torch

from autograder.sandbox import child, limits, policy, privileges, wire


def _receive_job(sock: socket.socket) -> tuple[list[int], dict[str, Any], list[torch.Tensor | None]] | None:
    _, fds, _, _ = socket.recv_fds(sock, 1, 2)
    if len(fds) != 2:
        return None
    reader = wire.FrameReader(max_bytes=1 << 34)
    while True:
        chunk = sock.recv(1 << 20)
        if not chunk:
            return None
        for meta, tensors in reader.feed(chunk):
            return fds, meta, tensors


def _run_child(fds: list[int], job: dict[str, Any], tensors: list[torch.Tensor | None],
               account: privileges.Account | None) -> None:
    result_fd, output_fd = fds
    status = 70
    try:
        workdir = tempfile.mkdtemp(prefix="abh-child-")
        if account is not None:
            os.chown(workdir, account.uid, account.gid)
        limits.lock_down(limits.Limits(**job["limits"]), (result_fd,), output_fd, workdir)
        if account is not None:
            privileges.drop(account)
        policy.install()
        child.serve(result_fd, job, tensors)
        status = 0
    except BaseException:
        status = 71
    finally:
        os._exit(status)


def serve(sock: socket.socket, account: privileges.Account | None = None) -> None:
    """The zygote's loop: runs until the grader closes the socket. Children run as ``account`` if given."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    while True:
        job = _receive_job(sock)
        if job is None:
            return
        fds, meta, tensors = job
        pid = os.fork()
        if pid == 0:
            sock.close()
            _run_child(fds, meta, tensors, account)
        for fd in fds:
            os.close(fd)
        sock.sendall(wire.encode({"pid": pid}))
        _, status = os.waitpid(pid, 0)
        sock.sendall(wire.encode({"status": status}))


def start(account: privileges.Account | None = None) -> tuple[int, socket.socket]:
    """Fork the zygote from the current (clean) process; returns its pid and the grader's socket end."""
    torch.set_num_threads(1)  # a child of a process that ran a parallel op can deadlock in OpenMP
    ours, theirs = socket.socketpair()
    pid = os.fork()
    if pid == 0:
        ours.close()
        code = 0
        try:
            serve(theirs, account)
        except BaseException:
            code = 1
        finally:
            sys.stdout.flush()
            os._exit(code)
    theirs.close()
    return pid, ours

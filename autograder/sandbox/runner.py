"""The grader's side of the sandbox: send a job to the zygote, collect raw frames, enforce the time limits."""

from __future__ import annotations

import contextlib
import os
import selectors
import signal
import socket
import time
from dataclasses import dataclass, field
from typing import Any

import torch

from autograder.sandbox import confine, privileges, protocol, wire, zygote
from autograder.sandbox.drivers import Drivers
from autograder.sandbox.limits import Limits

Frame = tuple[dict[str, Any], list[torch.Tensor | None]]


@dataclass
class Run:
    """Everything observed about one child: its frames, output, and how it ended."""

    frames: list[Frame] = field(default_factory=list)
    output: bytes = b""
    output_dropped: int = 0
    timed_out: bool = False
    import_timed_out: bool = False
    """The child did not finish importing the submission within ``Limits.import_seconds``."""
    status: int | None = None
    wire_error: str | None = None
    seconds: float = 0.0
    layers: list[str] = field(default_factory=list)
    """Isolation layers the child reported active (see :func:`autograder.sandbox.limits.lock_down`)."""
    strays: int = 0
    """Processes the child left running, killed after it ended."""

    @property
    def finished(self) -> bool:
        return bool(self.frames) and self.frames[-1][0].get("kind") == "done"

    @property
    def signal(self) -> int | None:
        return os.WTERMSIG(self.status) if self.status is not None and os.WIFSIGNALED(self.status) else None

    @property
    def exit_code(self) -> int | None:
        return os.WEXITSTATUS(self.status) if self.status is not None and os.WIFEXITED(self.status) else None


class Sandbox:
    """Owns one zygote. Create it before reading secrets or importing reference solutions.

    ``drivers`` say how to call a student's function (see :mod:`autograder.sandbox.drivers`). With ``user`` (the
    grader running as root), student code runs as that unprivileged user.
    """

    def __init__(self, drivers: Drivers, user: str | None = None) -> None:
        self.user = user
        self.pid, self.sock = zygote.start(drivers, privileges.account(user) if user else None)
        # Same-user processes (a child, where Landlock is missing) may not read this process's memory.
        confine.prctl(confine.PR_SET_DUMPABLE, 0)
        self._reader = wire.FrameReader(max_bytes=1 << 62)
        self._pending: list[dict[str, Any]] = []

    def _receive(self, block: bool) -> dict[str, Any] | None:
        """The zygote's next message (``None`` if ``block`` is false and none is complete yet)."""
        while not self._pending:
            if not block:
                self.sock.setblocking(False)
            try:
                chunk = self.sock.recv(4096)
            except BlockingIOError:
                return None
            finally:
                self.sock.setblocking(True)
            if not chunk:
                raise RuntimeError("the sandbox process died")
            self._pending.extend(meta for meta, _ in self._reader.feed(chunk))
        return self._pending.pop(0)

    def run(self, job: dict[str, Any], tensors: list[torch.Tensor], limits: Limits) -> Run:
        """Run one exercise's calls in a fresh child and return what it sent back."""
        result_r, result_w = os.pipe()
        output_r, output_w = os.pipe()
        cases_r, cases_w = os.pipe()
        frame = wire.encode({**job, "limits": limits.as_dict()})
        socket.send_fds(self.sock, [b"J"], [result_w, output_w, cases_r])
        for fd in (result_w, output_w, cases_r):
            os.close(fd)
        self.sock.sendall(frame)
        os.set_blocking(cases_w, False)
        cases = _Cases(cases_w, wire.encode({"kind": "cases"}, tensors, keep_layout=True))
        child = self._receive(block=True)["pid"]
        run = Run()
        started = time.monotonic()
        collector = _Collector(run, protocol.Protocol(job["calls"]), limits, output_r)
        ended: dict[str, Any] | None = None
        try:
            ended = self._watch(collector, cases, result_r, output_r, started, limits)
        finally:
            cases.close()
            if ended is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(child, signal.SIGKILL)
                ended = self._receive(block=True)
            for fd in (result_r, output_r):  # every writer is dead now: take what is left, then close
                collector.drain(fd)
                os.close(fd)
        run.status, run.strays = ended["status"], ended["strays"]
        run.output = protocol.inert(bytes(collector.output).decode("utf-8", "replace")).encode()
        run.seconds = time.monotonic() - started
        return run

    def _watch(self, collector: _Collector, cases: _Cases, result_r: int, output_r: int, started: float,
               limits: Limits) -> dict[str, Any] | None:
        """Read until the child is done, has exited, or runs out of time; the zygote's answer if it exited.
        The cases go to the child once it has reported its import."""
        run = collector.run
        with selectors.DefaultSelector() as sel:
            sel.register(result_r, selectors.EVENT_READ, "result")
            sel.register(output_r, selectors.EVENT_READ, "output")
            sel.register(self.sock, selectors.EVENT_READ, "zygote")
            while not (run.finished or run.wire_error):
                if run.frames and run.frames[0][0].get("kind") == "loaded" and cases.pending and not cases.registered:
                    sel.register(cases.fd, selectors.EVENT_WRITE, "cases")
                    cases.registered = True
                importing = not run.frames
                deadline = started + (min(limits.import_seconds, limits.seconds) if importing else limits.seconds)
                left = deadline - time.monotonic()
                if left <= 0:
                    run.timed_out, run.import_timed_out = True, importing
                    return None
                for key, _ in sel.select(left):
                    if key.data == "cases":
                        if not cases.send():
                            sel.unregister(cases.fd)
                            cases.close()
                    elif key.data == "zygote":
                        ended = self._receive(block=False)
                        if ended is not None:
                            return ended
                    elif collector.read(key.fd) is False:
                        sel.unregister(key.fd)
        return None

    def close(self) -> None:
        try:
            self.sock.close()
        finally:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self.pid, 0)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Cases:
    """The cases frame, written to the child's cases pipe without ever blocking the grader."""

    def __init__(self, fd: int, data: bytes) -> None:
        self.fd, self.data, self.sent, self.registered, self.closed = fd, memoryview(data), 0, False, False

    @property
    def pending(self) -> bool:
        return not self.closed and self.sent < len(self.data)

    def send(self) -> bool:
        """Write what the pipe takes now; False once everything is written or the child stopped reading."""
        try:
            self.sent += os.write(self.fd, self.data[self.sent:self.sent + (1 << 20)])
        except BlockingIOError:
            return True
        except OSError:  # the child closed its end or exited: it reports (or not) on its own
            return False
        return self.sent < len(self.data)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            os.close(self.fd)


class _Collector:
    """Bounded reading of one child's two pipes: checked frames from one, capped output from the other."""

    def __init__(self, run: Run, checker: protocol.Protocol, limits: Limits, output_fd: int) -> None:
        self.run = run
        self.checker = checker
        self.limits = limits
        self.output_fd = output_fd
        self.reader = wire.FrameReader(max_bytes=limits.result_bytes, contiguous=True)
        self.output = bytearray()

    def read(self, fd: int) -> bool | None:
        """Take one chunk from ``fd``: False at end of file, None if nothing is there yet (non-blocking)."""
        try:
            chunk = os.read(fd, 1 << 16)
        except BlockingIOError:
            return None
        if not chunk:
            return False
        if fd == self.output_fd:
            keep = chunk[: max(0, self.limits.output_bytes - len(self.output))]
            self.output += keep
            self.run.output_dropped += len(chunk) - len(keep)
        elif self.run.wire_error is None:
            try:
                for meta, tensors in self.reader.feed(chunk):
                    self.run.frames.append((self.checker.check(meta, tensors), tensors))
            except wire.WireError as err:
                self.run.wire_error = str(err)
            if self.run.frames and not self.run.layers:
                self.run.layers = self.run.frames[0][0].get("layers", [])
        return True

    def drain(self, fd: int) -> None:
        """Read what is left in a pipe whose writers are gone (or stuck: never block on them)."""
        os.set_blocking(fd, False)
        with contextlib.suppress(OSError):
            while self.read(fd):
                pass

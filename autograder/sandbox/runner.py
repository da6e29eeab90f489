"""The grader's side of the sandbox: send a job to the zygote, collect raw frames, enforce the time limit."""

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

from autograder.sandbox import privileges, wire, zygote
from autograder.sandbox.limits import Limits

Frame = tuple[dict[str, Any], list[torch.Tensor | None]]


@dataclass
class Run:
    """Everything observed about one child: its frames, output, and how it ended."""

    frames: list[Frame] = field(default_factory=list)
    output: bytes = b""
    output_dropped: int = 0
    timed_out: bool = False
    status: int | None = None
    wire_error: str | None = None
    seconds: float = 0.0

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

    With ``user`` (the grader running as root), student code runs as that unprivileged user.
    """

    def __init__(self, user: str | None = None) -> None:
        self.user = user
        self.pid, self.sock = zygote.start(privileges.account(user) if user else None)
        self._reader = wire.FrameReader(max_bytes=1 << 62)
        self._pending: list[Frame] = []

    def _reply(self) -> dict[str, Any]:
        while not self._pending:
            chunk = self.sock.recv(4096)
            if not chunk:
                raise RuntimeError("the sandbox process died")
            self._pending.extend(self._reader.feed(chunk))
        return self._pending.pop(0)[0]

    def run(self, job: dict[str, Any], tensors: list[torch.Tensor], limits: Limits) -> Run:
        """Run one exercise's calls in a fresh child and return what it sent back."""
        result_r, result_w = os.pipe()
        output_r, output_w = os.pipe()
        frame = wire.encode({**job, "limits": limits.as_dict()}, tensors, keep_layout=True)
        socket.send_fds(self.sock, [b"J"], [result_w, output_w])
        os.close(result_w)
        os.close(output_w)
        self.sock.sendall(frame)
        child = self._reply()["pid"]
        run = Run()
        started = time.monotonic()
        try:
            self._collect(run, result_r, output_r, started + limits.seconds, limits)
        finally:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(child, signal.SIGKILL)
            os.close(result_r)
            os.close(output_r)
        run.status = self._reply()["status"]
        run.seconds = time.monotonic() - started
        return run

    def _collect(self, run: Run, result_r: int, output_r: int, deadline: float, limits: Limits) -> None:
        reader = wire.FrameReader(max_bytes=limits.result_bytes)
        output = bytearray()
        with selectors.DefaultSelector() as sel:
            sel.register(result_r, selectors.EVENT_READ, "result")
            sel.register(output_r, selectors.EVENT_READ, "output")
            while sel.get_map():
                left = deadline - time.monotonic()
                if left <= 0:
                    run.timed_out = True
                    break
                for key, _ in sel.select(left):
                    chunk = os.read(key.fd, 1 << 16)
                    if not chunk:
                        sel.unregister(key.fd)
                    elif key.data == "output":
                        keep = max(0, limits.output_bytes - len(output))
                        output += chunk[:keep]
                        run.output_dropped += len(chunk) - len(chunk[:keep])
                    elif run.wire_error is None:
                        try:
                            run.frames.extend(reader.feed(chunk))
                        except wire.WireError as err:
                            run.wire_error = str(err)
                if run.finished or run.wire_error:
                    break
        os.set_blocking(output_r, False)
        try:
            tail = os.read(output_r, max(1, limits.output_bytes - len(output)))
            output += tail[: max(0, limits.output_bytes - len(output))]
        except (BlockingIOError, OSError):
            pass
        run.output = bytes(output)

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

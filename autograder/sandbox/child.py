"""What runs inside the untrusted child: import the submission, call its function, send raw tensors back.

This module never decides anything. It reports what happened (the values returned, exceptions raised,
inputs modified) as data frames; the grader process checks them. Everything here runs after the child
has locked itself down (:mod:`autograder.sandbox.limits`).
"""

from __future__ import annotations

import hashlib
import importlib
import inspect
import os
import sys
import time
import traceback
import types
from typing import Any

import torch

from autograder.sandbox import policy, wire
from autograder.sandbox.drivers import Drivers

Tensor = torch.Tensor
PACKAGE = "submission"


def _send(fd: int, meta: dict[str, Any], tensors: list[Tensor | None] = ()) -> None:
    _write(fd, wire.encode(meta, list(tensors)))


def _digest(tensors: list[Tensor]) -> list[str]:
    return [hashlib.blake2b(wire.tensor_bytes(t, keep_layout=True)[1], digest_size=16).hexdigest()
            for t in tensors]


def _safe(describe: Any, fallback: Any, *args: Any) -> Any:
    """``describe(*args)``, or ``fallback`` if it raises: a student exception's ``__str__`` may raise."""
    try:
        return describe(*args)
    except Exception:
        return fallback


def _student_traceback(err: BaseException, root: str) -> tuple[str, int | None]:
    """The error message with the student's own frames only, and the line it happened on."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename.startswith(root)]
    line = frames[-1].lineno if frames else getattr(err, "lineno", None)
    shown = "".join(traceback.format_list(frames[-5:]))
    where = shown.replace(root + os.sep, "")
    return f"{where}{type(err).__name__}: {err}"[-4000:], line


def _error(kind: str, err: BaseException, root: str) -> dict[str, Any]:
    name = _safe(str, "an exception", type(err).__name__)
    text, line = _safe(_student_traceback, (f"{name}: (message unavailable)", None), err, root)
    line = line if type(line) is int else None
    # A SyntaxError's text repeats its file and line, which the grader states itself.
    message = err.msg if isinstance(err, SyntaxError) and isinstance(err.msg, str) else err
    return {"kind": kind, "type": name, "message": _safe(str, "(message unavailable)", message)[:2000],
            "traceback": text, "line": line}


def _import(root: str, module: str) -> types.ModuleType:
    """Import ``<root>/<module>.py`` as ``submission.<module>`` (so ``from .helpers import`` works)."""
    package = types.ModuleType(PACKAGE)
    package.__path__ = [root]
    sys.modules[PACKAGE] = package
    return importlib.import_module(f"{PACKAGE}.{module}")


def _describe_result(out: Any) -> tuple[list[Any], list[Tensor | None]]:
    """Per returned element: its kind (for the grader) and the tensor, if it is a plain one."""
    if type(out) is not tuple:
        return [{"returned": type(out).__qualname__}], []
    kinds, tensors = [], []
    for item in out:
        if item is None:
            kinds.append("none")
            tensors.append(None)
        elif type(item) is Tensor:
            if item.dtype not in wire.NAMES or item.device.type != "cpu" or item.layout != torch.strided:
                kinds.append(f"tensor of dtype {item.dtype} on {item.device} with layout {item.layout}")
                tensors.append(None)
            else:
                kinds.append("tensor")
                tensors.append(item.detach())
        else:
            kinds.append(type(item).__qualname__)
            tensors.append(None)
    return kinds, tensors


def _report(fd: int, meta: dict[str, Any], returned: list[Tensor | None]) -> None:
    """Send one call's frame; a result that cannot be turned into bytes is reported as an error."""
    try:
        frame = wire.encode(meta, returned)
    except BaseException as err:
        frame = wire.encode({**meta, "kind": "raised", "kinds": [], "type": type(err).__name__,
                             "message": f"the returned value could not be sent: {_safe(str, '', err)}"[:2000],
                             "traceback": "", "line": None})
    _write(fd, frame)


def _write(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def _receive_cases(fd: int) -> list[Tensor | None]:
    """The tensors of every call, sent by the grader once the submission is imported."""
    reader = wire.FrameReader(max_bytes=1 << 34)
    try:
        while chunk := os.read(fd, 1 << 20):
            for _, tensors in reader.feed(chunk):
                return tensors
    finally:
        os.close(fd)
    raise EOFError("the grader sent no cases")


def serve(fd: int, cases_fd: int, job: dict[str, Any], layers: list[str], drivers: Drivers) -> None:
    """Import the submission, then receive the cases from ``cases_fd``, run every call of ``job`` and write one
    frame per call to ``fd``, then a final frame.

    The first frame says whether the import worked and which isolation ``layers`` are active. The cases arrive
    only after the import: code that runs at import finds none of them, hidden or visible, in memory.
    """
    root = job["dir"]
    started = time.perf_counter()
    try:
        module = _import(root, job["module"])
    except BaseException as err:
        _send(fd, {**_error("import_error", err, root), "seconds": time.perf_counter() - started, "layers": layers})
        _send(fd, {"kind": "done"})
        return
    function = getattr(module, job["function"], None)
    if not callable(function):
        names = sorted(n for n, v in vars(module).items() if isinstance(n, str) and not n.startswith("_")
                       and getattr(v, "__module__", None) == module.__name__)
        _send(fd, {"kind": "missing", "names": names[:1000], "layers": layers})
        _send(fd, {"kind": "done"})
        return
    try:
        parameters = [[p.name, p.kind.name] for p in inspect.signature(function).parameters.values()]
    except Exception:
        parameters = None
    _send(fd, {"kind": "loaded", "parameters": parameters, "seconds": time.perf_counter() - started,
               "layers": layers})
    tensors = _receive_cases(cases_fd)
    cursor = 0
    for index, call in enumerate(job["calls"]):
        arrays = tensors[cursor:cursor + call["n_tensors"]]
        cursor += call["n_tensors"]
        before = _digest(arrays)
        policy.reset()
        started = time.perf_counter()
        try:
            with policy.enforced(not job.get("autograd_allowed", False), job.get("forbidden") or ()):
                out, measured = drivers.run(job, function, arrays, call["params"])
            meta: dict[str, Any] = {"kind": "result"}
        except NotImplementedError as err:
            out, meta = None, {**_error("not_implemented", err, root)}
        except BaseException as err:
            out, meta = None, _error("raised", err, root)
        seconds = time.perf_counter() - started
        kinds, returned = _describe_result(out) if meta["kind"] == "result" else ([], [])
        if meta["kind"] == "result":
            returned += [m.detach() for m in measured]
            meta["measured"] = len(measured)
        after = _safe(_digest, [""] * len(arrays), arrays)  # inputs resized into garbage count as mutated
        mutated = [a != b for a, b in zip(before, after, strict=True)]
        meta.update(call=index, kinds=kinds, mutated=mutated, seconds=seconds, policy=policy.violations())
        _report(fd, meta, returned)
    _send(fd, {"kind": "done"})

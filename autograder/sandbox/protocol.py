"""What the child may say, in which order, and how its text is made harmless before anyone shows it.

The child's pipe is writable by student code (it can find the file descriptor), so every frame is
checked here as if a student had written it: the right kinds in the right order, every field of the
right type, every returned tensor accounted for by a ``"tensor"`` entry and nothing else. A frame that
claims a tensor without sending one, results for a call that was not made, or anything after the final
frame is a protocol error, which the grader reports as an invalid answer. So a forged frame can only
claim outputs the student could have returned anyway, and the verdict is always recomputed from data.

Text from the child (exception messages, tracebacks, printed output) is kept as data: control characters
are shown escaped (no ANSI colours, no cursor tricks, no bidirectional overrides), and lines that a CI
runner would take for a command (``::notice ...``, ``##[set-output ...]``) are defused.
"""

from __future__ import annotations

import re
from typing import Any

import torch

from autograder.sandbox.wire import WireError

MAX_TEXT = 4000
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_COMMAND = re.compile(r"^([ \t\f\v]*)(::|##\[)", re.MULTILINE)  # no newline in the prefix: linear time


def inert(text: str) -> str:
    """``text`` with control characters and lone surrogates escaped and CI workflow commands defused: it can be
    printed and written as UTF-8 anywhere."""
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text.replace("\r\n", "\n").replace("\r", "\n"))
    return _COMMAND.sub(lambda m: m.group(1) + " ".join(m.group(2)), text)


def _text(value: Any, limit: int = MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise WireError("a text field is not a string")
    return inert(value[:limit])


def _number(value: Any) -> float:
    if type(value) not in (int, float):
        raise WireError("a number field is not a number")
    return float(value)


def _strings(value: Any, limit: int = 64) -> list[str]:
    if not isinstance(value, list) or len(value) > limit:
        raise WireError("a list field is not a short list")
    return [_text(v, 200) for v in value]


def _line(value: Any) -> int | None:
    if value is not None and type(value) is not int:
        raise WireError("a line number is not an integer")
    return value


def _parameters(value: Any) -> list[list[str]] | None:
    if value is None:
        return None
    if not isinstance(value, list) or len(value) > 64:
        raise WireError("malformed parameter list")
    if not all(isinstance(p, list) and len(p) == 2 for p in value):
        raise WireError("malformed parameter list")
    return [[_text(name, 200), _text(kind, 40)] for name, kind in value]


def _error_fields(meta: dict[str, Any]) -> dict[str, Any]:
    return {"type": _text(meta.get("type"), 200), "message": _text(meta.get("message")),
            "traceback": _text(meta.get("traceback")), "line": _line(meta.get("line"))}


def _kinds(value: Any, tensors: list[torch.Tensor | None]) -> list[Any]:
    if not isinstance(value, list) or len(value) > 64:
        raise WireError("malformed list of returned kinds")
    if len(value) == 1 and isinstance(value[0], dict):
        if set(value[0]) != {"returned"} or tensors:
            raise WireError("malformed description of a non-tuple result")
        return [{"returned": _text(value[0]["returned"], 200)}]
    kinds = [_text(k, 200) for k in value]
    if len(tensors) != len(kinds) or any((k == "tensor") != (t is not None) for k, t in zip(kinds, tensors,
                                                                                            strict=True)):
        raise WireError("the returned tensors do not match their description")
    return kinds


class Protocol:
    """Checks a child's frames one by one: ``first``, then one frame per call (in order), then ``done``."""

    FIRST = ("loaded", "import_error", "missing")
    CALL = ("result", "raised", "not_implemented")

    def __init__(self, calls: list[dict[str, Any]]) -> None:
        self.calls = calls
        self.state = "first"
        self.next_call = 0

    def check(self, meta: dict[str, Any], tensors: list[torch.Tensor | None]) -> dict[str, Any]:
        """The frame's metadata, validated and with its text made inert; raises :class:`WireError`."""
        kind = meta.get("kind")
        if self.state == "first":
            if kind not in self.FIRST:
                raise WireError(f"expected the import report first, got {str(kind)[:40]!r}")
            self.state = "calls" if kind == "loaded" and self.calls else "done"
            return self._first(kind, meta, tensors)
        if self.state == "calls":
            if kind not in self.CALL or meta.get("call") != self.next_call:
                raise WireError(f"expected the result of call {self.next_call}, got {str(kind)[:40]!r}")
            checked = self._call(kind, meta, tensors, self.calls[self.next_call]["n_tensors"])
            self.next_call += 1
            self.state = "calls" if self.next_call < len(self.calls) else "done"
            return checked
        if self.state == "done" and kind == "done" and not tensors:
            self.state = "closed"
            return {"kind": "done"}
        raise WireError("unexpected frame after the last result" if self.state == "closed"
                        else f"expected the final frame, got {str(kind)[:40]!r}")

    @property
    def complete(self) -> bool:
        return self.state == "closed"

    @staticmethod
    def _first(kind: str, meta: dict[str, Any], tensors: list[torch.Tensor | None]) -> dict[str, Any]:
        if tensors:
            raise WireError("the import report carries no tensors")
        checked: dict[str, Any] = {"kind": kind, "layers": _strings(meta.get("layers", []))}
        if kind == "loaded":
            checked.update(parameters=_parameters(meta.get("parameters")), seconds=_number(meta.get("seconds")))
        elif kind == "import_error":
            checked.update(_error_fields(meta), seconds=_number(meta.get("seconds")))
        else:
            checked["names"] = _strings(meta.get("names"), 1000)
        return checked

    @staticmethod
    def _call(kind: str, meta: dict[str, Any], tensors: list[torch.Tensor | None], n_inputs: int) -> dict[str, Any]:
        mutated = meta.get("mutated")
        if not isinstance(mutated, list) or len(mutated) != n_inputs or not all(type(m) is bool for m in mutated):
            raise WireError("malformed mutation report")
        checked: dict[str, Any] = {"kind": kind, "call": meta["call"], "mutated": mutated,
                                   "seconds": _number(meta.get("seconds")), "policy": _strings(meta.get("policy"))}
        if kind == "result":
            # A driver may append what it measured about the student's code (second derivatives...).
            measured = meta.get("measured", 0)
            if type(measured) is not int or not 0 <= measured <= len(tensors) or any(
                    t is None for t in tensors[len(tensors) - measured:]):
                raise WireError("malformed measurements")
            checked["kinds"] = _kinds(meta.get("kinds"), tensors[:len(tensors) - measured])
            checked["measured"] = measured
        else:
            if tensors or meta.get("kinds") != []:
                raise WireError("an error report carries no results")
            checked.update(_error_fields(meta), kinds=[])
        return checked

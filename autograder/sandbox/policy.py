"""The run-time half of the policy check: calling autograd inside an exercise is reported.

Students must derive each VJP by hand. Inside the child, the autograd entry points are replaced by
functions that record the call and raise. Exercises about autograd itself may call it, except for the few
entry points they list as forbidden (the Jacobian helper in an exercise about building Jacobians). This is
a policy check, stated as such: code determined to get around it can (the static check in
:mod:`autograder.static` catches the plain spellings too).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterator
from typing import Any

import torch

_seen: list[str] = []
_enforcing = False
_forbidden: frozenset[str] = frozenset()


class AutogradNotAllowed(RuntimeError):
    """Raised when an exercise calls autograd to compute its answer."""


def _guard(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if not _enforcing and name not in _forbidden:
            return original(*args, **kwargs)
        _seen.append(name)
        raise AutogradNotAllowed(f"{name} is not allowed in this exercise")

    return guarded


def _targets() -> list[tuple[Any, str, str]]:
    import torch.autograd.functional as functional
    import torch.func as func

    targets = [(torch.autograd, "grad", "torch.autograd.grad"),
               (torch.autograd, "backward", "torch.autograd.backward"),
               (torch.Tensor, "backward", "Tensor.backward")]
    targets += [(func, n, f"torch.func.{n}") for n in ("vjp", "grad", "grad_and_value", "jacrev", "jacfwd",
                                                        "hessian", "jvp", "linearize")]
    targets += [(functional, n, f"torch.autograd.functional.{n}") for n in ("vjp", "jvp", "jacobian", "hessian",
                                                                             "vhp", "hvp")]
    return targets


def names() -> list[str]:
    """Every entry point the policy can refuse, as spelled in reports."""
    return [name for _, _, name in _targets()]


def install() -> None:
    """Replace the autograd entry points (once per child, before the submission is imported)."""
    for owner, attr, name in _targets():
        setattr(owner, attr, _guard(name, getattr(owner, attr)))


def reset() -> None:
    _seen.clear()


def violations() -> list[str]:
    return sorted(set(_seen))


@contextlib.contextmanager
def enforced(active: bool = True, forbidden: Collection[str] = ()) -> Iterator[None]:
    """Inside: autograd calls are recorded and refused, and grad mode is off (unless not ``active``: exercises
    about backward() itself must use autograd; then only the ``forbidden`` entry points are refused)."""
    global _enforcing, _forbidden
    _forbidden = frozenset(forbidden)
    try:
        if not active:
            yield
            return
        with torch.no_grad():
            _enforcing = True
            try:
                yield
            finally:
                _enforcing = False
    finally:
        _forbidden = frozenset()


@contextlib.contextmanager
def suspended() -> Iterator[None]:
    """Inside: nothing is refused. For the grader's own probes that call autograd on a student's code
    (``gradgradcheck``) after the policy has been checked on the same code."""
    global _enforcing, _forbidden
    saved = _enforcing, _forbidden
    _enforcing, _forbidden = False, frozenset()
    try:
        yield
    finally:
        _enforcing, _forbidden = saved

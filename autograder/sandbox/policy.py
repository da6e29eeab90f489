"""The run-time half of the policy check: calling autograd inside an exercise is reported.

Students must derive each VJP by hand. Inside the child, while an exercise runs:

- the public autograd entry points (``torch.autograd.grad``/``backward``, ``Tensor.backward``,
  ``torch.autograd.functional.*``, ``torch.func.*``, forward-mode ``make_dual``) are replaced by
  functions that record the call and raise, so aliases (``from torch.autograd import grad as g``) and
  spellings the static check cannot see (``getattr(torch.autograd, "gr" + "ad")``) are caught too;
- the autograd engine object every backward pass goes through is wrapped the same way, which catches
  routes around the public functions (a copy of the original ``grad`` taken from a closure, say);
- grad mode is off.

Exercises about autograd itself may call it, except for the few entry points they list as forbidden (the
Jacobian helper in an exercise about building Jacobians).

This is a policy check, stated as such: code determined to get around it can (by building a new C++
engine object, for one). The static check in :mod:`autograder.grading.static` catches the plain spellings before
anything runs.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterator
from typing import Any

import torch
import torch.autograd.forward_ad
import torch.autograd.functional
import torch.autograd.variable
import torch.func

_seen: list[str] = []
_enforcing = False
_forbidden: frozenset[str] = frozenset()


class AutogradNotAllowed(RuntimeError):
    """Raised when an exercise calls autograd to compute its answer."""


def _refuse(name: str) -> None:
    _seen.append(name)
    if _enforcing:
        raise AutogradNotAllowed(f"{name} is not allowed here: derive the gradient by hand")
    raise AutogradNotAllowed(f"{name} is not allowed in this exercise")


def _guard(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if _enforcing or name in _forbidden:
            _refuse(name)
        return original(*args, **kwargs)

    guarded.__name__ = getattr(original, "__name__", name)
    guarded.__doc__ = getattr(original, "__doc__", None)
    return guarded


class _GuardedEngine:
    """Stands in for autograd's C++ engine: the same methods, refused while an exercise runs."""

    def __init__(self, engine: Any) -> None:
        self._engine = engine

    def run_backward(self, *args: Any, **kwargs: Any) -> Any:
        if _enforcing:
            _refuse("the autograd engine (a backward pass)")
        return self._engine.run_backward(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)


def _targets() -> list[tuple[Any, str, str]]:
    functional, func, forward_ad = torch.autograd.functional, torch.func, torch.autograd.forward_ad
    targets = [(torch.autograd, "grad", "torch.autograd.grad"),
               (torch.autograd, "backward", "torch.autograd.backward"),
               (torch.Tensor, "backward", "Tensor.backward"),
               (forward_ad, "make_dual", "torch.autograd.forward_ad.make_dual")]
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
    variable = torch.autograd.variable.Variable
    variable._execution_engine = _GuardedEngine(variable._execution_engine)


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

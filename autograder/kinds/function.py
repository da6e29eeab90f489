"""Kind ``function``: the student's ``torch.autograd.Function`` subclass is probed: its output, its backward for a
cotangent ``v``, the derivative of that backward for a cotangent ``u`` (so the backward must be differentiable),
and ``gradgradcheck`` in float64."""

from __future__ import annotations

import io
from collections.abc import Callable
from contextlib import redirect_stdout
from typing import Any

import torch

from autograder.kinds.base import Kind
from autograder.sandbox import policy

Tensor = torch.Tensor
_grad = torch.autograd.grad  # the real one: the policy replaces the public name inside the child
_gradgradcheck = torch.autograd.gradgradcheck
_reported = False


def _autograd_function(cls: Any, named: list[Callable[..., Tensor]], arrays: list[Tensor],
                       params: dict[str, Any]) -> tuple[Any, list[Tensor]]:
    if not (isinstance(cls, type) and issubclass(cls, torch.autograd.Function)):
        raise TypeError(f"{getattr(cls, '__name__', cls)} must be a class derived from torch.autograd.Function")
    x, v, u = arrays
    leaf = x.detach().clone().requires_grad_()
    with torch.enable_grad():
        out = cls.apply(leaf)
        if type(out) is not Tensor or out.shape != x.shape:
            got = f"shape {tuple(out.shape)}" if isinstance(out, Tensor) else type(out).__qualname__
            raise TypeError(f"forward must return a tensor of x's shape {tuple(x.shape)}, got {got}")
        (grad_x,) = _grad(out, leaf, v, create_graph=True)
        if not grad_x.requires_grad:
            raise RuntimeError("the gradient your backward returned cannot be differentiated again: compute it with "
                               "torch operations from tensors saved with ctx.save_for_backward (no .detach(), no "
                               "torch.no_grad(), no values computed inside forward)")
        (grad_grad_x,) = _grad(grad_x, leaf, u, allow_unused=True, materialize_grads=True)
    return (out.detach(), grad_x.detach(), grad_grad_x.detach()), [_gradgradcheck_passed(cls, x)]


def _gradgradcheck_passed(cls: Any, x: Tensor) -> Tensor:
    """1 when ``gradgradcheck`` passes in float64 (its report is printed when it does not), else 0."""
    if x.dtype != torch.float64:
        return torch.tensor(1.0, dtype=torch.float64)  # finite differences need float64: not checked here
    report = io.StringIO()
    with policy.suspended(), redirect_stdout(report):
        try:
            _gradgradcheck(cls.apply, (x.detach().clone().requires_grad_(),))
            passed = True
        except Exception as err:  # GradcheckError, or an error from the student's backward
            passed = False
            first = str(err).strip().splitlines()[:6]
            print("gradgradcheck failed:", *first, sep="\n  ", file=report)
    global _reported
    if not passed and not _reported:  # the first failure explains; the same report for every case would not
        print(report.getvalue(), end="")
        _reported = True
    return torch.tensor(float(passed), dtype=torch.float64)


FUNCTION = Kind("function", _autograd_function, as_class=True)

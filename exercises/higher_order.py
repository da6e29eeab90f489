"""Exercise set ``higher_order``: derivatives of derivatives.

Autograd is allowed here (``torch.autograd.grad`` with ``create_graph=True`` is the tool), except the helpers
that would do the whole job (``torch.autograd.functional.hessian``, ``hvp``, ``torch.func.hessian``...).
``f`` is passed to you by the grader (from ``autograder.library``): a function of one tensor with a 0-d result.
Check your work with ``python -m autograder check higher_order``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

Tensor = torch.Tensor


def hvp(f: Callable[[Tensor], Tensor], x: Tensor, v: Tensor) -> tuple[Tensor]:
    """H v = ∇(∇f(x) · v), by double backward, without building H. Return (Hv,) of x's shape."""
    raise NotImplementedError("hvp: take g = grad(f(x), x, create_graph=True), then the gradient of (g * v).sum()")


def hessian(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    """H[i, j] = ∂²f / ∂x[i] ∂x[j], of shape x.shape + x.shape. Return (H,)."""
    raise NotImplementedError("hessian: take g = grad(f(x), x, create_graph=True), then one gradient of each g[i] "
                              "per row")


class XSinX(torch.autograd.Function):
    """out = x sin x, with a backward that can itself be differentiated (used as XSinX.apply(x))."""

    @staticmethod
    def forward(ctx: Any, x: Tensor) -> Tensor:
        raise NotImplementedError("XSinX.forward: save x with ctx.save_for_backward and return x * sin(x)")

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Tensor:
        raise NotImplementedError("XSinX.backward: return grad * (sin x + x cos x), computed from the saved x")

"""Reference solutions for the set ``higher_order``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

Tensor = torch.Tensor


def hvp(f: Callable[[Tensor], Tensor], x: Tensor, v: Tensor) -> tuple[Tensor]:
    """H v = ∇ₓ(g · v) with g = ∇f(x) recorded (create_graph=True): two backward passes, no matrix."""
    x = x.detach().clone().requires_grad_()
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    (hv,) = torch.autograd.grad((g * v).sum(), x)
    return (hv,)


def hessian(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    """Row i of H is ∇ₓ gᵢ: the Jacobian of the recorded gradient, one backward per entry of x."""
    x = x.detach().clone().requires_grad_()
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    flat = g.reshape(-1)
    rows = [torch.autograd.grad(flat[i], x, retain_graph=True)[0] for i in range(flat.numel())]
    return (torch.stack(rows).reshape(x.shape + x.shape),)


class XSinX(torch.autograd.Function):
    """out = x sin x;  x̄ = ḡ (sin x + x cos x), from the saved input, so the backward is differentiable."""

    @staticmethod
    def forward(ctx: Any, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)  # the input, not cos(x): a value made here would be a constant to a 2nd backward
        return x * torch.sin(x)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * (torch.sin(x) + x * torch.cos(x))

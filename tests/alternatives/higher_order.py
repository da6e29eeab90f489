"""Correct implementations written differently from the reference: each must get full marks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

Tensor = torch.Tensor


def hvp(f: Callable[[Tensor], Tensor], x: Tensor, v: Tensor) -> tuple[Tensor]:
    # Reverse over reverse with torch.func: the gradient of <grad f, v>.
    return (torch.func.grad(lambda t: (torch.func.grad(f)(t) * v).sum())(x),)


def hessian(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    # One Hessian-vector product per one-hot direction, with grad_outputs doing the dot product.
    x = x.detach().clone().requires_grad_()
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    rows = []
    for i in range(x.numel()):
        direction = torch.zeros(x.numel(), dtype=x.dtype)
        direction[i] = 1
        rows.append(torch.autograd.grad(g, x, direction.reshape(x.shape), retain_graph=True)[0])
    return (torch.stack(rows).reshape(x.shape + x.shape),)


class XSinX(torch.autograd.Function):
    # Saves the input and recomputes both factors in backward, with a fused multiply-add.
    @staticmethod
    def forward(ctx: Any, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return torch.sin(x) * x

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return torch.addcmul(torch.sin(x), x, torch.cos(x)) * grad

"""Correct implementations written differently from the reference: each must get full marks."""

from __future__ import annotations

import torch

Tensor = torch.Tensor


def _unbroadcast(t: Tensor, shape: torch.Size) -> Tensor:
    # Sum over every axis where the target is 1 or absent, one axis at a time, from the left.
    while t.dim() > len(shape):
        t = t.sum(0)
    for axis, n in enumerate(shape):
        if n == 1:
            t = t.sum(axis, keepdim=True)
    return t


def mul_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    gx = torch.mul(grad, y.expand_as(grad) if grad.dim() else y)
    gy = torch.mul(grad, x.expand_as(grad) if grad.dim() else x)
    return _unbroadcast(gx, x.shape).to(x.dtype), _unbroadcast(gy, y.shape).to(y.dtype)


def div_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    # Through the output: d(x/y)/dy = -(x/y)/y, so the y side reuses the x side's grad / y.
    gx = grad / y
    gy = -gx * (x / y)
    return _unbroadcast(gx, x.shape), _unbroadcast(gy, y.shape)


def maximum_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    # (1 + sign(x - y)) / 2 is 1 where x wins, 0 where y wins and exactly 1/2 at a tie.
    share = (1 + torch.sign(x - y)) / 2
    return _unbroadcast(grad * share, x.shape), _unbroadcast(grad * (1 - share), y.shape)


def minimum_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    # minimum(x, y) = -maximum(-x, -y): the same routing with the comparison flipped.
    share = (1 + torch.sign(y - x)) / 2
    return _unbroadcast(grad * share, x.shape), _unbroadcast(grad * (1 - share), y.shape)


def where_backward(grad: Tensor, condition: Tensor, x: Tensor, y: Tensor) -> tuple[None, Tensor, Tensor]:
    # Multiplying by the 0/1 mask is the same routing as where(): grad is finite, so 0 * grad is 0.
    mask = condition.to(grad.dtype).expand_as(grad)
    return None, _unbroadcast(grad * mask, x.shape), _unbroadcast(grad * (1 - mask), y.shape)

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

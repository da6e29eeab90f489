"""Correct implementations written differently from the reference: each must get full marks."""

from __future__ import annotations

import torch

Tensor = torch.Tensor


def _reduce_to(t: Tensor, shape: torch.Size) -> Tensor:
    # The adjoint of broadcasting, written as a reshape: align shape to t's rank, then sum every stretched axis.
    aligned = (1,) * (t.dim() - len(shape)) + tuple(shape)
    axes = [i for i, (n, m) in enumerate(zip(aligned, t.shape, strict=True)) if n == 1 and m != 1]
    if axes:
        t = t.sum(dim=axes, keepdim=True)
    return t.reshape(shape)


def relu_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad.masked_fill(x <= 0, 0),)


def leaky_relu_backward(grad: Tensor, x: Tensor, *, negative_slope: float) -> tuple[Tensor]:
    positive = (x > 0).to(grad.dtype)
    return (grad * positive + negative_slope * grad * (1 - positive),)


def abs_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (torch.where(x > 0, grad, torch.where(x < 0, -grad, torch.zeros_like(grad))),)


def clamp_backward(grad: Tensor, x: Tensor, *, min: float | None, max: float | None) -> tuple[Tensor]:
    # Clamping with infinite bounds is no clamping; x is blocked only when strictly outside.
    lo = -float("inf") if min is None else min
    hi = float("inf") if max is None else max
    blocked = (x < lo) | (x > hi) | torch.tensor(lo > hi)
    return (grad.masked_fill(blocked, 0),)


def clamp_tensor_backward(grad: Tensor, x: Tensor, lo: Tensor, hi: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    # The output copies hi where hi wins, else lo where x is below it, else x (ties stay with x).
    x_, lo_, hi_ = torch.broadcast_tensors(x, lo, hi)
    takes_hi = (x_ > hi_) | (hi_ < lo_)
    takes_lo = ~takes_hi & (x_ < lo_) & (lo_ != hi_)
    takes_x = ~takes_hi & (x_ >= lo_)
    zero = torch.zeros_like(grad)
    return (_reduce_to(torch.where(takes_x, grad, zero), x.shape),
            _reduce_to(torch.where(takes_lo, grad, zero), lo.shape),
            _reduce_to(torch.where(takes_hi, grad, zero), hi.shape))


def hardtanh_backward(grad: Tensor, x: Tensor, *, min_val: float, max_val: float) -> tuple[Tensor]:
    # Both signs are +1 only strictly inside; at a bound one of them is 0, outside one is -1.
    inside = (torch.sign(x - min_val) * torch.sign(max_val - x)).clamp(min=0)
    return (grad * inside,)


def sign_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (x.new_zeros(x.shape),)


def floor_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (torch.zeros(x.shape, dtype=x.dtype),)

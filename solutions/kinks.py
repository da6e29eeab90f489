"""Reference solutions for the set ``kinks``: masks, with torch's choice at each kink."""

from __future__ import annotations

import torch

from .helpers import sum_to

Tensor = torch.Tensor


def relu_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = max(x, 0):  x̄ = ḡ·[x > 0]  (0 at x = 0)."""
    return (torch.where(x > 0, grad, 0),)


def leaky_relu_backward(grad: Tensor, x: Tensor, *, negative_slope: float) -> tuple[Tensor]:
    """out = x or αx:  x̄ = ḡ where x > 0, αḡ elsewhere  (α at x = 0)."""
    return (torch.where(x > 0, grad, grad * negative_slope),)


def abs_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = |x|:  x̄ = ḡ·sign(x)  (0 at x = 0)."""
    return (grad * x.sign(),)


def clamp_backward(grad: Tensor, x: Tensor, *, min: float | None, max: float | None) -> tuple[Tensor]:
    """out = min(max(x, min), max):  x̄ = ḡ·[min ≤ x ≤ max]  (inclusive on torch 2.13.0; None is no bound)."""
    inside = torch.ones_like(x, dtype=torch.bool)
    if min is not None:
        inside = inside & (x >= min)
    if max is not None:
        inside = inside & (x <= max)
    return (torch.where(inside, grad, 0),)


def clamp_tensor_backward(grad: Tensor, x: Tensor, lo: Tensor, hi: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """out = min(max(x, lo), hi):  x̄ = sum_to(ḡ·[lo ≤ x ≤ hi]),  lō = sum_to(ḡ·[x < lo < hi]),
    hī = sum_to(ḡ·[x > hi or hi < lo])  (a tie goes to x on torch 2.13.0)."""
    to_x = (x >= lo) & (x <= hi)
    to_lo = (x < lo) & (lo < hi)
    to_hi = (x > hi) | (hi < lo)
    return (sum_to(torch.where(to_x, grad, 0), x.shape),
            sum_to(torch.where(to_lo, grad, 0), lo.shape),
            sum_to(torch.where(to_hi, grad, 0), hi.shape))


def hardtanh_backward(grad: Tensor, x: Tensor, *, min_val: float, max_val: float) -> tuple[Tensor]:
    """out = min(max(x, min_val), max_val):  x̄ = ḡ·[min_val < x < max_val]  (0 at the bounds)."""
    return (torch.where((x <= min_val) | (x >= max_val), 0, grad),)


def sign_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = sign(x):  x̄ = 0."""
    return (torch.zeros_like(x),)


def floor_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = ⌊x⌋:  x̄ = 0."""
    return (torch.zeros_like(x),)

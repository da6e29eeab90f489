"""Known-wrong variants of the set ``kinks``: each ``<op>_backward__<mistake>`` must lose points.

Each body is pasted into the reference module, so it may use only what that module imports (``torch``,
``sum_to``) or defines. Most are right away from the kinks and wrong only at the convention torch chose.
"""

from __future__ import annotations

import torch

from solutions.helpers import sum_to

Tensor = torch.Tensor


def relu_backward__tie_rule(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (torch.where(x >= 0, grad, 0),)


def relu_backward__half_at_zero(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad * torch.where(x > 0, 1.0, torch.where(x == 0, 0.5, 0.0)).to(grad.dtype),)


def relu_backward__ignores_grad(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return ((x > 0).to(x.dtype),)


def relu_backward__dtype_drift(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad * (x > 0).double(),)


def leaky_relu_backward__tie_rule(grad: Tensor, x: Tensor, *, negative_slope: float) -> tuple[Tensor]:
    return (torch.where(x >= 0, grad, grad * negative_slope),)


def leaky_relu_backward__swapped(grad: Tensor, x: Tensor, *, negative_slope: float) -> tuple[Tensor]:
    return (torch.where(x > 0, grad * negative_slope, grad),)


def leaky_relu_backward__no_leak(grad: Tensor, x: Tensor, *, negative_slope: float) -> tuple[Tensor]:
    return (torch.where(x > 0, grad, 0),)


def abs_backward__tie_rule(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (torch.where(x >= 0, grad, -grad),)


def abs_backward__no_sign(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad.clone(),)


def abs_backward__multiplies_by_abs(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad * x.abs(),)


def clamp_backward__tie_rule(grad: Tensor, x: Tensor, *, min: float | None, max: float | None) -> tuple[Tensor]:
    inside = torch.ones_like(x, dtype=torch.bool)
    if min is not None:
        inside = inside & (x > min)
    if max is not None:
        inside = inside & (x < max)
    return (torch.where(inside, grad, 0),)


def clamp_backward__none_bound(grad: Tensor, x: Tensor, *, min: float | None, max: float | None) -> tuple[Tensor]:
    return (torch.where((x >= min) & (x <= max), grad, 0),)


def clamp_backward__inverted(grad: Tensor, x: Tensor, *, min: float | None, max: float | None) -> tuple[Tensor]:
    outside = torch.zeros_like(x, dtype=torch.bool)
    if min is not None:
        outside = outside | (x < min)
    if max is not None:
        outside = outside | (x > max)
    return (torch.where(outside, grad, 0),)


def clamp_backward__ignores_grad(grad: Tensor, x: Tensor, *, min: float | None, max: float | None) -> tuple[Tensor]:
    lo = float("-inf") if min is None else min
    hi = float("inf") if max is None else max
    return (((x >= lo) & (x <= hi)).to(x.dtype),)


def clamp_tensor_backward__no_broadcast_sum(grad: Tensor, x: Tensor, lo: Tensor,
                                            hi: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    return (torch.where((x >= lo) & (x <= hi), grad, 0), torch.where((x < lo) & (lo < hi), grad, 0),
            torch.where((x > hi) | (hi < lo), grad, 0))


def clamp_tensor_backward__tie_rule(grad: Tensor, x: Tensor, lo: Tensor, hi: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    # torch 2.14's rule: split a tie half and half between x and the bound.
    at_lo, at_hi = (x == lo) & (lo < hi), (x == hi) & (lo < hi)
    inside = (x > lo) & (x < hi)
    gx = torch.where(inside, grad, 0) + torch.where(at_lo | at_hi, grad / 2, 0)
    glo = torch.where((x < lo) & (lo < hi), grad, 0) + torch.where(at_lo, grad / 2, 0)
    ghi = torch.where((x > hi) | (hi < lo), grad, 0) + torch.where(at_hi, grad / 2, 0)
    return sum_to(gx, x.shape), sum_to(glo, lo.shape), sum_to(ghi, hi.shape)


def clamp_tensor_backward__tie_to_bound(grad: Tensor, x: Tensor, lo: Tensor,
                                        hi: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    return (sum_to(torch.where((x > lo) & (x < hi), grad, 0), x.shape),
            sum_to(torch.where((x <= lo) & (lo < hi), grad, 0), lo.shape),
            sum_to(torch.where((x >= hi) | (hi < lo), grad, 0), hi.shape))


def clamp_tensor_backward__ignores_lo_above_hi(grad: Tensor, x: Tensor, lo: Tensor,
                                               hi: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    return (sum_to(torch.where((x >= lo) & (x <= hi), grad, 0), x.shape),
            sum_to(torch.where(x < lo, grad, 0), lo.shape),
            sum_to(torch.where(x > hi, grad, 0), hi.shape))


def hardtanh_backward__tie_rule(grad: Tensor, x: Tensor, *, min_val: float, max_val: float) -> tuple[Tensor]:
    return (torch.where((x >= min_val) & (x <= max_val), grad, 0),)


def hardtanh_backward__default_bounds(grad: Tensor, x: Tensor, *, min_val: float, max_val: float) -> tuple[Tensor]:
    return (torch.where((x > -1) & (x < 1), grad, 0),)


def hardtanh_backward__ignores_grad(grad: Tensor, x: Tensor, *, min_val: float, max_val: float) -> tuple[Tensor]:
    return (((x > min_val) & (x < max_val)).to(x.dtype),)


def sign_backward__straight_through(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad.clone(),)


def sign_backward__none(grad: Tensor, x: Tensor) -> tuple[None]:
    return (None,)


def sign_backward__dtype_drift(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (torch.zeros(x.shape),)


def floor_backward__straight_through(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad.clone(),)


def floor_backward__none(grad: Tensor, x: Tensor) -> tuple[None]:
    return (None,)


def floor_backward__dtype_drift(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (torch.zeros(x.shape),)


def floor_backward__ignores_grad(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (torch.ones_like(x),)

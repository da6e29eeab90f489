"""Correct implementations written differently from the reference: each must get full marks."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

Tensor = torch.Tensor


def sqrt_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    # rsqrt(0) = inf, so the boundary still comes out as ±inf.
    return (0.5 * grad * torch.rsqrt(x),)


def reciprocal_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (-grad / x.square(),)


def pow_scalar_backward(grad: Tensor, x: Tensor, *, p: float) -> tuple[Tensor]:
    # Integer exponents as repeated products; others through torch.pow.
    if p == 0:
        return (grad.new_zeros(x.shape).to(x.dtype),)
    if float(p).is_integer() and p > 0:
        power = torch.ones_like(x)
        for _ in range(int(p) - 1):
            power = power * x
        return (grad * p * power,)
    return (grad * p * torch.pow(x, p - 1),)


def tanh_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    # sech² = 1 / cosh²; cosh overflows to inf for large |x|, and 1/inf is the right 0.
    return (grad / torch.cosh(x) ** 2,)


def sigmoid_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    # σ(x)·σ(-x) in log space: exp(-softplus(x) - softplus(-x)) cannot overflow.
    return (grad * torch.exp(-F.softplus(x) - F.softplus(-x)),)


def gelu_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    normal = torch.distributions.Normal(torch.zeros((), dtype=x.dtype), torch.ones((), dtype=x.dtype))
    return (grad * (torch.special.ndtr(x) + x * normal.log_prob(x).exp()),)


def silu_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    s, s_neg = torch.sigmoid(x), torch.sigmoid(-x)
    return (grad * (s + x * s * s_neg),)


def softplus_backward(grad: Tensor, x: Tensor, *, beta: float) -> tuple[Tensor]:
    # σ(z) = exp(-softplus(-z)); where torch's forward is linear the slope is exactly 1.
    z = beta * x
    slope = torch.exp(-F.softplus(-z))
    return (grad * torch.where(z > 20, torch.ones_like(slope), slope),)


def log_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad * x.reciprocal(),)


def exp_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (torch.mul(grad, torch.pow(math.e, x)),)

"""Known-wrong variants of the set ``elementwise``: each ``<op>_backward__<mistake>`` must lose points.

Each body is pasted into the reference module, so it may use only what that module imports (``torch``,
``math``) or defines.
"""

from __future__ import annotations

import math

import torch

Tensor = torch.Tensor


def neg_backward__ignores_grad(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (-torch.ones_like(x),)


def neg_backward__sign(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad.clone(),)


def neg_backward__not_a_tuple(grad: Tensor, x: Tensor) -> Tensor:
    return -grad


def exp_backward__ignores_grad(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (x.exp(),)


def exp_backward__adds_grad(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad + x.exp(),)


def exp_backward__power_rule(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad * x * (x - 1).exp(),)


def exp_backward__dtype_drift(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad * x.double().exp(),)


def log_backward__multiplies_by_log(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad * x.log(),)


def log_backward__reciprocal_rule(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (-grad / (x * x),)


def log_backward__guards_zero(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (torch.where(x == 0, torch.zeros_like(grad), grad / x),)


def log_backward__epsilon(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad / (x + 1e-12),)


def sqrt_backward__constant_factor(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad / x.sqrt(),)


def sqrt_backward__wrong_power(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad * 0.5 * x.sqrt(),)


def sqrt_backward__epsilon(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad / (2 * x.sqrt() + 1e-12),)


def reciprocal_backward__sign(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad / (x * x),)


def reciprocal_backward__not_squared(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (-grad / x,)


def reciprocal_backward__ignores_grad(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (-1 / (x * x),)


def pow_scalar_backward__off_by_one(grad: Tensor, x: Tensor, *, p: float) -> tuple[Tensor]:
    return (grad * p * x.pow(p),)


def pow_scalar_backward__constant_factor(grad: Tensor, x: Tensor, *, p: float) -> tuple[Tensor]:
    return (grad * x.pow(p - 1),)


def pow_scalar_backward__nan_at_zero(grad: Tensor, x: Tensor, *, p: float) -> tuple[Tensor]:
    return (grad * (p * x.pow(p - 1)),)


def pow_scalar_backward__through_log(grad: Tensor, x: Tensor, *, p: float) -> tuple[Tensor]:
    if p == 0:
        return (torch.zeros_like(x),)
    return (grad * p * torch.exp((p - 1) * x.log()),)


def sin_backward__sign(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (-grad * x.cos(),)


def sin_backward__function_not_derivative(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad * x.sin(),)


def sin_backward__ignores_grad(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (x.cos(),)


def cos_backward__sign(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad * x.sin(),)


def cos_backward__function_not_derivative(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad * x.cos(),)


def cos_backward__ignores_grad(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (-x.sin(),)


def tanh_backward__not_squared(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad * (1 - x.tanh()),)


def tanh_backward__sign(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    out = x.tanh()
    return (grad * (1 + out * out),)


def tanh_backward__overflow(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    e = torch.exp(2 * x)
    return (grad * 4 * e / (e + 1) ** 2,)


def tanh_backward__ignores_grad(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    out = x.tanh()
    return (1 - out * out,)


def sigmoid_backward__missing_factor(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad * x.sigmoid(),)


def sigmoid_backward__overflow(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    e = torch.exp(-x)
    return (grad * e / (1 + e) ** 2,)


def sigmoid_backward__ignores_grad(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    s = x.sigmoid()
    return (s * (1 - s),)


def gelu_backward__no_product_rule(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad * 0.5 * (1 + torch.erf(x / math.sqrt(2))),)


def gelu_backward__tanh_approximation(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    k = math.sqrt(2 / math.pi)
    t = torch.tanh(k * (x + 0.044715 * x**3))
    return (grad * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * k * (1 + 3 * 0.044715 * x * x)),)


def gelu_backward__constant_factor(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    cdf = 0.5 * (1 + torch.erf(x / math.sqrt(2)))
    return (grad * (cdf + x * torch.exp(-0.5 * x * x)),)


def silu_backward__no_product_rule(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    return (grad * x.sigmoid(),)


def silu_backward__overflow(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    e = torch.exp(-x)
    return (grad * (1 / (1 + e) + x * e / (1 + e) ** 2),)


def silu_backward__ignores_grad(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    s = x.sigmoid()
    return (s * (1 + x * (1 - s)),)


def softplus_backward__ignores_beta(grad: Tensor, x: Tensor, *, beta: float) -> tuple[Tensor]:
    return (torch.where(beta * x > 20, grad, grad * x.sigmoid()),)


def softplus_backward__constant_factor(grad: Tensor, x: Tensor, *, beta: float) -> tuple[Tensor]:
    z = beta * x
    return (torch.where(z > 20, grad, grad * beta * z.sigmoid()),)


def softplus_backward__overflow(grad: Tensor, x: Tensor, *, beta: float) -> tuple[Tensor]:
    e = torch.exp(beta * x)
    return (grad * e / (1 + e),)

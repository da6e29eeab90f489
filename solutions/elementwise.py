"""Reference solutions for the set ``elementwise``: each VJP is grad * f'(x), elementwise."""

from __future__ import annotations

import math

import torch

Tensor = torch.Tensor

SOFTPLUS_THRESHOLD = 20.0
"""torch's softplus is the identity where beta * x exceeds this, and so is its derivative."""


def neg_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = -x:  x̄ = -ḡ."""
    return (-grad,)


def exp_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = eˣ:  x̄ = ḡ·eˣ."""
    return (grad * x.exp(),)


def log_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = ln x:  x̄ = ḡ / x  (±inf at x = 0, as in torch)."""
    return (grad / x,)


def sqrt_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = √x:  x̄ = ḡ / (2·out)  (±inf at x = 0, as in torch)."""
    return (grad / (2 * x.sqrt()),)


def reciprocal_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = 1/x:  x̄ = -ḡ·out²."""
    out = x.reciprocal()
    return (-grad * (out * out),)


def pow_scalar_backward(grad: Tensor, x: Tensor, *, p: float) -> tuple[Tensor]:
    """out = xᵖ:  x̄ = ḡ·p·xᵖ⁻¹, and x̄ = 0 for p = 0 (where the formula would give 0·inf at x = 0)."""
    if p == 0:
        return (torch.zeros_like(x),)
    return (grad * (p * x.pow(p - 1)),)


def sin_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = sin x:  x̄ = ḡ·cos x."""
    return (grad * x.cos(),)


def cos_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = cos x:  x̄ = -ḡ·sin x."""
    return (grad * -x.sin(),)


def tanh_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = tanh x:  x̄ = ḡ·(1 - out²)  (exactly 0 once tanh saturates)."""
    out = x.tanh()
    return (grad * (1 - out * out),)


def sigmoid_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = σ(x):  x̄ = ḡ·out·(1 - out)."""
    out = x.sigmoid()
    return (grad * out * (1 - out),)


def gelu_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = x·Φ(x):  x̄ = ḡ·(Φ(x) + x·φ(x)),  Φ = ½(1 + erf(x/√2)),  φ(x) = e^(-x²/2)/√(2π)."""
    cdf = 0.5 * (1 + torch.erf(x * math.sqrt(0.5)))
    pdf = torch.exp(-0.5 * x * x) / math.sqrt(2 * math.pi)
    return (grad * (cdf + x * pdf),)


def silu_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = x·σ(x):  x̄ = ḡ·σ(x)·(1 + x·(1 - σ(x)))."""
    s = x.sigmoid()
    return (grad * s * (1 + x * (1 - s)),)


def softplus_backward(grad: Tensor, x: Tensor, *, beta: float) -> tuple[Tensor]:
    """out = ln(1 + e^(βx))/β:  x̄ = ḡ·σ(βx), and x̄ = ḡ where βx > 20 (torch's forward is x there)."""
    z = beta * x
    return (torch.where(z > SOFTPLUS_THRESHOLD, grad, grad * z.sigmoid()),)

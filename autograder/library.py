"""Test functions that exercises receive by name: the wire carries tensors and JSON, never code.

A case names a function (``"f": "tanh_layer"``); the grader computes the expected result with the function
of that name, and the sandboxed child, which imported this module before it forked, passes the same function
to the student. Every function here is made of differentiable torch ops, twice differentiable, with forward-mode
rules, for float64 and float32 inputs; fixed weights come from a formula, so they are the same everywhere.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable

import torch
import torch.nn.functional as F

Tensor = torch.Tensor


def _weights(rows: int, cols: int, salt: str, like: Tensor) -> Tensor:
    """A fixed, irregular ``rows x cols`` matrix, the same for the same arguments everywhere. A formula, not a
    random draw: ``torch.func.vmap`` (inside jacrev and jacfwd) refuses random operations."""
    phase = zlib.crc32(salt.encode()) % 1000
    k = torch.arange(rows * cols, dtype=torch.float64)
    w = torch.sin(k * 1.618034 + k * k * 0.0137 + phase) * 1.7 / max(cols, 1) ** 0.5
    return w.reshape(rows, cols).to(like.dtype)


# Functions of one tensor (for Jacobians): any input shape unless said otherwise.

def cubic(x: Tensor) -> Tensor:
    """out = x³ - 2x, elementwise (a diagonal Jacobian)."""
    return x ** 3 - 2 * x


def tanh_layer(x: Tensor) -> Tensor:
    """out = tanh(W vec(x) + 1/2) with a fixed 3 x n matrix W: R^n -> R^3."""
    z = x.reshape(-1)
    return torch.tanh(_weights(3, z.numel(), "tanh_layer", x) @ z + 0.5)


def widen(x: Tensor) -> Tensor:
    """out = sin(W vec(x)) with a fixed 4n x n matrix W: R^n -> R^4n (more outputs than inputs)."""
    z = x.reshape(-1)
    return torch.sin(_weights(4 * z.numel(), z.numel(), "widen", x) @ z)


def outer(x: Tensor) -> Tensor:
    """out = x sin(x)ᵀ for a vector x: R^n -> R^(n x n), a matrix output."""
    return torch.outer(x, torch.sin(x))


def softmax(x: Tensor) -> Tensor:
    """out = softmax(x) along the last dimension."""
    return torch.softmax(x, dim=-1)


def radius(x: Tensor) -> Tensor:
    """out = sqrt(1 + Σ x²): a scalar (0-d) output."""
    return torch.sqrt(1 + (x ** 2).sum())


# Scalar functions (for gradients, Hessians and Hessian-vector products).

def rosenbrock(x: Tensor) -> Tensor:
    """f = Σ 100 (z[i+1] - z[i]²)² + (1 - z[i])² over z = vec(x)."""
    z = x.reshape(-1)
    return (100 * (z[1:] - z[:-1] ** 2) ** 2 + (1 - z[:-1]) ** 2).sum()


def logsumexp(x: Tensor) -> Tensor:
    """f = log Σ exp(x) over every entry."""
    return torch.logsumexp(x.reshape(-1), dim=0)


def coupled(x: Tensor) -> Tensor:
    """f = Σ sin(z[i]) z[i-1] + Σ z⁴ / 12 over z = vec(x), cyclically: every entry meets its neighbour."""
    z = x.reshape(-1)
    return (torch.sin(z) * z.roll(1)).sum() + (z ** 4).sum() / 12


# Models (for per-sample gradients and gradient accumulation): pred = model(w, xs), one row per sample.

def linear(w: Tensor, xs: Tensor) -> Tensor:
    """pred = xs @ w."""
    return xs @ w


def tanh_linear(w: Tensor, xs: Tensor) -> Tensor:
    """pred = tanh(xs @ w)."""
    return torch.tanh(xs @ w)


def softplus_linear(w: Tensor, xs: Tensor) -> Tensor:
    """pred = softplus(xs @ w) + sin(xs) @ w: w enters twice."""
    return F.softplus(xs @ w) + torch.sin(xs) @ w


VECTOR: dict[str, Callable[[Tensor], Tensor]] = {
    f.__name__: f for f in (cubic, tanh_layer, widen, outer, softmax, radius)}
SCALAR: dict[str, Callable[[Tensor], Tensor]] = {f.__name__: f for f in (rosenbrock, logsumexp, coupled, radius)}
MODELS: dict[str, Callable[[Tensor, Tensor], Tensor]] = {
    f.__name__: f for f in (linear, tanh_linear, softplus_linear)}
FUNCTIONS: dict[str, Callable[..., Tensor]] = {**VECTOR, **SCALAR, **MODELS}


def resolve(name: str) -> Callable[..., Tensor]:
    """The library function called ``name`` (a ``KeyError`` names the unknown function)."""
    return FUNCTIONS[name]

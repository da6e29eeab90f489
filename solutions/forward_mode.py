"""Reference solutions for the set ``forward_mode``."""

from __future__ import annotations

from collections.abc import Callable

import torch

Tensor = torch.Tensor


def mul_jvp(x: Tensor, y: Tensor, x_dot: Tensor, y_dot: Tensor) -> tuple[Tensor]:
    """out = x y:  ȯut = ẋ y + x ẏ (tangents broadcast like their primals; nothing to sum)."""
    return (x_dot * y + x * y_dot,)


def exp_jvp(x: Tensor, x_dot: Tensor) -> tuple[Tensor]:
    """out = eˣ:  ȯut = eˣ ẋ."""
    return (torch.exp(x) * x_dot,)


def matmul_jvp(a: Tensor, b: Tensor, a_dot: Tensor, b_dot: Tensor) -> tuple[Tensor]:
    """out = a b:  ȯut = ȧ b + a ḃ (matmul's promotion and batch broadcasting apply as in the forward)."""
    return (a_dot @ b + a @ b_dot,)


def softmax_jvp(x: Tensor, x_dot: Tensor, *, dim: int) -> tuple[Tensor]:
    """s = softmax(x):  ṡ = s ⊙ (ẋ - Σ_dim s ⊙ ẋ), i.e. (diag(s) - s sᵀ) ẋ per slice."""
    s = torch.softmax(x, dim=dim)
    return (s * (x_dot - (s * x_dot).sum(dim=dim, keepdim=True)),)


def sum_jvp(x: Tensor, x_dot: Tensor, *, dim: int | list[int] | None, keepdim: bool) -> tuple[Tensor]:
    """out = Σ_dim x is linear:  ȯut = Σ_dim ẋ."""
    return (torch.sum(x_dot, dim=dim, keepdim=keepdim),)


def jacobian_best_mode(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    """n forward passes (columns) when n < m, m reverse passes (rows) otherwise."""
    with torch.no_grad():
        m = f(x).numel()
    build = torch.func.jacfwd if x.numel() < m else torch.func.jacrev
    return (build(f)(x),)

"""Known-wrong variants of the reference solutions of the set ``forward_mode``: realistic mistakes."""

from __future__ import annotations

from collections.abc import Callable

import torch

Tensor = torch.Tensor


def mul_jvp__one_term(x: Tensor, y: Tensor, x_dot: Tensor, y_dot: Tensor) -> tuple[Tensor]:
    return (x_dot * y,)


def mul_jvp__own_partner(x: Tensor, y: Tensor, x_dot: Tensor, y_dot: Tensor) -> tuple[Tensor]:
    return (x_dot * x + y_dot * y,)


def mul_jvp__summed_like_a_vjp(x: Tensor, y: Tensor, x_dot: Tensor, y_dot: Tensor) -> tuple[Tensor]:
    from .helpers import sum_to

    return (sum_to(x_dot * y + x * y_dot, x.shape),)


def exp_jvp__slope_only(x: Tensor, x_dot: Tensor) -> tuple[Tensor]:
    return (torch.exp(x),)


def exp_jvp__exp_of_tangent(x: Tensor, x_dot: Tensor) -> tuple[Tensor]:
    return (torch.exp(x_dot),)


def exp_jvp__power_rule(x: Tensor, x_dot: Tensor) -> tuple[Tensor]:
    return (x * torch.exp(x - 1) * x_dot,)


def matmul_jvp__one_term(a: Tensor, b: Tensor, a_dot: Tensor, b_dot: Tensor) -> tuple[Tensor]:
    return (a_dot @ b,)


def matmul_jvp__sign(a: Tensor, b: Tensor, a_dot: Tensor, b_dot: Tensor) -> tuple[Tensor]:
    return (a_dot @ b - a @ b_dot,)


def matmul_jvp__transposed_like_a_vjp(a: Tensor, b: Tensor, a_dot: Tensor, b_dot: Tensor) -> tuple[Tensor]:
    return (a_dot @ b + a.mT @ b_dot,)


def matmul_jvp__swapped_order(a: Tensor, b: Tensor, a_dot: Tensor, b_dot: Tensor) -> tuple[Tensor]:
    return (b @ a_dot + a @ b_dot,)


def softmax_jvp__diagonal_only(x: Tensor, x_dot: Tensor, *, dim: int) -> tuple[Tensor]:
    return (torch.softmax(x, dim=dim) * x_dot,)


def softmax_jvp__plain_mean(x: Tensor, x_dot: Tensor, *, dim: int) -> tuple[Tensor]:
    s = torch.softmax(x, dim=dim)
    return (s * (x_dot - x_dot.mean(dim=dim, keepdim=True)),)


def softmax_jvp__summed_everywhere(x: Tensor, x_dot: Tensor, *, dim: int) -> tuple[Tensor]:
    s = torch.softmax(x, dim=dim)
    return (s * (x_dot - (s * x_dot).sum()),)


def softmax_jvp__naive_exp(x: Tensor, x_dot: Tensor, *, dim: int) -> tuple[Tensor]:
    e = torch.exp(x)
    s = e / e.sum(dim=dim, keepdim=True)
    return (s * (x_dot - (s * x_dot).sum(dim=dim, keepdim=True)),)


def sum_jvp__broadcast_back(x: Tensor, x_dot: Tensor, *, dim: int | list[int] | None,
                            keepdim: bool) -> tuple[Tensor]:
    return (torch.sum(x_dot, dim=dim, keepdim=True).expand(x.shape).clone(),)


def sum_jvp__ignores_dim(x: Tensor, x_dot: Tensor, *, dim: int | list[int] | None, keepdim: bool) -> tuple[Tensor]:
    return (x_dot.sum(),)


def sum_jvp__keepdim_lost(x: Tensor, x_dot: Tensor, *, dim: int | list[int] | None, keepdim: bool) -> tuple[Tensor]:
    return (torch.sum(x_dot, dim=dim),)


def sum_jvp__primal(x: Tensor, x_dot: Tensor, *, dim: int | list[int] | None, keepdim: bool) -> tuple[Tensor]:
    return (torch.sum(x, dim=dim, keepdim=keepdim),)


def jacobian_best_mode__always_reverse(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    return (torch.func.jacrev(f)(x),)


def jacobian_best_mode__always_forward(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    return (torch.func.jacfwd(f)(x),)


def jacobian_best_mode__by_dimensions(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    with torch.no_grad():
        out = f(x)
    build = torch.func.jacfwd if x.dim() < out.dim() else torch.func.jacrev
    return (build(f)(x),)


def jacobian_best_mode__both_modes(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    forward, reverse = torch.func.jacfwd(f)(x), torch.func.jacrev(f)(x)
    with torch.no_grad():
        m = f(x).numel()
    return (forward if x.numel() < m else reverse,)

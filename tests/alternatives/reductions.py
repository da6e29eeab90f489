"""Correct implementations written differently from the reference: each must get full marks."""

from __future__ import annotations

import torch

Tensor = torch.Tensor


def _reduced(x: Tensor, dim: int | list[int] | None) -> list[int]:
    if dim is None:
        return list(range(x.dim()))
    return [d % max(x.dim(), 1) for d in ([dim] if isinstance(dim, int) else dim)] if x.dim() else []


def _restored(grad: Tensor, x: Tensor, dim: int | list[int] | None, keepdim: bool) -> Tensor:
    # Reshape instead of unsqueeze: the output's shape with 1 at every reduced position.
    if keepdim:
        return grad
    shape = [1 if d in _reduced(x, dim) else n for d, n in enumerate(x.shape)]
    return grad.reshape(shape)


def sum_backward(grad: Tensor, x: Tensor, *, dim: int | list[int] | None, keepdim: bool) -> tuple[Tensor]:
    # Multiply by ones: broadcasting does the copying.
    return (_restored(grad, x, dim, keepdim) * torch.ones_like(x),)


def prod_backward(grad: Tensor, x: Tensor, *, dim: int | None, keepdim: bool) -> tuple[Tensor]:
    # torch's own strategy: divide where the slice has no zero, and treat one and several zeros apart.
    if dim is None or x.dim() == 0:
        flat = x.reshape(1, -1)
        (g,) = prod_backward(grad.reshape(1), flat, dim=1, keepdim=False)
        return (g.reshape(x.shape),)
    g = _restored(grad, x, dim, keepdim)
    zero = x == 0
    zeros = zero.sum(dim, keepdim=True)
    nonzero = torch.where(zero, torch.ones_like(x), x).prod(dim, keepdim=True)
    no_zero = nonzero / torch.where(zero, torch.ones_like(x), x)
    one_zero = torch.where(zero, nonzero, torch.zeros_like(x))
    others = torch.where(zeros == 0, no_zero, torch.where(zeros == 1, one_zero, torch.zeros_like(x)))
    return (g * others,)


def max_dim_backward(grad: Tensor, x: Tensor, *, dim: int, keepdim: bool) -> tuple[Tensor]:
    # The first maximum along dim: equal to the max, and the first such entry (running count of 1).
    if x.dim() == 0:
        return (grad.clone(),)
    is_max = x == x.amax(dim, keepdim=True)
    first = is_max & (is_max.cumsum(dim) == 1)
    return (_restored(grad, x, dim, keepdim) * first.to(grad.dtype),)


def cumsum_backward(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    # Σ_{k≥i} g_k = total - Σ_{k<i} g_k = total - cumsum + g.
    if grad.dim() == 0:
        return (grad.clone(),)
    return (grad.sum(dim, keepdim=True) - grad.cumsum(dim) + grad,)


def var_backward(grad: Tensor, x: Tensor, *, dim: int | list[int] | None, correction: int,
                 keepdim: bool) -> tuple[Tensor]:
    # 2/(N-c) (x - mean) written as (2x - 2 mean)/(N-c), the mean as a sum over a product of sizes.
    dims = _reduced(x, dim)
    n = 1
    for d in dims:
        n *= x.shape[d]
    mean = x.sum(dims, keepdim=True) / n if dims else x
    return (_restored(grad, x, dim, keepdim) * (2 * x - 2 * mean) / (n - correction),)

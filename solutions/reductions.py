"""Reference solutions for the set ``reductions``.

``dim`` arrives as None, an int or a list of ints (params travel as JSON, so tuples become lists).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import torch

Tensor = torch.Tensor
Dim = int | Sequence[int] | None


def _dims(x: Tensor, dim: Dim) -> tuple[int, ...]:
    """The reduced dimensions, non-negative and sorted: all of them for None, none for a 0-d input."""
    if x.dim() == 0:
        return ()
    if dim is None:
        return tuple(range(x.dim()))
    dims = [dim] if isinstance(dim, int) else dim
    return tuple(sorted(d % x.dim() for d in dims))


def _unreduce(grad: Tensor, x: Tensor, dim: Dim, keepdim: bool) -> Tensor:
    """``grad`` with the reduced dimensions back as size 1 (unless keepdim kept them): it broadcasts against x."""
    if not keepdim:
        for d in _dims(x, dim):
            grad = grad.unsqueeze(d)
    return grad


def _count(x: Tensor, dim: Dim) -> int:
    """How many entries of x are reduced into each output."""
    return math.prod(x.shape[d] for d in _dims(x, dim))


def sum_backward(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    """out = Σ_reduced x:  x̄ = expand(unsqueeze(ḡ), x.shape)."""
    return (_unreduce(grad, x, dim, keepdim).expand(x.shape),)


def mean_backward(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    """out = Σ_reduced x / N:  x̄ = expand(unsqueeze(ḡ), x.shape) / N."""
    return (_unreduce(grad, x, dim, keepdim).expand(x.shape) / _count(x, dim),)


def _others(x: Tensor, d: int) -> Tensor:
    """The product of every other entry along dimension d, for each entry, without division (zero-safe).

    The exclusive cumulative product from the left times the exclusive cumulative product from the right.
    """
    n = x.shape[d]
    if n == 0:
        return torch.ones_like(x)
    ones = torch.ones_like(x.narrow(d, 0, 1))
    before = torch.cat([ones, x.narrow(d, 0, n - 1)], d).cumprod(d)
    after = torch.cat([x.narrow(d, 1, n - 1), ones], d).flip(d).cumprod(d).flip(d)
    return before * after


def prod_backward(grad: Tensor, x: Tensor, *, dim: int | None, keepdim: bool) -> tuple[Tensor]:
    """out = Π x (over dim, or everything):  x̄_i = ḡ · Π_{k≠i} x_k, computed with no division by x."""
    if dim is None or x.dim() == 0:
        return (grad * _others(x.reshape(-1), 0).reshape(x.shape),)
    return (_unreduce(grad, x, dim, keepdim) * _others(x, dim % x.dim()),)


def amax_backward(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    """out = max_reduced x:  x̄ = unsqueeze(ḡ) · m / count(m), with m = [x == max] (ties share evenly)."""
    dims = _dims(x, dim)
    mask = (x == x.amax(dim=dims, keepdim=True)).to(grad.dtype)
    return (_unreduce(grad, x, dim, keepdim) * mask / mask.sum(dim=dims, keepdim=True),)


def max_dim_backward(grad: Tensor, x: Tensor, *, dim: int, keepdim: bool) -> tuple[Tensor]:
    """out = x[..., k, ...] with k = torch.max(x, dim).indices:  x̄ = ḡ scattered to k, 0 elsewhere."""
    index = torch.max(x, dim, keepdim=True).indices
    return (torch.zeros_like(x).scatter(dim, index, _unreduce(grad, x, dim, keepdim)),)


def logsumexp_backward(grad: Tensor, x: Tensor, *, dim: int | Sequence[int], keepdim: bool) -> tuple[Tensor]:
    """out = log Σ exp x:  x̄ = unsqueeze(ḡ) · exp(x - unsqueeze(out)) (softmax, with no overflow)."""
    out = torch.logsumexp(x, dim=dim, keepdim=True)
    return (_unreduce(grad, x, dim, keepdim) * torch.exp(x - out),)


def _centred(x: Tensor, dim: Dim) -> Tensor:
    return x - x.mean(dim=_dims(x, dim), keepdim=True)


def var_backward(grad: Tensor, x: Tensor, *, dim: Dim, correction: int, keepdim: bool) -> tuple[Tensor]:
    """out = Σ (x - μ)² / (N - c):  x̄ = unsqueeze(ḡ) · 2 (x - μ) / (N - c)."""
    # Tensor division: N - c = 0 must give NaN as in torch, not a Python ZeroDivisionError.
    return (_unreduce(grad, x, dim, keepdim) * 2 * _centred(x, dim) / (_count(x, dim) - correction),)


def std_backward(grad: Tensor, x: Tensor, *, dim: Dim, correction: int, keepdim: bool) -> tuple[Tensor]:
    """out = σ = √var:  x̄ = unsqueeze(ḡ) · (x - μ) / ((N - c) σ), and 0 where σ = 0."""
    centred = _centred(x, dim)
    dof = _count(x, dim) - correction
    var = (centred * centred).sum(dim=_dims(x, dim), keepdim=True) / dof
    zero = var == 0
    # The double where: with the zeros replaced before sqrt and division, even a double backward sees no 0/0.
    sigma = torch.where(zero, torch.ones_like(var), var).sqrt()
    raw = _unreduce(grad, x, dim, keepdim) * centred / (dof * sigma)
    return (torch.where(zero, raw.new_zeros(()), raw),)


def norm_backward(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    """out = ‖x‖₂:  x̄ = unsqueeze(ḡ) · x / unsqueeze(out), and 0 where the norm is 0."""
    norm = torch.linalg.vector_norm(x, dim=dim, keepdim=True)
    zero = norm == 0
    raw = _unreduce(grad, x, dim, keepdim) * x / torch.where(zero, torch.ones_like(norm), norm)
    return (torch.where(zero, raw.new_zeros(()), raw),)


def cumsum_backward(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    """out_k = Σ_{i≤k} x_i:  x̄_i = Σ_{k≥i} ḡ_k, a cumulative sum of ḡ from the end."""
    return (grad.flip(dim).cumsum(dim).flip(dim),)

"""Reference solutions for the set ``shapes``."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from .helpers import sum_to

Tensor = torch.Tensor


def reshape_backward(grad: Tensor, x: Tensor, *, shape: list[int]) -> tuple[Tensor]:
    """out = reshape(x, shape):  x̄ = reshape(ḡ, x.shape) (same entries in row-major order)."""
    return (grad.reshape(x.shape),)


def _inverse(dims: list[int], n: int) -> list[int]:
    """The inverse permutation: inv[dims[i]] = i (dims may be negative)."""
    inv = [0] * n
    for i, d in enumerate(dims):
        inv[d % n] = i
    return inv


def permute_backward(grad: Tensor, x: Tensor, *, dims: list[int]) -> tuple[Tensor]:
    """out = permute(x, dims):  x̄ = permute(ḡ, dims⁻¹)."""
    return (grad.permute(_inverse(list(dims), x.dim())),)


def transpose_backward(grad: Tensor, x: Tensor, *, dim0: int, dim1: int) -> tuple[Tensor]:
    """out = transpose(x, dim0, dim1):  x̄ = transpose(ḡ, dim0, dim1) (a swap is its own inverse)."""
    return (grad.transpose(dim0, dim1),)


def expand_backward(grad: Tensor, x: Tensor, *, shape: list[int]) -> tuple[Tensor]:
    """out = expand(x, shape):  x̄ = sum_to(ḡ, x.shape) (add up the gradients of all the copies)."""
    return (sum_to(grad, x.shape),)


def squeeze_backward(grad: Tensor, x: Tensor, *, dim: int | list[int] | None) -> tuple[Tensor]:
    """out = squeeze(x, dim):  x̄ = reshape(ḡ, x.shape) (restores exactly the removed size-1 dims)."""
    return (grad.reshape(x.shape),)


def unsqueeze_backward(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    """out = unsqueeze(x, dim):  x̄ = squeeze(ḡ, dim) (dim counts in the output, like ḡ's dims)."""
    return (grad.squeeze(dim),)


def cat_backward(grad: Tensor, a: Tensor, b: Tensor, *, dim: int) -> tuple[Tensor, Tensor]:
    """out = cat([a, b], dim):  ā, b̄ = the first a.shape[dim] and the last b.shape[dim] slices of ḡ."""
    grad_a, grad_b = grad.split([a.shape[dim], b.shape[dim]], dim)
    return grad_a, grad_b


def stack_backward(grad: Tensor, a: Tensor, b: Tensor, *, dim: int) -> tuple[Tensor, Tensor]:
    """out = stack([a, b], dim):  ā = select(ḡ, dim, 0),  b̄ = select(ḡ, dim, 1)."""
    grad_a, grad_b = grad.unbind(dim)
    return grad_a, grad_b


def getitem_backward(grad: Tensor, x: Tensor, index: Tensor) -> tuple[Tensor, None]:
    """out = x[index]:  x̄ = zeros, then x̄[index[j]] += ḡ[j] for every j (duplicates accumulate)."""
    n = x.shape[0]
    flat = index.reshape(-1)
    flat = torch.where(flat < 0, flat + n, flat)  # index_add takes only indices in [0, n)
    rows = grad.reshape(flat.numel(), *x.shape[1:])
    return grad.new_zeros(x.shape).index_add(0, flat, rows), None


def gather_backward(grad: Tensor, x: Tensor, index: Tensor, *, dim: int) -> tuple[Tensor, None]:
    """out = gather(x, dim, index):  x̄ = scatter_add(zeros, dim, index, ḡ)."""
    return grad.new_zeros(x.shape).scatter_add(dim, index, grad), None


def index_select_backward(grad: Tensor, x: Tensor, index: Tensor, *, dim: int) -> tuple[Tensor, None]:
    """out = index_select(x, dim, index):  x̄ = index_add(zeros, dim, index, ḡ)."""
    return grad.new_zeros(x.shape).index_add(dim, index.reshape(-1), grad), None


def embedding_backward(grad: Tensor, weight: Tensor, indices: Tensor, *,
                       padding_idx: int | None) -> tuple[Tensor, None]:
    """out = weight[indices]:  W̄[r] = Σ_{j: indices[j] = r} ḡ[j], and W̄[padding_idx] = 0."""
    n, d = weight.shape
    rows = grad.reshape(-1, d)
    grad_weight = grad.new_zeros(weight.shape).index_add(0, indices.reshape(-1), rows)
    if padding_idx is not None:
        padding = (torch.arange(n) == padding_idx % n).unsqueeze(1)
        grad_weight = torch.where(padding, torch.zeros_like(grad_weight), grad_weight)
    return grad_weight, None


def flip_backward(grad: Tensor, x: Tensor, *, dims: list[int]) -> tuple[Tensor]:
    """out = flip(x, dims):  x̄ = flip(ḡ, dims) (a reversal is its own inverse)."""
    return (grad.flip(dims),)


def pad_backward(grad: Tensor, x: Tensor, *, pad: list[int], value: float) -> tuple[Tensor]:
    """out = pad(x, pad, value):  x̄ = pad(ḡ, -pad): crops the padded border and zero-fills what was cropped."""
    return (F.pad(grad, [-p for p in pad]),)

"""Correct implementations written differently from the reference: each must get full marks.

Graded as a submission on its own, so it imports nothing from the project.
"""

from __future__ import annotations

import torch

Tensor = torch.Tensor


def permute_backward(grad: Tensor, x: Tensor, *, dims: list[int]) -> tuple[Tensor]:
    # Output dim i came from input dim dims[i]: move each gradient dim back to where it came from.
    n = x.dim()
    return (torch.movedim(grad, list(range(n)), [d % n for d in dims]),)


def expand_backward(grad: Tensor, x: Tensor, *, shape: list[int]) -> tuple[Tensor]:
    # One axis at a time: drop prepended axes from the left, then fold each stretched axis.
    while grad.dim() > x.dim():
        grad = grad.sum(0)
    for axis, n in enumerate(x.shape):
        if n == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis, keepdim=True)
    return (grad.clone(),)


def unsqueeze_backward(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    return (grad.reshape(x.shape),)


def cat_backward(grad: Tensor, a: Tensor, b: Tensor, *, dim: int) -> tuple[Tensor, Tensor]:
    n = a.shape[dim]
    return grad.narrow(dim, 0, n).clone(), grad.narrow(dim, n, b.shape[dim]).clone()


def getitem_backward(grad: Tensor, x: Tensor, index: Tensor) -> tuple[Tensor, None]:
    # index_put with accumulate=True adds duplicates and wraps negative indices itself.
    gx = torch.zeros(x.shape, dtype=grad.dtype)
    gx.index_put_((index,), grad, accumulate=True)
    return gx, None


def gather_backward(grad: Tensor, x: Tensor, index: Tensor, *, dim: int) -> tuple[Tensor, None]:
    # Spell out every position of the output: its own coordinates, with `index` along `dim`.
    if x.dim() == 0:
        return grad.clone(), None
    where = list(torch.meshgrid(*[torch.arange(n) for n in index.shape], indexing="ij"))
    where[dim % x.dim()] = index
    gx = torch.zeros(x.shape, dtype=grad.dtype)
    gx.index_put_(tuple(where), grad, accumulate=True)
    return gx, None


def embedding_backward(grad: Tensor, weight: Tensor, indices: Tensor, *,
                       padding_idx: int | None) -> tuple[Tensor, None]:
    # The lookup is a product with a one-hot matrix: out = onehot @ W, so W̄ = onehotᵀ @ ḡ.
    n, d = weight.shape
    onehot = (indices.reshape(-1, 1) == torch.arange(n)).to(grad.dtype)
    if padding_idx is not None:
        onehot[:, padding_idx] = 0
    return onehot.mT @ grad.reshape(-1, d), None


def pad_backward(grad: Tensor, x: Tensor, *, pad: list[int], value: float) -> tuple[Tensor]:
    # Per padded dim: cut a positive border off, put zeros back for a negative (cropped) one.
    for k in range(len(pad) // 2):
        dim = x.dim() - 1 - k
        left, right = pad[2 * k], pad[2 * k + 1]
        grad = grad.narrow(dim, max(left, 0), grad.shape[dim] - max(left, 0) - max(right, 0))
        zeros = [grad.new_zeros((*grad.shape[:dim], max(-p, 0), *grad.shape[dim + 1:])) for p in (left, right)]
        grad = torch.cat([zeros[0], grad, zeros[1]], dim)
    return (grad,)

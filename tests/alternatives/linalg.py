"""Correct implementations written differently from the reference: each must get full marks.

Graded as a submission on its own, so it imports nothing from the project.
"""

from __future__ import annotations

import torch

Tensor = torch.Tensor


def _unbroadcast(t: Tensor, shape: torch.Size) -> Tensor:
    while t.dim() > len(shape):
        t = t.sum(0)
    for axis, n in enumerate(shape):
        if n == 1 and t.shape[axis] != 1:
            t = t.sum(axis, keepdim=True)
    return t


def matmul_backward(grad: Tensor, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    # No matrix products: broadcast every product a[..., n, k] b[..., k, m] and sum the right index away.
    a2 = a.reshape(1, -1) if a.dim() == 1 else a
    b2 = b.reshape(-1, 1) if b.dim() == 1 else b
    out_shape = (*torch.broadcast_shapes(a2.shape[:-2], b2.shape[:-2]), a2.shape[-2], b2.shape[-1])
    g = grad.reshape(out_shape)
    grad_a = (g.unsqueeze(-2) * b2.unsqueeze(-3)).sum(-1)  # [..., n, k] = sum_m g[..., n, m] b[..., k, m]
    grad_b = (a2.unsqueeze(-1) * g.unsqueeze(-2)).sum(-3)  # [..., k, m] = sum_n a[..., n, k] g[..., n, m]
    return _unbroadcast(grad_a, a2.shape).reshape(a.shape), _unbroadcast(grad_b, b2.shape).reshape(b.shape)


def outer_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return (grad * y).sum(1), (grad * x.unsqueeze(1)).sum(0)


def bmm_backward(grad: Tensor, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    return torch.einsum("snm,skm->snk", grad, b), torch.einsum("snk,snm->skm", a, grad)

"""Reference solutions for the set ``linalg``."""

from __future__ import annotations

import torch

from .helpers import sum_to

Tensor = torch.Tensor


def matmul_backward(grad: Tensor, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """out = a @ b:  ā = sum_to(ḡ bᵀ, a.shape),  b̄ = sum_to(aᵀ ḡ, b.shape), after promoting 1-D operands."""
    a2 = a.unsqueeze(0) if a.dim() == 1 else a  # a row (1, k)
    b2 = b.unsqueeze(-1) if b.dim() == 1 else b  # a column (k, 1)
    g = grad.unsqueeze(-1) if b.dim() == 1 else grad  # put back the dims the promotion removed: b's first,
    g = g.unsqueeze(-2) if a.dim() == 1 else g  # so that a 0-d grad (dot product) becomes (1, 1)
    grad_a = sum_to(g @ b2.mT, a2.shape).reshape(a.shape)
    grad_b = sum_to(a2.mT @ g, b2.shape).reshape(b.shape)
    return grad_a, grad_b


def outer_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """out = x yᵀ:  x̄ = ḡ y,  ȳ = ḡᵀ x."""
    return grad @ y, grad.mT @ x


def bmm_backward(grad: Tensor, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """out[s] = a[s] b[s]:  ā[s] = ḡ[s] b[s]ᵀ,  b̄[s] = a[s]ᵀ ḡ[s]."""
    return torch.bmm(grad, b.mT), torch.bmm(a.mT, grad)


def einsum_backward(grad: Tensor, a: Tensor, b: Tensor, *, equation: str) -> tuple[Tensor, Tensor]:
    """out = einsum("A,B->O", a, b):  ā = einsum("O,B->A", ḡ, b),  b̄ = einsum("O,A->B", ḡ, a)."""
    inputs, out = equation.replace(" ", "").split("->")
    sa, sb = inputs.split(",")
    return torch.einsum(f"{out},{sb}->{sa}", grad, b), torch.einsum(f"{out},{sa}->{sb}", grad, a)

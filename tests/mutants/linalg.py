"""Known-wrong variants of the set ``linalg``: each ``<op>_backward__<mistake>`` must lose points.

Each body is graded inside the reference module, so it may use that module's names (``sum_to``...).
"""

from __future__ import annotations

import torch

from solutions.helpers import sum_to

Tensor = torch.Tensor


# matmul

def matmul_backward__not_transposed(grad: Tensor, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    a2 = a.unsqueeze(0) if a.dim() == 1 else a
    b2 = b.unsqueeze(-1) if b.dim() == 1 else b
    g = grad.unsqueeze(-1) if b.dim() == 1 else grad
    g = g.unsqueeze(-2) if a.dim() == 1 else g
    return sum_to(g @ b2, a2.shape).reshape(a.shape), sum_to(a2 @ g, b2.shape).reshape(b.shape)


def matmul_backward__no_batch_sum(grad: Tensor, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    a2 = a.unsqueeze(0) if a.dim() == 1 else a
    b2 = b.unsqueeze(-1) if b.dim() == 1 else b
    g = grad.unsqueeze(-1) if b.dim() == 1 else grad
    g = g.unsqueeze(-2) if a.dim() == 1 else g
    grad_a, grad_b = g @ b2.mT, a2.mT @ g  # keeps the batch dims a shared operand never had
    grad_a = grad_a.squeeze(-2) if a.dim() == 1 else grad_a
    grad_b = grad_b.squeeze(-1) if b.dim() == 1 else grad_b
    return grad_a, grad_b


def matmul_backward__swapped(grad: Tensor, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    a2 = a.unsqueeze(0) if a.dim() == 1 else a
    b2 = b.unsqueeze(-1) if b.dim() == 1 else b
    g = grad.unsqueeze(-1) if b.dim() == 1 else grad
    g = g.unsqueeze(-2) if a.dim() == 1 else g
    return sum_to(a2.mT @ g, b2.shape).reshape(b.shape), sum_to(g @ b2.mT, a2.shape).reshape(a.shape)


def matmul_backward__no_squeeze(grad: Tensor, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    a2 = a.unsqueeze(0) if a.dim() == 1 else a
    b2 = b.unsqueeze(-1) if b.dim() == 1 else b
    g = grad.unsqueeze(-1) if b.dim() == 1 else grad
    g = g.unsqueeze(-2) if a.dim() == 1 else g
    return sum_to(g @ b2.mT, a2.shape), sum_to(a2.mT @ g, b2.shape)  # still (1, k) and (k, 1)


def matmul_backward__one_d_as_row(grad: Tensor, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    # Promotes both 1-D operands to rows (1, k), as if b were a row vector too.
    a2 = a.unsqueeze(0) if a.dim() == 1 else a
    b2 = b.unsqueeze(0) if b.dim() == 1 else b
    g = grad.unsqueeze(-2) if a.dim() == 1 or b.dim() == 1 else grad
    return sum_to(g @ b2.mT, a2.shape).reshape(a.shape), sum_to(a2.mT @ g, b2.shape).reshape(b.shape)


def matmul_backward__ignores_grad(grad: Tensor, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    a2 = a.unsqueeze(0) if a.dim() == 1 else a
    b2 = b.unsqueeze(-1) if b.dim() == 1 else b
    g = torch.ones_like(grad)
    g = g.unsqueeze(-1) if b.dim() == 1 else g
    g = g.unsqueeze(-2) if a.dim() == 1 else g
    return sum_to(g @ b2.mT, a2.shape).reshape(a.shape), sum_to(a2.mT @ g, b2.shape).reshape(b.shape)


# outer

def outer_backward__not_transposed(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return grad @ y, grad @ x


def outer_backward__swapped(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return grad.mT @ x, grad @ y


def outer_backward__ignores_grad(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    ones = torch.ones_like(grad)
    return ones @ y, ones.mT @ x


# bmm

def bmm_backward__not_transposed(grad: Tensor, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    return torch.bmm(grad, b), torch.bmm(a, grad)


def bmm_backward__batch_transposed(grad: Tensor, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    return grad @ b.transpose(0, 1), a.transpose(0, 1) @ grad


def bmm_backward__swapped(grad: Tensor, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    return torch.bmm(a.mT, grad), torch.bmm(grad, b.mT)


def bmm_backward__ignores_grad(grad: Tensor, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    ones = torch.ones_like(grad)
    return torch.bmm(ones, b.mT), torch.bmm(a.mT, ones)


# einsum

def einsum_backward__matmul_only(grad: Tensor, a: Tensor, b: Tensor, *, equation: str) -> tuple[Tensor, Tensor]:
    return grad @ b.mT, a.mT @ grad


def einsum_backward__swapped(grad: Tensor, a: Tensor, b: Tensor, *, equation: str) -> tuple[Tensor, Tensor]:
    inputs, out = equation.split("->")
    sa, sb = inputs.split(",")
    return torch.einsum(f"{out},{sa}->{sb}", grad, a), torch.einsum(f"{out},{sb}->{sa}", grad, b)


def einsum_backward__sorted_letters(grad: Tensor, a: Tensor, b: Tensor, *,
                                    equation: str) -> tuple[Tensor, Tensor]:
    inputs, out = equation.split("->")
    sa, sb = inputs.split(",")
    ra, rb = "".join(sorted(sa)), "".join(sorted(sb))  # the operand's own letter order is lost
    return torch.einsum(f"{out},{sb}->{ra}", grad, b), torch.einsum(f"{out},{sa}->{rb}", grad, a)


def einsum_backward__ignores_grad(grad: Tensor, a: Tensor, b: Tensor, *, equation: str) -> tuple[Tensor, Tensor]:
    inputs, out = equation.split("->")
    sa, sb = inputs.split(",")
    ones = torch.ones_like(grad)
    return torch.einsum(f"{out},{sb}->{sa}", ones, b), torch.einsum(f"{out},{sa}->{sb}", ones, a)

"""Exercise set ``linalg``: backward rules of matrix products.

Each function receives ``grad`` (the gradient of the loss with respect to the op's output) and the op's
inputs, and returns one gradient per input, each with exactly that input's shape and dtype.
Check your work with ``python -m autograder check linalg``.
"""

from __future__ import annotations

import torch

Tensor = torch.Tensor


def matmul_backward(grad: Tensor, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """out = a @ b (1-D operands promoted, batch dims broadcast). Return (grad_a, grad_b)."""
    raise NotImplementedError("matmul_backward: grad @ b^T and a^T @ grad, with 1-D promotion and batch sums")


def outer_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """out = torch.outer(x, y), out[i, j] = x[i] * y[j]. Return (grad_x, grad_y)."""
    raise NotImplementedError("outer_backward: contract grad with y for x, and grad transposed with x for y")


def bmm_backward(grad: Tensor, a: Tensor, b: Tensor) -> tuple[Tensor, Tensor]:
    """out = torch.bmm(a, b), (B, n, k) @ (B, k, m). Return (grad_a, grad_b)."""
    raise NotImplementedError("bmm_backward: per batch, grad @ b^T and a^T @ grad (transpose the last two dims)")


def einsum_backward(grad: Tensor, a: Tensor, b: Tensor, *, equation: str) -> tuple[Tensor, Tensor]:
    """out = torch.einsum(equation, a, b), equation like "bij,bjk->bik". Return (grad_a, grad_b)."""
    raise NotImplementedError("einsum_backward: an einsum of grad with the other operand, into this one's letters")

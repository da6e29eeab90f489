"""Exercise set ``binary``: backward rules of elementwise ops of two tensors, with broadcasting.

Each function receives ``grad`` (the gradient of the loss with respect to the op's output) and the op's
inputs, and returns one gradient per input, each with exactly that input's shape and dtype.
Check your work with ``python -m autograder check binary``.
"""

from __future__ import annotations

import torch

Tensor = torch.Tensor


def mul_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """out = x * y (broadcasting). Return (grad_x, grad_y)."""
    raise NotImplementedError("mul_backward: return (grad * y, grad * x), each summed back to its input's shape")

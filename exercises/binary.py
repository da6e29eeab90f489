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
    raise NotImplementedError("mul_backward: return the gradients for x and y, each summed back to its input's shape")


def add_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """out = x + y (broadcasting). Return (grad_x, grad_y)."""
    raise NotImplementedError("add_backward: return grad twice, each copy summed back to its input's shape")


def sub_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """out = x - y (broadcasting). Return (grad_x, grad_y)."""
    raise NotImplementedError("sub_backward: return (grad, -grad), each summed back to its input's shape")


def div_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """out = x / y (broadcasting). Return (grad_x, grad_y)."""
    raise NotImplementedError("div_backward: return (grad / y, -grad * x / y**2), each summed back to its shape")


def pow_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """out = x ** y (broadcasting). Return (grad_x, grad_y), with torch's rules at base 0 (see the page)."""
    raise NotImplementedError("pow_backward: return (grad * y * x**(y-1), grad * x**y * log(x)), masked at x == 0")


def maximum_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """out = maximum(x, y) (broadcasting). Return (grad_x, grad_y); a tie gives half to each."""
    raise NotImplementedError("maximum_backward: send grad to the larger input (half each at a tie), summed to shape")


def minimum_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """out = minimum(x, y) (broadcasting). Return (grad_x, grad_y); a tie gives half to each."""
    raise NotImplementedError("minimum_backward: send grad to the smaller input (half each at a tie), summed to shape")


def where_backward(grad: Tensor, condition: Tensor, x: Tensor, y: Tensor) -> tuple[None, Tensor, Tensor]:
    """out = where(condition, x, y) (all three broadcast; condition is bool). Return (None, grad_x, grad_y)."""
    raise NotImplementedError("where_backward: return (None, grad where condition, grad where not), summed to shape")

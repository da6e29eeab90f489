"""Exercise set ``elementwise``: backward rules of smooth elementwise unary ops.

Each function receives ``grad`` (the gradient of the loss with respect to the op's output) and the op's
inputs, and returns one gradient per input, each with exactly that input's shape and dtype.
Check your work with ``python -m autograder check elementwise``.
"""

from __future__ import annotations

import torch

Tensor = torch.Tensor


def neg_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = -x. Return (grad_x,)."""
    raise NotImplementedError("neg_backward: return the gradient for x; the slope of -x is -1 everywhere")


def exp_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = exp(x). Return (grad_x,)."""
    raise NotImplementedError("exp_backward: multiply grad by the derivative of exp, which is exp(x) itself")


def log_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = log(x), x >= 0. Return (grad_x,); at x = 0 it is infinite, as torch's is."""
    raise NotImplementedError("log_backward: divide grad by x (at x = 0 let the division give inf)")


def sqrt_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = sqrt(x), x >= 0. Return (grad_x,); at x = 0 it is infinite, as torch's is."""
    raise NotImplementedError("sqrt_backward: divide grad by 2 * sqrt(x) (at x = 0 let the division give inf)")


def reciprocal_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = 1 / x. Return (grad_x,)."""
    raise NotImplementedError("reciprocal_backward: multiply grad by the slope of 1/x, which is -1/x**2")


def pow_scalar_backward(grad: Tensor, x: Tensor, *, p: float) -> tuple[Tensor]:
    """out = x ** p for a Python number p. Return (grad_x,); torch's gradient for p = 0 is exactly 0."""
    raise NotImplementedError("pow_scalar_backward: multiply grad by p * x ** (p - 1), and return zeros for p = 0")


def sin_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = sin(x). Return (grad_x,)."""
    raise NotImplementedError("sin_backward: multiply grad by the derivative of sin, which is cos(x)")


def cos_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = cos(x). Return (grad_x,)."""
    raise NotImplementedError("cos_backward: multiply grad by the derivative of cos, which is -sin(x)")


def tanh_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = tanh(x). Return (grad_x,)."""
    raise NotImplementedError("tanh_backward: multiply grad by 1 - tanh(x)**2, written with the output")


def sigmoid_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = sigmoid(x) = 1 / (1 + exp(-x)). Return (grad_x,)."""
    raise NotImplementedError("sigmoid_backward: multiply grad by s * (1 - s) where s = sigmoid(x)")


def gelu_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = x * Phi(x), Phi the standard normal CDF (exact GELU). Return (grad_x,)."""
    raise NotImplementedError("gelu_backward: multiply grad by Phi(x) + x * phi(x) (the product rule)")


def silu_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = x * sigmoid(x). Return (grad_x,)."""
    raise NotImplementedError("silu_backward: multiply grad by s * (1 + x * (1 - s)) where s = sigmoid(x)")


def softplus_backward(grad: Tensor, x: Tensor, *, beta: float) -> tuple[Tensor]:
    """out = log(1 + exp(beta * x)) / beta (x itself where beta * x > 20). Return (grad_x,)."""
    raise NotImplementedError("softplus_backward: multiply grad by sigmoid(beta * x)")

"""Exercise set ``kinks``: backward rules of elementwise ops with kinks.

Each function receives ``grad`` (the gradient of the loss with respect to the op's output) and the op's
inputs, and returns one gradient per input, each with exactly that input's shape and dtype.
At a kink, return the value torch returns: each exercise page states it.
Check your work with ``python -m autograder check kinks``.
"""

from __future__ import annotations

import torch

Tensor = torch.Tensor


def relu_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = max(x, 0). Return (grad_x,); torch's relu'(0) is 0."""
    raise NotImplementedError("relu_backward: pass grad where x > 0 and 0 elsewhere (including at x = 0)")


def leaky_relu_backward(grad: Tensor, x: Tensor, *, negative_slope: float) -> tuple[Tensor]:
    """out = x if x > 0 else negative_slope * x. Return (grad_x,); at x = 0 torch uses negative_slope."""
    raise NotImplementedError("leaky_relu_backward: pass grad where x > 0 and negative_slope * grad elsewhere")


def abs_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = |x|. Return (grad_x,); torch's abs'(0) is 0."""
    raise NotImplementedError("abs_backward: multiply grad by the sign of x, with sign(0) = 0")


def clamp_backward(grad: Tensor, x: Tensor, *, min: float | None, max: float | None) -> tuple[Tensor]:
    """out = min(max(x, min), max), a None bound being no bound. Return (grad_x,); at a bound torch 2.13.0 gives 1."""
    raise NotImplementedError("clamp_backward: pass grad where min <= x <= max (skip a None bound), 0 elsewhere")


def clamp_tensor_backward(grad: Tensor, x: Tensor, lo: Tensor, hi: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """out = min(max(x, lo), hi), broadcasting x, lo and hi. Return (grad_x, grad_lo, grad_hi); a tie goes to x."""
    raise NotImplementedError("clamp_tensor_backward: route grad to whichever of x, lo, hi the output copies, "
                              "then sum each back to its shape")


def hardtanh_backward(grad: Tensor, x: Tensor, *, min_val: float, max_val: float) -> tuple[Tensor]:
    """out = min(max(x, min_val), max_val). Return (grad_x,); at a bound torch gives 0."""
    raise NotImplementedError("hardtanh_backward: pass grad where min_val < x < max_val (strictly), 0 elsewhere")


def sign_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = sign(x). Return (grad_x,), which is zero everywhere."""
    raise NotImplementedError("sign_backward: return a tensor of zeros with the shape and dtype of x")


def floor_backward(grad: Tensor, x: Tensor) -> tuple[Tensor]:
    """out = floor(x). Return (grad_x,), which is zero everywhere."""
    raise NotImplementedError("floor_backward: return a tensor of zeros with the shape and dtype of x")

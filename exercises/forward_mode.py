"""Exercise set ``forward_mode``: Jacobian-vector products, and when to use them.

Each ``<op>_jvp`` receives the op's inputs (the primals) followed by one tangent per input (``x_dot``...), and
returns ``(out_dot,)``: the output's tangent J·ẋ, with the output's shape and dtype. Write the JVPs with tensor
operations; calling autograd there is not allowed (calling the forward op itself is fine). In
``jacobian_best_mode`` autograd is the tool. Check your work with ``python -m autograder check forward_mode``.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

Tensor = torch.Tensor


def mul_jvp(x: Tensor, y: Tensor, x_dot: Tensor, y_dot: Tensor) -> tuple[Tensor]:
    """out = x * y (broadcasting). Return (out_dot,) = (ẋ y + x ẏ,)."""
    raise NotImplementedError("mul_jvp: return x_dot * y + x * y_dot (the product rule; no summing)")


def exp_jvp(x: Tensor, x_dot: Tensor) -> tuple[Tensor]:
    """out = exp(x). Return (out_dot,) = (exp(x) ẋ,)."""
    raise NotImplementedError("exp_jvp: multiply the tangent by the slope exp(x)")


def matmul_jvp(a: Tensor, b: Tensor, a_dot: Tensor, b_dot: Tensor) -> tuple[Tensor]:
    """out = a @ b (torch.matmul rules). Return (out_dot,) = (ȧ b + a ḃ,)."""
    raise NotImplementedError("matmul_jvp: return a_dot @ b + a @ b_dot, keeping the order of the factors")


def softmax_jvp(x: Tensor, x_dot: Tensor, *, dim: int) -> tuple[Tensor]:
    """s = softmax(x, dim). Return (s ⊙ (ẋ - Σ_dim s ⊙ ẋ),)."""
    raise NotImplementedError("softmax_jvp: with s = softmax(x, dim), subtract the s-weighted sum of x_dot along dim "
                              "and multiply by s")


def sum_jvp(x: Tensor, x_dot: Tensor, *, dim: int | list[int] | None, keepdim: bool) -> tuple[Tensor]:
    """out = x.sum(dim, keepdim) (a tuple dim arrives as a list). Return (ẋ summed the same way,)."""
    raise NotImplementedError("sum_jvp: a linear op's JVP is the op applied to the tangent")


def jacobian_best_mode(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    """The Jacobian of f at x (shape f(x).shape + x.shape), in forward mode if x has fewer entries than f(x),
    in reverse mode if f(x) has fewer. Return (J,)."""
    raise NotImplementedError("jacobian_best_mode: compare x.numel() with f(x).numel(), then use torch.func.jacfwd "
                              "or torch.func.jacrev")

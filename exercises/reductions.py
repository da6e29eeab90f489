"""Exercise set ``reductions``: backward rules of reductions with dim, keepdim and dim=None.

Each function receives ``grad`` (the gradient of the loss with respect to the op's output) and the op's
inputs, and returns one gradient per input, each with exactly that input's shape and dtype.
Check your work with ``python -m autograder check reductions``.
"""

from __future__ import annotations

import torch

Tensor = torch.Tensor

# `dim` is None (all dimensions), an int (possibly negative) or a list of ints: the grader sends params as
# JSON, so a tuple of dims arrives as a list. torch functions accept all of these forms.


def sum_backward(grad: Tensor, x: Tensor, *, dim: int | list[int] | None, keepdim: bool) -> tuple[Tensor]:
    """out = x.sum(dim, keepdim) (dim: None, an int or a list of ints). Return (grad_x,)."""
    raise NotImplementedError("sum_backward: unsqueeze grad at the reduced dims (unless keepdim), expand to x.shape")


def mean_backward(grad: Tensor, x: Tensor, *, dim: int | list[int] | None, keepdim: bool) -> tuple[Tensor]:
    """out = x.mean(dim, keepdim) (dim: None, an int or a list of ints). Return (grad_x,)."""
    raise NotImplementedError("mean_backward: the sum gradient divided by the number of entries reduced per output")


def prod_backward(grad: Tensor, x: Tensor, *, dim: int | None, keepdim: bool) -> tuple[Tensor]:
    """out = x.prod() if dim is None (then keepdim is False) else x.prod(dim, keepdim). Return (grad_x,)."""
    raise NotImplementedError("prod_backward: grad times the product of the other entries, without dividing by x")


def amax_backward(grad: Tensor, x: Tensor, *, dim: int | list[int] | None, keepdim: bool) -> tuple[Tensor]:
    """out = x.amax(dim, keepdim) (dim: None, an int or a list of ints). Return (grad_x,)."""
    raise NotImplementedError("amax_backward: send grad to the entries equal to the max, split evenly among ties")


def max_dim_backward(grad: Tensor, x: Tensor, *, dim: int, keepdim: bool) -> tuple[Tensor]:
    """out = torch.max(x, dim, keepdim).values. Return (grad_x,)."""
    raise NotImplementedError("max_dim_backward: scatter grad to the index torch.max(x, dim) returns, zeros elsewhere")


def logsumexp_backward(grad: Tensor, x: Tensor, *, dim: int | list[int], keepdim: bool) -> tuple[Tensor]:
    """out = torch.logsumexp(x, dim, keepdim) (dim: an int or a list of ints). Return (grad_x,)."""
    raise NotImplementedError("logsumexp_backward: grad times the softmax of x over dim, computed without overflow")


def var_backward(grad: Tensor, x: Tensor, *, dim: int | list[int] | None, correction: int,
                 keepdim: bool) -> tuple[Tensor]:
    """out = x.var(dim, correction=correction, keepdim=keepdim). Return (grad_x,)."""
    raise NotImplementedError("var_backward: return grad * 2 * (x - mean) / (n - correction), grad unsqueezed")


def std_backward(grad: Tensor, x: Tensor, *, dim: int | list[int] | None, correction: int,
                 keepdim: bool) -> tuple[Tensor]:
    """out = x.std(dim, correction=correction, keepdim=keepdim). Return (grad_x,)."""
    raise NotImplementedError("std_backward: return grad * (x - mean) / ((n - correction) * std), 0 where std == 0")


def norm_backward(grad: Tensor, x: Tensor, *, dim: int | list[int] | None, keepdim: bool) -> tuple[Tensor]:
    """out = torch.linalg.vector_norm(x, dim=dim, keepdim=keepdim) (the 2-norm). Return (grad_x,)."""
    raise NotImplementedError("norm_backward: return grad * x / norm, with 0 where the norm is 0")


def cumsum_backward(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    """out = x.cumsum(dim). Return (grad_x,)."""
    raise NotImplementedError("cumsum_backward: a cumulative sum of grad along dim, taken from the end")

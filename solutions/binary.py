"""Reference solutions for the set ``binary``."""

from __future__ import annotations

import torch

from .helpers import sum_to

Tensor = torch.Tensor


def mul_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """out = x * y:  x̄ = sum_to(ḡ·y, x.shape),  ȳ = sum_to(ḡ·x, y.shape)."""
    return sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)


def add_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """out = x + y:  x̄ = sum_to(ḡ, x.shape),  ȳ = sum_to(ḡ, y.shape)."""
    return sum_to(grad, x.shape), sum_to(grad, y.shape)


def sub_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """out = x - y:  x̄ = sum_to(ḡ, x.shape),  ȳ = -sum_to(ḡ, y.shape)."""
    return sum_to(grad, x.shape), -sum_to(grad, y.shape)


def div_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """out = x / y:  x̄ = sum_to(ḡ/y, x.shape),  ȳ = sum_to(-ḡ·x/y², y.shape)."""
    return sum_to(grad / y, x.shape), sum_to(-grad * x / (y * y), y.shape)


def pow_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """out = x ** y:  x̄ = sum_to(ḡ·y·x^(y-1)),  ȳ = sum_to(ḡ·out·log x), with torch's zeros at base 0.

    x̄ is 0 where y == 0 (x**0 is constant); ȳ is 0 where x == 0 and y >= 0 (the limit of x**y · log x).
    """
    zero = grad.new_zeros(())
    dx = torch.where(y == 0, zero, y * x.pow(y - 1))
    dy = torch.where((x == 0) & (y >= 0), zero, x.pow(y) * x.log())
    return sum_to(grad * dx, x.shape), sum_to(grad * dy, y.shape)


def _selection(grad: Tensor, x: Tensor, y: Tensor, wins_x: Tensor) -> tuple[Tensor, Tensor]:
    """Route ``grad`` to x where ``wins_x``, to y where the other wins, half to each at a tie."""
    tie = (x == y).to(grad.dtype) / 2
    share_x = wins_x.to(grad.dtype) + tie
    share_y = 1 - share_x
    return sum_to(grad * share_x, x.shape), sum_to(grad * share_y, y.shape)


def maximum_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """out = maximum(x, y):  x̄ = sum_to(ḡ·([x > y] + ½[x = y])),  ȳ = sum_to(ḡ·([x < y] + ½[x = y]))."""
    return _selection(grad, x, y, x > y)


def minimum_backward(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    """out = minimum(x, y):  x̄ = sum_to(ḡ·([x < y] + ½[x = y])),  ȳ = sum_to(ḡ·([x > y] + ½[x = y]))."""
    return _selection(grad, x, y, x < y)


def where_backward(grad: Tensor, condition: Tensor, x: Tensor, y: Tensor) -> tuple[None, Tensor, Tensor]:
    """out = where(c, x, y):  c̄ = None,  x̄ = sum_to(where(c, ḡ, 0)),  ȳ = sum_to(where(c, 0, ḡ))."""
    zero = grad.new_zeros(())
    picked_x = torch.where(condition, grad, zero)
    picked_y = torch.where(condition, zero, grad)
    return None, sum_to(picked_x, x.shape), sum_to(picked_y, y.shape)

"""Known-wrong variants of the set ``binary``: each ``<op>_backward__<mistake>`` must lose points."""

from __future__ import annotations

import torch

from solutions.helpers import sum_to

Tensor = torch.Tensor


def mul_backward__ignores_grad(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    ones = torch.ones_like(grad)
    return sum_to(ones * y, x.shape), sum_to(ones * x, y.shape)


def mul_backward__no_broadcast_sum(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return grad * y, grad * x


def mul_backward__swapped(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return sum_to(grad * x, x.shape), sum_to(grad * y, y.shape)


def mul_backward__sign(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return sum_to(-grad * y, x.shape), sum_to(-grad * x, y.shape)


def mul_backward__dtype_drift(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return sum_to(grad.double() * y, x.shape), sum_to(grad.double() * x, y.shape)

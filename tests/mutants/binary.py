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


def add_backward__no_broadcast_sum(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return grad, grad


def add_backward__keepdim_lost(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    def squeeze_to(t: Tensor, shape: torch.Size) -> Tensor:
        t = t.sum(dim=tuple(range(t.dim() - len(shape)))) if t.dim() > len(shape) else t
        ones = tuple(i for i, n in enumerate(shape) if n == 1 and t.shape[i] != 1)
        return t.sum(dim=ones) if ones else t

    return squeeze_to(grad, x.shape), squeeze_to(grad, y.shape)


def add_backward__ignores_grad(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    ones = torch.ones_like(grad)
    return sum_to(ones, x.shape), sum_to(ones, y.shape)


def sub_backward__sign(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return sum_to(grad, x.shape), sum_to(grad, y.shape)


def sub_backward__swapped_sign(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return -sum_to(grad, x.shape), sum_to(grad, y.shape)


def sub_backward__no_broadcast_sum(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return grad, -grad


def div_backward__missing_x(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return sum_to(grad / y, x.shape), sum_to(-grad / (y * y), y.shape)


def div_backward__sign(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return sum_to(grad / y, x.shape), sum_to(grad * x / (y * y), y.shape)


def div_backward__no_broadcast_sum(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return grad / y, -grad * x / (y * y)


def div_backward__guards_zero(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    safe = torch.where(y == 0, torch.ones_like(y), y)
    return sum_to(grad / safe, x.shape), sum_to(-grad * x / (safe * safe), y.shape)


def pow_backward__unmasked(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return sum_to(grad * y * x.pow(y - 1), x.shape), sum_to(grad * x.pow(y) * x.log(), y.shape)


def pow_backward__missing_out(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    dx = torch.where(y == 0, torch.zeros_like(y), y * x.pow(y - 1))
    dy = torch.where((x == 0) & (y >= 0), torch.zeros_like(x), x.log())
    return sum_to(grad * dx, x.shape), sum_to(grad * dy, y.shape)


def pow_backward__off_by_one(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    dx = torch.where(y == 0, torch.zeros_like(y), y * x.pow(y))
    dy = torch.where((x == 0) & (y >= 0), torch.zeros_like(x), x.pow(y) * x.log())
    return sum_to(grad * dx, x.shape), sum_to(grad * dy, y.shape)


def pow_backward__no_broadcast_sum(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    dx = torch.where(y == 0, torch.zeros_like(y), y * x.pow(y - 1))
    dy = torch.where((x == 0) & (y >= 0), torch.zeros_like(x), x.pow(y) * x.log())
    return grad * dx, grad * dy


def maximum_backward__tie_rule(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return sum_to(grad * (x >= y), x.shape), sum_to(grad * (y >= x), y.shape)


def maximum_backward__tie_to_x(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return sum_to(grad * (x >= y), x.shape), sum_to(grad * (x < y), y.shape)


def maximum_backward__swapped(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    tie = (x == y) / 2
    return sum_to(grad * ((x < y) + tie), x.shape), sum_to(grad * ((x > y) + tie), y.shape)


def maximum_backward__no_broadcast_sum(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    tie = (x == y) / 2
    return grad * ((x > y) + tie), grad * ((x < y) + tie)


def maximum_backward__ignores_grad(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    tie = (x == y) / 2
    ones = torch.ones_like(grad)
    return sum_to(ones * ((x > y) + tie), x.shape), sum_to(ones * ((x < y) + tie), y.shape)


def minimum_backward__tie_rule(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return sum_to(grad * (x <= y), x.shape), sum_to(grad * (y <= x), y.shape)


def minimum_backward__copied_from_maximum(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    tie = (x == y) / 2
    return sum_to(grad * ((x > y) + tie), x.shape), sum_to(grad * ((x < y) + tie), y.shape)


def minimum_backward__ignores_grad(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    tie = (x == y) / 2
    ones = torch.ones_like(grad)
    return sum_to(ones * ((x < y) + tie), x.shape), sum_to(ones * ((x > y) + tie), y.shape)


def minimum_backward__tie_to_x(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    return sum_to(grad * (x <= y), x.shape), sum_to(grad * (x > y), y.shape)


def minimum_backward__no_broadcast_sum(grad: Tensor, x: Tensor, y: Tensor) -> tuple[Tensor, Tensor]:
    tie = (x == y) / 2
    return grad * ((x < y) + tie), grad * ((x > y) + tie)


def where_backward__grad_for_condition(grad: Tensor, condition: Tensor, x: Tensor,
                                       y: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    zero = torch.zeros_like(grad)
    return (torch.zeros_like(condition, dtype=grad.dtype), sum_to(torch.where(condition, grad, zero), x.shape),
            sum_to(torch.where(condition, zero, grad), y.shape))


def where_backward__unmasked(grad: Tensor, condition: Tensor, x: Tensor, y: Tensor) -> tuple[None, Tensor, Tensor]:
    return None, sum_to(grad, x.shape), sum_to(grad, y.shape)


def where_backward__swapped(grad: Tensor, condition: Tensor, x: Tensor, y: Tensor) -> tuple[None, Tensor, Tensor]:
    zero = torch.zeros_like(grad)
    return None, sum_to(torch.where(condition, zero, grad), x.shape), sum_to(torch.where(condition, grad, zero),
                                                                               y.shape)


def where_backward__mask_after_sum(grad: Tensor, condition: Tensor, x: Tensor,
                                   y: Tensor) -> tuple[None, Tensor, Tensor]:
    gx, gy = sum_to(grad, x.shape), sum_to(grad, y.shape)
    return None, torch.where(sum_to(condition, x.shape).bool(), gx, 0.0), torch.where(
        sum_to(condition, y.shape).bool(), 0.0, gy)


def where_backward__no_broadcast_sum(grad: Tensor, condition: Tensor, x: Tensor,
                                     y: Tensor) -> tuple[None, Tensor, Tensor]:
    zero = torch.zeros_like(grad)
    return None, torch.where(condition, grad, zero), torch.where(condition, zero, grad)

"""#10 Assumes grad is all ones. Expected: failed, diagnosed as "grad is all ones"."""

import torch

from .helpers import sum_to


def mul_backward(grad, x, y):
    ones = torch.ones_like(grad)
    return sum_to(ones * y, x.shape), sum_to(ones * x, y.shape)

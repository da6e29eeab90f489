"""#1 An exception while the module is imported. Expected: invalid, naming the error and line 8."""

import torch

from .helpers import sum_to

SCALE = torch.ones(3)
FACTOR = SCALE[7]  # IndexError at import time, line 8


def mul_backward(grad, x, y):
    return sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)

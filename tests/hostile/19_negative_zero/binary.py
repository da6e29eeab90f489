"""#19 Differs only in the sign of zero (-0.0 for 0.0), like a subgradient choice. Expected: passed."""

import torch

from .helpers import sum_to


def mul_backward(grad, x, y):
    gx, gy = sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)
    return torch.where(gx == 0, -0.0, gx), torch.where(gy == 0, -0.0, gy)

"""#15 Both gradients are views into one shared buffer (legal). Expected: passed."""

import torch

from .helpers import sum_to


def mul_backward(grad, x, y):
    gx, gy = sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)
    buffer = torch.cat([gx.reshape(-1), gy.reshape(-1)])
    return buffer[: gx.numel()].view(x.shape), buffer[gx.numel():].view(y.shape)

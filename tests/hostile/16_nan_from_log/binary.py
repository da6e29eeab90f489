"""#16 A "clever" exp(log(y)) that is NaN for negative y. Expected: failed, showing the NaN."""

import torch

from .helpers import sum_to


def mul_backward(grad, x, y):
    return sum_to(grad * torch.exp(torch.log(y)), x.shape), sum_to(grad * x, y.shape)

"""#21 Uses the global RNG (a "dithering" trick): not reproducible, not right. Expected: failed."""

import torch

from .helpers import sum_to


def mul_backward(grad, x, y):
    noise = 1e-3 * torch.rand(())
    return sum_to(grad * y, x.shape) + noise, sum_to(grad * x, y.shape)

"""#12 Gradients on another device than the inputs.

The grader is CPU-only, so this returns tensors on the "meta" device (shape and dtype, no data), the one
non-CPU device every torch has; on a CUDA machine it would be cuda. Expected: invalid, naming the device.
"""

import torch

from .helpers import sum_to


def mul_backward(grad, x, y):
    device = "cuda" if torch.cuda.is_available() else "meta"
    return sum_to(grad * y, x.shape).to(device), sum_to(grad * x, y.shape).to(device)

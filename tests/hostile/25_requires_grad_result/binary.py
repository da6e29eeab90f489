"""#25 Returns tensors that require grad, with a graph attached. Expected: passed (the child detaches)."""

import torch

from .helpers import sum_to


def mul_backward(grad, x, y):
    with torch.enable_grad():
        w = torch.ones((), dtype=grad.dtype, requires_grad=True)
        return sum_to(grad * y * w, x.shape), sum_to(grad * x * w, y.shape)

"""#24 Uses torch.func.vjp. Expected: policy violation."""

import torch


def mul_backward(grad, x, y):
    _, pullback = torch.func.vjp(torch.mul, x, y)
    return pullback(grad)

"""#24 Calls .backward() on the forward. Expected: policy violation."""

import torch


def mul_backward(grad, x, y):
    x, y = x.detach().requires_grad_(), y.detach().requires_grad_()
    with torch.enable_grad():
        (x * y).backward(grad)
    return x.grad, y.grad

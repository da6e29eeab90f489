"""#24 Calls torch.autograd.grad on the forward. Expected: policy violation (found before running)."""

import torch


def mul_backward(grad, x, y):
    x, y = x.detach().requires_grad_(), y.detach().requires_grad_()
    with torch.enable_grad():
        return torch.autograd.grad(x * y, (x, y), grad)

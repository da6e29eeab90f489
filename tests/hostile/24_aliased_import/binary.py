"""#24 Imports autograd's grad under another name. Expected: policy violation (static check sees the alias)."""

import torch
from torch.autograd import grad as differentiate


def mul_backward(grad, x, y):
    x, y = x.detach().requires_grad_(), y.detach().requires_grad_()
    with torch.enable_grad():
        return differentiate(x * y, (x, y), grad)

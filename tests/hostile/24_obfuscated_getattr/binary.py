"""#24 Builds the name at run time: getattr(torch.autograd, "gr" + "ad"). The static check cannot see it.

Expected: policy violation, from the run-time check.
"""

import torch


def mul_backward(grad, x, y):
    differentiate = getattr(torch.autograd, "gr" + "ad")
    x, y = x.detach().requires_grad_(), y.detach().requires_grad_()
    with torch.enable_grad():
        return differentiate(x * y, (x, y), grad)

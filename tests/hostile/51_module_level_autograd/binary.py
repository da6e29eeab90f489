"""#51 Calls autograd in the module's top-level code, which runs at import, outside any exercise function.

Expected: policy violation: the static check reads the code that runs at import too.
"""

import torch

_x = torch.ones(3, dtype=torch.float64, requires_grad=True)
(_SLOPE,) = torch.autograd.grad((_x * 2).sum(), _x)


def mul_backward(grad, x, y):
    return grad * y, grad * x

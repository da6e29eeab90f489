"""#51 Borrows torch's own derivative of an op: a backward kernel under ``torch.ops.aten`` needs no autograd.

Expected: policy violation: torch's backward kernels are refused in every exercise.
"""

import torch


def mul_backward(grad, x, y):
    out = x * y
    grad_x = torch.ops.aten.tanh_backward(grad, torch.zeros_like(out)) * y  # tanh'(0) = 1: grad itself
    return grad_x, grad * x

"""#52 Switches the run-time policy off from inside the child, then calls autograd.

Expected: policy violation: the grader's own modules (all but autograder.engine and autograder.library) are
refused statically, so the switch never runs.
"""

import torch

from autograder.sandbox import policy

policy._enforcing = False


def mul_backward(grad, x, y):
    x, y = x.detach().requires_grad_(), y.detach().requires_grad_()
    with torch.enable_grad():
        return torch.autograd.grad(x * y, (x, y), grad)

"""#24 Hides the autograd call in a module-level helper. Expected: policy violation (static reachability)."""

import torch.autograd as ag


def _pullback(out, inputs, grad):
    return ag.grad(out, inputs, grad)


def mul_backward(grad, x, y):
    x, y = x.detach().requires_grad_(), y.detach().requires_grad_()
    with ag.enable_grad():
        return _pullback(x * y, (x, y), grad)

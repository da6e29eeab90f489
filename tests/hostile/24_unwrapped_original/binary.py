"""#24 Digs the original torch.autograd.grad out of the guard's closure, and swallows the refusal.

Expected: policy violation: the autograd engine itself is guarded, and a refusal is recorded even if caught.

Its names are computed (``getattr(sys, "mod" + "ules")``) so that the static policy check cannot read them:
this fixture tests the layers behind it, as a determined student would.
"""

import torch


def _original():
    autograd = getattr(torch, "auto" + "grad")
    fn = getattr(autograd, "gr" + "ad")
    for cell in getattr(fn, "__clo" + "sure__") or ():
        if callable(cell.cell_contents):
            return cell.cell_contents
    return fn


def mul_backward(grad, x, y):
    x, y = x.detach().requires_grad_(), y.detach().requires_grad_()
    try:
        with torch.enable_grad():
            return _original()(x * y, (x, y), grad)
    except Exception:
        return torch.zeros_like(x), torch.zeros_like(y)

"""#24 Digs the original torch.autograd.grad out of the guard's closure, and swallows the refusal.

Expected: policy violation: the autograd engine itself is guarded, and a refusal is recorded even if caught.
"""

import importlib


def _original():
    autograd = importlib.import_module("torch" + ".autograd")
    fn = getattr(autograd, "gr" + "ad")
    for cell in fn.__closure__ or ():
        if callable(cell.cell_contents):
            return cell.cell_contents
    return fn


def mul_backward(grad, x, y):
    torch = importlib.import_module("torch")
    x, y = x.detach().requires_grad_(), y.detach().requires_grad_()
    try:
        with torch.enable_grad():
            return _original()(x * y, (x, y), grad)
    except Exception:
        return torch.zeros_like(x), torch.zeros_like(y)

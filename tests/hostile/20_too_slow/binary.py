"""#20 Materialises the full Jacobian by finite differences, entry by entry. Expected: timeout."""

import torch

from .helpers import sum_to


def _entry(f, x, i, j):
    total = 0.0
    for k in range(1, 2000):  # "refining" each entry: correct, and hopelessly slow
        h = 1e-3 / k
        e = torch.zeros_like(x).reshape(-1)
        e[j] = h
        total = float((f(x + e.view(x.shape)).reshape(-1)[i] - f(x).reshape(-1)[i]) / h)
    return total


def mul_backward(grad, x, y):
    out = torch.broadcast_tensors(x, y)[0]
    jx = [[_entry(lambda t: t * y, x, i, j) for j in range(x.numel())] for i in range(out.numel())]
    del jx
    return sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)

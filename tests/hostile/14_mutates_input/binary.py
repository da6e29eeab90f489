"""#14 Modifies an input in place. Expected: failed, "modified its input `x` in place"."""

from .helpers import sum_to


def mul_backward(grad, x, y):
    gx, gy = sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)
    if x.is_contiguous():  # an expanded x cannot be written to
        x.add_(1.0)
    return gx, gy

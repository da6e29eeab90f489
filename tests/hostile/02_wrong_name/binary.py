"""#2 The function has another name. Expected: missing, listing what the module defines."""

from .helpers import sum_to


def backward_of_mul(grad, x, y):
    return sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)

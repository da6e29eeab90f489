"""#5 None for an input that needs a gradient. Expected: invalid, "the gradient for `y` is None"."""

from .helpers import sum_to


def mul_backward(grad, x, y):
    return sum_to(grad * y, x.shape), None

"""#2 The arguments in the wrong order. Expected: invalid, showing the expected and the found signature."""

from .helpers import sum_to


def mul_backward(x, y, grad):
    return sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)

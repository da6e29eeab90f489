"""#1 A syntax error: the file cannot be imported. Expected: invalid, with the line number (line 7)."""

from .helpers import sum_to


def mul_backward(grad, x, y):
    gx = sum_to(grad * y, x.shape
    return gx, sum_to(grad * x, y.shape)

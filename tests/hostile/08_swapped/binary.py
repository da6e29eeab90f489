"""#8 The two gradients swapped. Expected: failed, diagnosed as swapped."""

from .helpers import sum_to


def mul_backward(grad, x, y):
    return sum_to(grad * x, x.shape), sum_to(grad * y, y.shape)

"""#13 Assumes contiguous inputs (``view`` fails on a transposed x). Expected: error, naming that case only."""

from .helpers import sum_to


def mul_backward(grad, x, y):
    flat_x = x.view(-1)  # a transposed (non-contiguous) x cannot be viewed flat
    return sum_to(grad * y, x.shape), sum_to(grad * flat_x.view(x.shape), y.shape)

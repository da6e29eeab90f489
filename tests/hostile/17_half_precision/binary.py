"""#17 Computes in float16 internally: too imprecise. Expected: failed, with the largest error."""

from .helpers import sum_to


def mul_backward(grad, x, y):
    gx = (grad.half() * y.half()).to(x.dtype)
    gy = (grad.half() * x.half()).to(y.dtype)
    return sum_to(gx, x.shape), sum_to(gy, y.shape)

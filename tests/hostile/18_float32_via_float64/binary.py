"""#18 Computes float32 cases in float64 and rounds back: within tolerance. Expected: passed."""

from .helpers import sum_to


def mul_backward(grad, x, y):
    gx = sum_to(grad.double() * y.double(), x.shape).to(x.dtype)
    gy = sum_to(grad.double() * x.double(), y.shape).to(y.dtype)
    return gx, gy

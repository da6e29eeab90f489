"""#11 Always float32. Expected: failed, "has dtype torch.float32, but `x` has dtype torch.float64"."""

from .helpers import sum_to


def mul_backward(grad, x, y):
    return sum_to(grad * y, x.shape).float(), sum_to(grad * x, y.shape).float()

"""#9 A transposed gradient (the matmul mistake, on mul's 2-D inputs). Expected: failed on the shape."""

from .helpers import sum_to


def mul_backward(grad, x, y):
    gx, gy = sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)
    return (gx.mT if gx.dim() == 2 else gx), (gy.mT if gy.dim() == 2 else gy)

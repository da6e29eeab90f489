"""#6 numpy arrays instead of tensors. Expected: invalid, "must be a plain torch.Tensor, got ndarray"."""

from .helpers import sum_to


def mul_backward(grad, x, y):
    return sum_to(grad * y, x.shape).numpy(), sum_to(grad * x, y.shape).numpy()

"""#33 Moves the work to the GPU (on a CPU-only grader: no CUDA at all). Expected: error naming CUDA."""

from .helpers import sum_to


def mul_backward(grad, x, y):
    g, x_gpu, y_gpu = grad.cuda(), x.cuda(), y.cuda()
    return sum_to(g * y_gpu, x.shape).cpu(), sum_to(g * x_gpu, y.shape).cpu()

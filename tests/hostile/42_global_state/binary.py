"""#42 Changes global torch and Python state at import: default dtype, grad mode, seeds, TF32, threads,
print options, warning filters. Expected: passed (its own answer is right), and nothing leaks to the next
op or to the grader.
"""

import warnings

import torch

from .helpers import sum_to

torch.set_default_dtype(torch.float32)
torch.set_grad_enabled(True)
torch.manual_seed(0)
torch.backends.cuda.matmul.allow_tf32 = True
torch.backends.cudnn.allow_tf32 = True
torch.set_num_threads(2)
torch.set_printoptions(precision=1)
warnings.simplefilter("error")


def mul_backward(grad, x, y):
    return sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)

"""#47 Ships files that would shadow modules or hook Python's start-up (torch.py, numpy.py, conftest.py,
sitecustomize.py, usercustomize.py, a .pth file) beside a correct answer that imports numpy.

Expected: passed: only the exercise modules are taken from a submission, so none of the others exists
where the child runs.
"""

import numpy as np
import torch

from .helpers import sum_to


def mul_backward(grad, x, y):
    assert np.__name__ == "numpy" and hasattr(torch, "Tensor")
    return sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)

"""#32 Allocates a 10^9-element tensor (8 GB). Expected: out of memory."""

import torch


def mul_backward(grad, x, y):
    big = torch.ones(10**9, dtype=torch.float64)
    return big[: x.numel()].view(x.shape), big[: y.numel()].view(y.shape)

"""Exercise set ``nn``: backward rules of neural-network composites.

Each function receives ``grad`` (the gradient of the loss with respect to the op's output) and the op's
inputs, and returns one gradient per input, each with exactly that input's shape and dtype.
Check your work with ``python -m autograder check nn``.
"""

from __future__ import annotations

import torch

Tensor = torch.Tensor


def softmax_backward(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    """out = softmax(x, dim). Return (grad_x,)."""
    raise NotImplementedError("softmax_backward: recompute s = softmax(x) stably and return s * (grad - sum(grad * s))")


def log_softmax_backward(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    """out = log_softmax(x, dim). Return (grad_x,)."""
    raise NotImplementedError("log_softmax_backward: return grad - softmax(x) * grad.sum(dim, keepdim=True)")


def cross_entropy_backward(grad: Tensor, logits: Tensor, target: Tensor, *, reduction: str,
                           ignore_index: int) -> tuple[Tensor, None]:
    """out = cross_entropy(logits (N, C), target (N,) int64, reduction, ignore_index). Return (grad_logits, None)."""
    raise NotImplementedError("cross_entropy_backward: return (softmax - one_hot) scaled by grad, 0 on ignored rows")


def layer_norm_backward(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *, normalized_shape: list[int],
                        eps: float) -> tuple[Tensor, Tensor, Tensor]:
    """out = layer_norm(x, normalized_shape (a list), weight, bias, eps). Return (grad_x, grad_weight, grad_bias)."""
    raise NotImplementedError("layer_norm_backward: differentiate through the mean and the variance of each group")


def conv2d_backward(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *, stride: int,
                    padding: int) -> tuple[Tensor, Tensor, Tensor]:
    """out = conv2d(x (N, C, H, W), weight (O, C, kH, kW), bias (O,), stride, padding). Return (gx, gweight, gbias)."""
    raise NotImplementedError("conv2d_backward: use F.unfold to make it a matmul, and F.fold to go back for x")


def max_pool2d_backward(grad: Tensor, x: Tensor, *, kernel_size: int, stride: int | None) -> tuple[Tensor]:
    """out = max_pool2d(x, kernel_size, stride) (stride None means kernel_size). Return (grad_x,)."""
    raise NotImplementedError("max_pool2d_backward: send each window's grad to its first maximum, adding overlaps")


def avg_pool2d_backward(grad: Tensor, x: Tensor, *, kernel_size: int, stride: int | None,
                        padding: int) -> tuple[Tensor]:
    """out = avg_pool2d(x, kernel_size, stride, padding) (padding counts in the average). Return (grad_x,)."""
    raise NotImplementedError("avg_pool2d_backward: spread grad / kernel_size**2 over each window, adding overlaps")


def dropout_with_mask_backward(grad: Tensor, x: Tensor, mask: Tensor, *, p: float) -> tuple[Tensor, None]:
    """out = x * mask / (1 - p), mask a given 0/1 tensor. Return (grad_x, None)."""
    raise NotImplementedError("dropout_with_mask_backward: return (grad * mask / (1 - p), None)")

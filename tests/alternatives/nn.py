"""Correct implementations written differently from the reference: each must get full marks."""

from __future__ import annotations

import torch
import torch.nn.functional as F

Tensor = torch.Tensor


def softmax_backward(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    # Build each slice's full Jacobian diag(s) - s sᵀ and multiply by it: wasteful, but the same numbers.
    if x.dim() == 0:
        return (torch.zeros_like(x),)
    s = torch.softmax(x, dim).movedim(dim, -1)
    jacobian = torch.diag_embed(s) - s.unsqueeze(-1) * s.unsqueeze(-2)
    gx = torch.einsum("...i,...ij->...j", grad.movedim(dim, -1), jacobian)
    return (gx.movedim(-1, dim),)


def cross_entropy_backward(grad: Tensor, logits: Tensor, target: Tensor, *, reduction: str,
                           ignore_index: int) -> tuple[Tensor, None]:
    # Subtract 1 at each kept row's target by indexing, instead of building a one-hot matrix.
    keep = target != ignore_index
    rows = torch.arange(len(target))[keep]
    gx = torch.log_softmax(logits, 1).exp()
    gx[rows, target[keep]] -= 1
    gx[~keep] = 0
    if reduction == "none":
        scale = grad.unsqueeze(1)
    elif reduction == "sum":
        scale = grad
    else:
        count = int(keep.sum())
        scale = grad / count if count else torch.zeros_like(grad)
    return gx * scale, None


def conv2d_backward(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *, stride: int,
                    padding: int) -> tuple[Tensor, Tensor, Tensor]:
    # x̄ is a transposed convolution of the cotangent; w̄ correlates x with the cotangent, batch as channels.
    n, (kh, kw) = x.shape[0], weight.shape[-2:]
    size = [(o - 1) * stride - 2 * padding + k for o, k in zip(grad.shape[-2:], (kh, kw), strict=True)]
    extra = [full - s for full, s in zip(x.shape[-2:], size, strict=True)]
    gx = F.conv_transpose2d(grad, weight, stride=stride, padding=padding, output_padding=extra)
    if n == 0:
        gw = torch.zeros_like(weight)
    else:
        gw = F.conv2d(x.transpose(0, 1), grad.transpose(0, 1), padding=padding, dilation=stride)
        gw = gw[..., :kh, :kw].transpose(0, 1)
    return gx, gw, grad.sum((0, 2, 3))


def max_pool2d_backward(grad: Tensor, x: Tensor, *, kernel_size: int, stride: int | None) -> tuple[Tensor]:
    # One window at a time: a one-hot of the window's first maximum, scaled by its cotangent, added in place.
    k, s = kernel_size, stride or kernel_size
    gx = torch.zeros_like(x, memory_format=torch.contiguous_format)
    for i in range(grad.shape[-2]):
        for j in range(grad.shape[-1]):
            window = x[..., i * s:i * s + k, j * s:j * s + k].reshape(*x.shape[:-2], k * k)
            first = F.one_hot(window.argmax(-1), k * k).to(x.dtype)
            gx[..., i * s:i * s + k, j * s:j * s + k] += (first * grad[..., i, j, None]).reshape(*x.shape[:-2], k, k)
    return (gx,)

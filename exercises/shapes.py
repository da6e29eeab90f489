"""Exercise set ``shapes``: backward rules of shape, view and indexing ops.

Each function receives ``grad`` (the gradient of the loss with respect to the op's output) and the op's
inputs, and returns one gradient per input, each with exactly that input's shape and dtype.
Check your work with ``python -m autograder check shapes``.
"""

from __future__ import annotations

import torch

Tensor = torch.Tensor


def reshape_backward(grad: Tensor, x: Tensor, *, shape: list[int]) -> tuple[Tensor]:
    """out = x.reshape(shape) (shape is a list, maybe with a -1). Return (grad_x,)."""
    raise NotImplementedError("reshape_backward: give grad back the input's shape, same entries in row-major order")


def permute_backward(grad: Tensor, x: Tensor, *, dims: list[int]) -> tuple[Tensor]:
    """out = x.permute(dims) (dims is a list, entries may be negative). Return (grad_x,)."""
    raise NotImplementedError("permute_backward: permute grad by the inverse permutation of dims")


def transpose_backward(grad: Tensor, x: Tensor, *, dim0: int, dim1: int) -> tuple[Tensor]:
    """out = x.transpose(dim0, dim1). Return (grad_x,)."""
    raise NotImplementedError("transpose_backward: swap the same two dimensions of grad back")


def expand_backward(grad: Tensor, x: Tensor, *, shape: list[int]) -> tuple[Tensor]:
    """out = x.expand(shape) (shape is a list, maybe with -1 entries). Return (grad_x,)."""
    raise NotImplementedError("expand_backward: sum grad over the prepended and stretched dims, back to x.shape")


def squeeze_backward(grad: Tensor, x: Tensor, *, dim: int | list[int] | None) -> tuple[Tensor]:
    """out = x.squeeze(dim) (an int, a list of ints, or None for every size-1 dim). Return (grad_x,)."""
    raise NotImplementedError("squeeze_backward: put back the size-1 dims that squeeze removed (and no others)")


def unsqueeze_backward(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    """out = x.unsqueeze(dim). Return (grad_x,)."""
    raise NotImplementedError("unsqueeze_backward: remove the size-1 dim that unsqueeze inserted at dim")


def cat_backward(grad: Tensor, a: Tensor, b: Tensor, *, dim: int) -> tuple[Tensor, Tensor]:
    """out = torch.cat([a, b], dim). Return (grad_a, grad_b)."""
    raise NotImplementedError("cat_backward: split grad along dim into pieces of a's and b's sizes")


def stack_backward(grad: Tensor, a: Tensor, b: Tensor, *, dim: int) -> tuple[Tensor, Tensor]:
    """out = torch.stack([a, b], dim). Return (grad_a, grad_b)."""
    raise NotImplementedError("stack_backward: take slices 0 and 1 of grad along the new dimension dim")


def getitem_backward(grad: Tensor, x: Tensor, index: Tensor) -> tuple[Tensor, None]:
    """out = x[index] (index: int64, may repeat, may be negative). Return (grad_x, None)."""
    raise NotImplementedError("getitem_backward: scatter-add each row of grad into zeros at its index")


def gather_backward(grad: Tensor, x: Tensor, index: Tensor, *, dim: int) -> tuple[Tensor, None]:
    """out = torch.gather(x, dim, index) (index: int64, may repeat). Return (grad_x, None)."""
    raise NotImplementedError("gather_backward: scatter-add grad into zeros of x's shape along dim at index")


def index_select_backward(grad: Tensor, x: Tensor, index: Tensor, *, dim: int) -> tuple[Tensor, None]:
    """out = torch.index_select(x, dim, index) (index: int64, 1-D or 0-d, may repeat). Return (grad_x, None)."""
    raise NotImplementedError("index_select_backward: add each slice of grad along dim into the slice it came from")


def embedding_backward(grad: Tensor, weight: Tensor, indices: Tensor, *,
                       padding_idx: int | None) -> tuple[Tensor, None]:
    """out = F.embedding(indices, weight, padding_idx=padding_idx). Return (grad_weight, None)."""
    raise NotImplementedError("embedding_backward: add grad's rows into the looked-up rows, zero at padding_idx")


def flip_backward(grad: Tensor, x: Tensor, *, dims: list[int]) -> tuple[Tensor]:
    """out = torch.flip(x, dims) (dims is a list). Return (grad_x,)."""
    raise NotImplementedError("flip_backward: reverse grad along the same dims")


def pad_backward(grad: Tensor, x: Tensor, *, pad: list[int], value: float) -> tuple[Tensor]:
    """out = F.pad(x, pad, value=value) (pad: a list of amounts, last dim first; negative crops). Return (grad_x,)."""
    raise NotImplementedError("pad_backward: cut the padded border off grad (and put zeros where x was cropped)")

"""Known-wrong variants of the set ``shapes``: each ``<op>_backward__<mistake>`` must lose points.

Each body is graded inside the reference module, so it may use that module's names (``F``, ``sum_to``...).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from solutions.helpers import sum_to

Tensor = torch.Tensor


# reshape

def reshape_backward__ignores_grad(grad: Tensor, x: Tensor, *, shape: list[int]) -> tuple[Tensor]:
    return (torch.ones(x.shape, dtype=grad.dtype),)


def reshape_backward__not_reshaped(grad: Tensor, x: Tensor, *, shape: list[int]) -> tuple[Tensor]:
    return (grad,)


def reshape_backward__follows_strides(grad: Tensor, x: Tensor, *, shape: list[int]) -> tuple[Tensor]:
    # Thinks in memory: lays grad out with x's strides instead of x's logical order.
    return (torch.as_strided(grad.contiguous(), x.shape, x.stride()).clone(),)


# permute

def permute_backward__same_permutation(grad: Tensor, x: Tensor, *, dims: list[int]) -> tuple[Tensor]:
    return (grad.permute(dims),)


def permute_backward__negative_dims(grad: Tensor, x: Tensor, *, dims: list[int]) -> tuple[Tensor]:
    inverse = sorted(range(len(dims)), key=lambda i: dims[i])  # argsort of the raw, unwrapped dims
    return (grad.permute(inverse),)


def permute_backward__ignores_grad(grad: Tensor, x: Tensor, *, dims: list[int]) -> tuple[Tensor]:
    return (torch.ones(x.shape, dtype=grad.dtype),)


# transpose

def transpose_backward__not_transposed(grad: Tensor, x: Tensor, *, dim0: int, dim1: int) -> tuple[Tensor]:
    return (grad,)


def transpose_backward__last_two(grad: Tensor, x: Tensor, *, dim0: int, dim1: int) -> tuple[Tensor]:
    return (grad.mT if grad.dim() >= 2 else grad,)


def transpose_backward__ignores_grad(grad: Tensor, x: Tensor, *, dim0: int, dim1: int) -> tuple[Tensor]:
    return (torch.ones(x.shape, dtype=grad.dtype),)


# expand

def expand_backward__no_broadcast_sum(grad: Tensor, x: Tensor, *, shape: list[int]) -> tuple[Tensor]:
    return (grad,)


def expand_backward__keepdim_lost(grad: Tensor, x: Tensor, *, shape: list[int]) -> tuple[Tensor]:
    lead = grad.dim() - x.dim()
    g = grad.sum(dim=tuple(range(lead))) if lead else grad
    ones = tuple(i for i, n in enumerate(x.shape) if n == 1 and g.shape[i] != 1)
    return (g.sum(dim=ones) if ones else g,)


def expand_backward__constant_factor(grad: Tensor, x: Tensor, *, shape: list[int]) -> tuple[Tensor]:
    copies = max(grad.numel(), 1) / max(x.numel(), 1)
    return (sum_to(grad, x.shape) / copies,)  # the mean over the copies, not their sum


def expand_backward__leading_only(grad: Tensor, x: Tensor, *, shape: list[int]) -> tuple[Tensor]:
    lead = grad.dim() - x.dim()
    return (grad.sum(dim=tuple(range(lead))) if lead else grad,)


# squeeze

def squeeze_backward__unsqueeze_always(grad: Tensor, x: Tensor, *, dim: int | list[int] | None) -> tuple[Tensor]:
    if isinstance(dim, int):
        return (grad.unsqueeze(dim),)  # wrong when x.shape[dim] != 1: squeeze did nothing there
    return (grad.reshape(x.shape),)


def squeeze_backward__not_reshaped(grad: Tensor, x: Tensor, *, dim: int | list[int] | None) -> tuple[Tensor]:
    return (grad,)


def squeeze_backward__ignores_grad(grad: Tensor, x: Tensor, *, dim: int | list[int] | None) -> tuple[Tensor]:
    return (torch.ones(x.shape, dtype=grad.dtype),)


# unsqueeze

def unsqueeze_backward__squeeze_all(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    return (grad.squeeze(),)


def unsqueeze_backward__off_by_one(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    d = dim + x.dim() if dim < 0 else dim  # should be dim + x.dim() + 1
    return (grad.squeeze(d),)


def unsqueeze_backward__ignores_grad(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    return (torch.ones(x.shape, dtype=grad.dtype),)


# cat

def cat_backward__swapped(grad: Tensor, a: Tensor, b: Tensor, *, dim: int) -> tuple[Tensor, Tensor]:
    grad_b, grad_a = grad.split([b.shape[dim], a.shape[dim]], dim)
    return grad_a, grad_b


def cat_backward__wrong_axis(grad: Tensor, a: Tensor, b: Tensor, *, dim: int) -> tuple[Tensor, Tensor]:
    grad_a, grad_b = grad.split([a.shape[dim], b.shape[dim]], 0)
    return grad_a, grad_b


def cat_backward__ignores_grad(grad: Tensor, a: Tensor, b: Tensor, *, dim: int) -> tuple[Tensor, Tensor]:
    return torch.ones(a.shape, dtype=grad.dtype), torch.ones(b.shape, dtype=grad.dtype)


def cat_backward__empty_piece_none(grad: Tensor, a: Tensor, b: Tensor, *, dim: int) -> tuple[Tensor | None, ...]:
    if a.shape[dim] == 0:
        return None, grad
    if b.shape[dim] == 0:
        return grad, None
    return tuple(grad.split([a.shape[dim], b.shape[dim]], dim))


# stack

def stack_backward__swapped(grad: Tensor, a: Tensor, b: Tensor, *, dim: int) -> tuple[Tensor, Tensor]:
    grad_b, grad_a = grad.unbind(dim)
    return grad_a, grad_b


def stack_backward__wrong_axis(grad: Tensor, a: Tensor, b: Tensor, *, dim: int) -> tuple[Tensor, Tensor]:
    grad_a, grad_b = grad.unbind(0)
    return grad_a, grad_b


def stack_backward__off_by_one(grad: Tensor, a: Tensor, b: Tensor, *, dim: int) -> tuple[Tensor, Tensor]:
    d = dim + a.dim() if dim < 0 else dim  # the new dim counts in the output: dim + a.dim() + 1
    return grad.select(d, 0), grad.select(d, 1)


def stack_backward__ignores_grad(grad: Tensor, a: Tensor, b: Tensor, *, dim: int) -> tuple[Tensor, Tensor]:
    return torch.ones(a.shape, dtype=grad.dtype), torch.ones(b.shape, dtype=grad.dtype)


# getitem

def getitem_backward__no_accumulate(grad: Tensor, x: Tensor, index: Tensor) -> tuple[Tensor, None]:
    gx = grad.new_zeros(x.shape)
    gx[index] = grad  # duplicate indices overwrite each other
    return gx, None


def getitem_backward__negative_index(grad: Tensor, x: Tensor, index: Tensor) -> tuple[Tensor, None]:
    rows = grad.reshape(index.numel(), *x.shape[1:])
    return grad.new_zeros(x.shape).index_add(0, index.reshape(-1), rows), None


def getitem_backward__wrong_axis(grad: Tensor, x: Tensor, index: Tensor) -> tuple[Tensor, None]:
    flat = index.reshape(-1) % x.shape[0]
    return grad.new_zeros(x.shape).index_add(-1, flat, grad.reshape(-1, flat.numel())), None


def getitem_backward__ignores_grad(grad: Tensor, x: Tensor, index: Tensor) -> tuple[Tensor, None]:
    flat = index.reshape(-1) % x.shape[0]
    ones = torch.ones((flat.numel(), *x.shape[1:]), dtype=grad.dtype)
    return grad.new_zeros(x.shape).index_add(0, flat, ones), None


# gather

def gather_backward__no_accumulate(grad: Tensor, x: Tensor, index: Tensor, *, dim: int) -> tuple[Tensor, None]:
    return grad.new_zeros(x.shape).scatter(dim, index, grad), None


def gather_backward__wrong_axis(grad: Tensor, x: Tensor, index: Tensor, *, dim: int) -> tuple[Tensor, None]:
    return grad.new_zeros(x.shape).scatter_add(0, index, grad), None


def gather_backward__ignores_grad(grad: Tensor, x: Tensor, index: Tensor, *, dim: int) -> tuple[Tensor, None]:
    return grad.new_zeros(x.shape).scatter_add(dim, index, torch.ones_like(grad)), None


# index_select

def index_select_backward__no_accumulate(grad: Tensor, x: Tensor, index: Tensor, *,
                                         dim: int) -> tuple[Tensor, None]:
    return grad.new_zeros(x.shape).index_copy(dim, index.reshape(-1), grad), None


def index_select_backward__wrong_axis(grad: Tensor, x: Tensor, index: Tensor, *, dim: int) -> tuple[Tensor, None]:
    return grad.new_zeros(x.shape).index_add(0, index.reshape(-1), grad), None


def index_select_backward__ignores_grad(grad: Tensor, x: Tensor, index: Tensor, *,
                                        dim: int) -> tuple[Tensor, None]:
    return grad.new_zeros(x.shape).index_add(dim, index.reshape(-1), torch.ones_like(grad)), None


# embedding

def embedding_backward__padding_ignored(grad: Tensor, weight: Tensor, indices: Tensor, *,
                                        padding_idx: int | None) -> tuple[Tensor, None]:
    rows = grad.reshape(-1, weight.shape[1])
    return grad.new_zeros(weight.shape).index_add(0, indices.reshape(-1), rows), None


def embedding_backward__padding_not_wrapped(grad: Tensor, weight: Tensor, indices: Tensor, *,
                                            padding_idx: int | None) -> tuple[Tensor, None]:
    rows = grad.reshape(-1, weight.shape[1])
    gw = grad.new_zeros(weight.shape).index_add(0, indices.reshape(-1), rows)
    if padding_idx is not None:
        keep = (torch.arange(weight.shape[0]) != padding_idx).unsqueeze(1)  # -1 matches no row
        gw = gw * keep.to(gw.dtype)
    return gw, None


def embedding_backward__no_accumulate(grad: Tensor, weight: Tensor, indices: Tensor, *,
                                      padding_idx: int | None) -> tuple[Tensor, None]:
    gw = grad.new_zeros(weight.shape)
    gw[indices.reshape(-1)] = grad.reshape(-1, weight.shape[1])
    if padding_idx is not None:
        gw[padding_idx] = 0
    return gw, None


def embedding_backward__ignores_grad(grad: Tensor, weight: Tensor, indices: Tensor, *,
                                     padding_idx: int | None) -> tuple[Tensor, None]:
    ones = torch.ones(indices.numel(), weight.shape[1], dtype=grad.dtype)
    gw = grad.new_zeros(weight.shape).index_add(0, indices.reshape(-1), ones)
    if padding_idx is not None:
        gw[padding_idx] = 0
    return gw, None


# flip

def flip_backward__not_flipped(grad: Tensor, x: Tensor, *, dims: list[int]) -> tuple[Tensor]:
    return (grad,)


def flip_backward__flips_all(grad: Tensor, x: Tensor, *, dims: list[int]) -> tuple[Tensor]:
    return (grad.flip(list(range(grad.dim()))),)


def flip_backward__ignores_grad(grad: Tensor, x: Tensor, *, dims: list[int]) -> tuple[Tensor]:
    return (torch.ones(x.shape, dtype=grad.dtype),)


# pad

def pad_backward__pairs_front_to_back(grad: Tensor, x: Tensor, *, pad: list[int], value: float) -> tuple[Tensor]:
    full = [0] * (2 * grad.dim())
    for k in range(len(pad) // 2):  # pair k applied to dim k instead of dim -1 - k
        at = 2 * (grad.dim() - 1 - k)
        full[at], full[at + 1] = -pad[2 * k], -pad[2 * k + 1]
    return (F.pad(grad, full),)


def pad_backward__off_by_one(grad: Tensor, x: Tensor, *, pad: list[int], value: float) -> tuple[Tensor]:
    for k in range(len(pad) // 2):
        index = [slice(None)] * grad.dim()
        index[grad.dim() - 1 - k] = slice(pad[2 * k], -pad[2 * k + 1])  # -0 is 0: an empty slice
        grad = grad[tuple(index)]
    return (grad,)


def pad_backward__swapped_sides(grad: Tensor, x: Tensor, *, pad: list[int], value: float) -> tuple[Tensor]:
    swapped = [pad[k + 1 - 2 * (k % 2)] for k in range(len(pad))]
    return (F.pad(grad, [-p for p in swapped]),)


def pad_backward__ignores_grad(grad: Tensor, x: Tensor, *, pad: list[int], value: float) -> tuple[Tensor]:
    return (torch.ones(x.shape, dtype=grad.dtype),)

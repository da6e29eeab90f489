"""Known-wrong variants of the set ``reductions``: each ``<op>_backward__<mistake>`` must lose points."""

from __future__ import annotations

import torch

from solutions.reductions import Dim, _centred, _count, _dims, _others, _unreduce

Tensor = torch.Tensor


def sum_backward__keepdim_lost(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    return (grad.expand(x.shape),)


def sum_backward__ignores_grad(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    return (torch.ones_like(x),)


def sum_backward__wrong_axis(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    if not keepdim:
        for _ in _dims(x, dim):
            grad = grad.unsqueeze(0)
    return (grad.expand(x.shape),)


def sum_backward__dtype_drift(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    return (_unreduce(grad, x, dim, keepdim) * torch.ones(x.shape, dtype=torch.float64),)


def sum_backward__unsqueezes_kept_dims(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    for d in _dims(x, dim):
        grad = grad.unsqueeze(d)
    return (grad.expand(x.shape),)


def mean_backward__divides_by_numel(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    return (_unreduce(grad, x, dim, keepdim).expand(x.shape) / max(x.numel(), 1),)


def mean_backward__constant_factor(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    return (_unreduce(grad, x, dim, keepdim).expand(x.shape).clone(),)


def mean_backward__keepdim_lost(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    return (grad.expand(x.shape) / _count(x, dim),)


def mean_backward__divides_by_outputs(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    return (_unreduce(grad, x, dim, keepdim).expand(x.shape) / grad.numel(),)


def prod_backward__zero_division(grad: Tensor, x: Tensor, *, dim: int | None, keepdim: bool) -> tuple[Tensor]:
    out = x.prod() if dim is None else x.prod(dim, keepdim=True)
    return (_unreduce(grad, x, dim, keepdim) * out / x,)


def prod_backward__ignores_grad(grad: Tensor, x: Tensor, *, dim: int | None, keepdim: bool) -> tuple[Tensor]:
    if dim is None or x.dim() == 0:
        return (_others(x.reshape(-1), 0).reshape(x.shape),)
    return (_others(x, dim % x.dim()),)


def prod_backward__keepdim_lost(grad: Tensor, x: Tensor, *, dim: int | None, keepdim: bool) -> tuple[Tensor]:
    if dim is None or x.dim() == 0:
        return (grad * _others(x.reshape(-1), 0).reshape(x.shape),)
    return (grad * _others(x, dim % x.dim()),)


def prod_backward__none_as_dim0(grad: Tensor, x: Tensor, *, dim: int | None, keepdim: bool) -> tuple[Tensor]:
    if x.dim() == 0:
        return (grad.clone(),)
    d = 0 if dim is None else dim % x.dim()
    g = grad if dim is None else _unreduce(grad, x, dim, keepdim)
    return (g * _others(x, d),)


def amax_backward__tie_rule(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    mask = (x == x.amax(dim=_dims(x, dim), keepdim=True)).to(grad.dtype)
    return (_unreduce(grad, x, dim, keepdim) * mask,)


def amax_backward__first_index(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    dims = _dims(x, dim)
    if len(dims) != 1:
        mask = (x == x.amax(dim=dims, keepdim=True)).to(grad.dtype)
        return (_unreduce(grad, x, dim, keepdim) * mask / mask.sum(dim=dims, keepdim=True),)
    index = torch.max(x, dims[0], keepdim=True).indices
    return (torch.zeros_like(x).scatter(dims[0], index, _unreduce(grad, x, dim, keepdim)),)


def amax_backward__keepdim_lost(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    dims = _dims(x, dim)
    mask = (x == x.amax(dim=dims, keepdim=keepdim)).to(grad.dtype)
    return (grad * mask / mask.sum(dim=dims, keepdim=True),)


def amax_backward__ignores_grad(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    dims = _dims(x, dim)
    mask = (x == x.amax(dim=dims, keepdim=True)).to(grad.dtype)
    return (mask / mask.sum(dim=dims, keepdim=True),)


def max_dim_backward__tie_split(grad: Tensor, x: Tensor, *, dim: int, keepdim: bool) -> tuple[Tensor]:
    mask = (x == x.amax(dim=dim, keepdim=True)).to(grad.dtype)
    return (_unreduce(grad, x, dim, keepdim) * mask / mask.sum(dim=dim, keepdim=True),)


def max_dim_backward__tie_rule(grad: Tensor, x: Tensor, *, dim: int, keepdim: bool) -> tuple[Tensor]:
    mask = (x == x.amax(dim=dim, keepdim=True)).to(grad.dtype)
    return (_unreduce(grad, x, dim, keepdim) * mask,)


def max_dim_backward__keepdim_lost(grad: Tensor, x: Tensor, *, dim: int, keepdim: bool) -> tuple[Tensor]:
    index = torch.max(x, dim, keepdim=keepdim).indices
    return (torch.zeros_like(x).scatter(dim, index, grad),)


def max_dim_backward__wrong_axis(grad: Tensor, x: Tensor, *, dim: int, keepdim: bool) -> tuple[Tensor]:
    index = torch.max(x, -1, keepdim=True).indices
    return (torch.zeros_like(x).scatter(-1, index, _unreduce(grad, x, dim, keepdim).expand_as(index)),)


def max_dim_backward__ignores_grad(grad: Tensor, x: Tensor, *, dim: int, keepdim: bool) -> tuple[Tensor]:
    index = torch.max(x, dim, keepdim=True).indices
    return (torch.zeros_like(x).scatter(dim, index, torch.ones_like(_unreduce(grad, x, dim, keepdim))),)


def logsumexp_backward__overflow(grad: Tensor, x: Tensor, *, dim: int | list[int], keepdim: bool) -> tuple[Tensor]:
    e = torch.exp(x)
    return (_unreduce(grad, x, dim, keepdim) * e / e.sum(dim=dim, keepdim=True),)


def logsumexp_backward__keepdim_lost(grad: Tensor, x: Tensor, *, dim: int | list[int],
                                     keepdim: bool) -> tuple[Tensor]:
    return (grad * torch.exp(x - torch.logsumexp(x, dim=dim, keepdim=keepdim)),)


def logsumexp_backward__ignores_grad(grad: Tensor, x: Tensor, *, dim: int | list[int],
                                     keepdim: bool) -> tuple[Tensor]:
    return (torch.exp(x - torch.logsumexp(x, dim=dim, keepdim=True)),)


def logsumexp_backward__softmax_one_dim(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    return (_unreduce(grad, x, dim, keepdim) * torch.softmax(x, dim),)


def var_backward__no_correction(grad: Tensor, x: Tensor, *, dim: Dim, correction: int,
                                keepdim: bool) -> tuple[Tensor]:
    return (_unreduce(grad, x, dim, keepdim) * 2 * _centred(x, dim) / _count(x, dim),)


def var_backward__divides_by_numel(grad: Tensor, x: Tensor, *, dim: Dim, correction: int,
                                   keepdim: bool) -> tuple[Tensor]:
    return (_unreduce(grad, x, dim, keepdim) * 2 * _centred(x, dim) / (x.numel() - correction),)


def var_backward__python_division(grad: Tensor, x: Tensor, *, dim: Dim, correction: int,
                                  keepdim: bool) -> tuple[Tensor]:
    return (_unreduce(grad, x, dim, keepdim) * _centred(x, dim) * (2 / (_count(x, dim) - correction)),)


def var_backward__constant_factor(grad: Tensor, x: Tensor, *, dim: Dim, correction: int,
                                  keepdim: bool) -> tuple[Tensor]:
    return (_unreduce(grad, x, dim, keepdim) * _centred(x, dim) / (_count(x, dim) - correction),)


def var_backward__keepdim_lost(grad: Tensor, x: Tensor, *, dim: Dim, correction: int,
                               keepdim: bool) -> tuple[Tensor]:
    return (grad * 2 * _centred(x, dim) / (_count(x, dim) - correction),)


def std_backward__unmasked(grad: Tensor, x: Tensor, *, dim: Dim, correction: int, keepdim: bool) -> tuple[Tensor]:
    sigma = torch.std(x, dim=_dims(x, dim) or None, correction=correction, keepdim=True)
    return (_unreduce(grad, x, dim, keepdim) * _centred(x, dim) / ((_count(x, dim) - correction) * sigma),)


def std_backward__var_gradient(grad: Tensor, x: Tensor, *, dim: Dim, correction: int,
                               keepdim: bool) -> tuple[Tensor]:
    return (_unreduce(grad, x, dim, keepdim) * 2 * _centred(x, dim) / (_count(x, dim) - correction),)


def std_backward__no_correction(grad: Tensor, x: Tensor, *, dim: Dim, correction: int,
                                keepdim: bool) -> tuple[Tensor]:
    sigma = torch.std(x, dim=_dims(x, dim) or None, correction=correction, keepdim=True)
    raw = _unreduce(grad, x, dim, keepdim) * _centred(x, dim) / (_count(x, dim) * sigma)
    return (torch.where(sigma == 0, 0.0, raw),)


def std_backward__keepdim_lost(grad: Tensor, x: Tensor, *, dim: Dim, correction: int,
                               keepdim: bool) -> tuple[Tensor]:
    centred = _centred(x, dim)
    dof = _count(x, dim) - correction
    var = (centred * centred).sum(dim=_dims(x, dim), keepdim=True) / dof
    sigma = torch.where(var == 0, torch.ones_like(var), var).sqrt()
    return (torch.where(var == 0, 0.0, grad * centred / (dof * sigma)),)


def norm_backward__unmasked(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    return (_unreduce(grad, x, dim, keepdim) * x / torch.linalg.vector_norm(x, dim=dim, keepdim=True),)


def norm_backward__squared(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    return (_unreduce(grad, x, dim, keepdim) * 2 * x,)


def norm_backward__keepdim_lost(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    norm = torch.linalg.vector_norm(x, dim=dim, keepdim=keepdim)
    return (torch.where(norm == 0, 0.0, grad * x / norm),)


def norm_backward__ignores_grad(grad: Tensor, x: Tensor, *, dim: Dim, keepdim: bool) -> tuple[Tensor]:
    norm = torch.linalg.vector_norm(x, dim=dim, keepdim=True)
    return (torch.where(norm == 0, 0.0, x / norm),)


def cumsum_backward__not_transposed(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    return (grad.cumsum(dim),)


def cumsum_backward__wrong_axis(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    return (grad.flip(0).cumsum(0).flip(0) if grad.dim() else grad.clone(),)


def cumsum_backward__no_accumulate(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    return (grad.clone(),)


def cumsum_backward__off_by_one(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    return (grad.sum(dim, keepdim=True) - grad.cumsum(dim),)


def cumsum_backward__ignores_grad(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    return (torch.ones_like(grad).flip(dim).cumsum(dim).flip(dim),)

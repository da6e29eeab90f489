"""Known-wrong variants of the set ``nn``: each ``<op>_backward__<mistake>`` must lose points.

Each function is pasted below the reference module when it is graded, so it may use that module's names
(``F``, ``_softmax``); they are imported here too so that this file stands on its own.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from solutions.nn import _softmax

Tensor = torch.Tensor


# --- softmax ------------------------------------------------------------------------------------------------


def softmax_backward__unstable(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    s = x.exp() / x.exp().sum(dim, keepdim=True)
    return (s * (grad - (grad * s).sum(dim, keepdim=True)),)


def softmax_backward__diagonal_only(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    s = _softmax(x, dim)
    return (grad * s * (1 - s),)


def softmax_backward__wrong_axis(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    s = _softmax(x, dim)
    return (s * (grad - (grad * s).sum()),)


def softmax_backward__ignores_grad(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    s = _softmax(x, dim)
    return (s * (1 - s.sum(dim, keepdim=True) * s),)


# --- log_softmax --------------------------------------------------------------------------------------------


def log_softmax_backward__softmax_rule(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    s = _softmax(x, dim)
    return (s * (grad - (grad * s).sum(dim, keepdim=True)),)


def log_softmax_backward__no_identity(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    return (-_softmax(x, dim) * grad.sum(dim, keepdim=True),)


def log_softmax_backward__unstable(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    s = x.exp() / x.exp().sum(dim, keepdim=True)
    return (grad - s * grad.sum(dim, keepdim=True),)


def log_softmax_backward__keepdim_lost(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    return (grad - _softmax(x, dim) * grad.sum(dim),)


def log_softmax_backward__through_log(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    s = _softmax(x, dim)
    through = grad / s
    return (s * (through - (through * s).sum(dim, keepdim=True)),)


# --- cross_entropy ------------------------------------------------------------------------------------------


def cross_entropy_backward__mean_over_all_rows(grad: Tensor, logits: Tensor, target: Tensor, *, reduction: str,
                                               ignore_index: int) -> tuple[Tensor, None]:
    keep = target != ignore_index
    onehot = F.one_hot(torch.where(keep, target, 0), logits.shape[1]).to(logits.dtype)
    d = (_softmax(logits, 1) - onehot) * keep.unsqueeze(1).to(logits.dtype)
    if reduction == "none":
        return d * grad.unsqueeze(1), None
    if reduction == "mean":
        return d * grad / max(logits.shape[0], 1), None
    return d * grad, None


def cross_entropy_backward__ignored_rows_not_zeroed(grad: Tensor, logits: Tensor, target: Tensor, *, reduction: str,
                                                    ignore_index: int) -> tuple[Tensor, None]:
    keep = target != ignore_index
    d = _softmax(logits, 1) - F.one_hot(torch.where(keep, target, 0), logits.shape[1]).to(logits.dtype)
    if reduction == "none":
        return d * grad.unsqueeze(1), None
    if reduction == "mean":
        return d * grad / keep.sum().clamp(min=1), None
    return d * grad, None


def cross_entropy_backward__logits_not_softmax(grad: Tensor, logits: Tensor, target: Tensor, *, reduction: str,
                                               ignore_index: int) -> tuple[Tensor, None]:
    keep = target != ignore_index
    onehot = F.one_hot(torch.where(keep, target, 0), logits.shape[1]).to(logits.dtype)
    d = (logits - onehot) * keep.unsqueeze(1).to(logits.dtype)
    if reduction == "none":
        return d * grad.unsqueeze(1), None
    if reduction == "mean":
        return d * grad / keep.sum().clamp(min=1), None
    return d * grad, None


def cross_entropy_backward__nan_when_all_ignored(grad: Tensor, logits: Tensor, target: Tensor, *, reduction: str,
                                                 ignore_index: int) -> tuple[Tensor, None]:
    keep = target != ignore_index
    onehot = F.one_hot(torch.where(keep, target, 0), logits.shape[1]).to(logits.dtype)
    d = (_softmax(logits, 1) - onehot) * keep.unsqueeze(1).to(logits.dtype)
    if reduction == "none":
        return d * grad.unsqueeze(1), None
    if reduction == "mean":
        return d * grad / keep.sum(), None
    return d * grad, None


def cross_entropy_backward__whole_grad_per_row(grad: Tensor, logits: Tensor, target: Tensor, *, reduction: str,
                                               ignore_index: int) -> tuple[Tensor, None]:
    keep = target != ignore_index
    onehot = F.one_hot(torch.where(keep, target, 0), logits.shape[1]).to(logits.dtype)
    d = (_softmax(logits, 1) - onehot) * keep.unsqueeze(1).to(logits.dtype)
    if reduction == "mean":
        return d * (grad / keep.sum().clamp(min=1)), None
    return d * grad.sum(), None


def cross_entropy_backward__grad_for_target(grad: Tensor, logits: Tensor, target: Tensor, *, reduction: str,
                                            ignore_index: int) -> tuple[Tensor, Tensor]:
    keep = target != ignore_index
    onehot = F.one_hot(torch.where(keep, target, 0), logits.shape[1]).to(logits.dtype)
    d = (_softmax(logits, 1) - onehot) * keep.unsqueeze(1).to(logits.dtype)
    if reduction == "none":
        d = d * grad.unsqueeze(1)
    elif reduction == "mean":
        d = d * (grad / keep.sum().clamp(min=1))
    else:
        d = d * grad
    return d, torch.zeros_like(target, dtype=logits.dtype)


# --- layer_norm ---------------------------------------------------------------------------------------------


def layer_norm_backward__constant_stats(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *,
                                        normalized_shape: list[int], eps: float) -> tuple[Tensor, Tensor, Tensor]:
    dims = tuple(range(-len(normalized_shape), 0))
    lead = tuple(range(x.dim() - len(dims)))
    centered = x - x.mean(dims, keepdim=True)
    rstd = (centered.pow(2).mean(dims, keepdim=True) + eps).rsqrt()
    xhat = centered * rstd
    if not lead:
        return grad * weight * rstd, grad * xhat, grad
    return grad * weight * rstd, (grad * xhat).sum(lead), grad.sum(lead)


def layer_norm_backward__unbiased_var(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *,
                                      normalized_shape: list[int], eps: float) -> tuple[Tensor, Tensor, Tensor]:
    dims = tuple(range(-len(normalized_shape), 0))
    lead = tuple(range(x.dim() - len(dims)))
    centered = x - x.mean(dims, keepdim=True)
    rstd = (x.var(dims, keepdim=True, correction=1) + eps).rsqrt()
    xhat = centered * rstd
    ghat = grad * weight
    gx = rstd * (ghat - ghat.mean(dims, keepdim=True) - xhat * (ghat * xhat).mean(dims, keepdim=True))
    if not lead:
        return gx, grad * xhat, grad
    return gx, (grad * xhat).sum(lead), grad.sum(lead)


def layer_norm_backward__eps_outside_sqrt(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *,
                                          normalized_shape: list[int], eps: float) -> tuple[Tensor, Tensor, Tensor]:
    dims = tuple(range(-len(normalized_shape), 0))
    lead = tuple(range(x.dim() - len(dims)))
    centered = x - x.mean(dims, keepdim=True)
    rstd = 1 / (centered.pow(2).mean(dims, keepdim=True).sqrt() + eps)
    xhat = centered * rstd
    ghat = grad * weight
    gx = rstd * (ghat - ghat.mean(dims, keepdim=True) - xhat * (ghat * xhat).mean(dims, keepdim=True))
    if not lead:
        return gx, grad * xhat, grad
    return gx, (grad * xhat).sum(lead), grad.sum(lead)


def layer_norm_backward__no_weight_in_x(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *,
                                        normalized_shape: list[int], eps: float) -> tuple[Tensor, Tensor, Tensor]:
    dims = tuple(range(-len(normalized_shape), 0))
    lead = tuple(range(x.dim() - len(dims)))
    centered = x - x.mean(dims, keepdim=True)
    rstd = (centered.pow(2).mean(dims, keepdim=True) + eps).rsqrt()
    xhat = centered * rstd
    gx = rstd * (grad - grad.mean(dims, keepdim=True) - xhat * (grad * xhat).mean(dims, keepdim=True))
    if not lead:
        return gx, grad * xhat, grad
    return gx, (grad * xhat).sum(lead), grad.sum(lead)


def layer_norm_backward__sum_over_empty_tuple(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *,
                                              normalized_shape: list[int],
                                              eps: float) -> tuple[Tensor, Tensor, Tensor]:
    dims = tuple(range(-len(normalized_shape), 0))
    lead = tuple(range(x.dim() - len(dims)))
    centered = x - x.mean(dims, keepdim=True)
    rstd = (centered.pow(2).mean(dims, keepdim=True) + eps).rsqrt()
    xhat = centered * rstd
    ghat = grad * weight
    gx = rstd * (ghat - ghat.mean(dims, keepdim=True) - xhat * (ghat * xhat).mean(dims, keepdim=True))
    return gx, (grad * xhat).sum(lead), grad.sum(lead)


def layer_norm_backward__weight_not_summed(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *,
                                           normalized_shape: list[int], eps: float) -> tuple[Tensor, Tensor, Tensor]:
    dims = tuple(range(-len(normalized_shape), 0))
    lead = tuple(range(x.dim() - len(dims)))
    centered = x - x.mean(dims, keepdim=True)
    rstd = (centered.pow(2).mean(dims, keepdim=True) + eps).rsqrt()
    xhat = centered * rstd
    ghat = grad * weight
    gx = rstd * (ghat - ghat.mean(dims, keepdim=True) - xhat * (ghat * xhat).mean(dims, keepdim=True))
    return gx, grad * xhat, grad.sum(lead) if lead else grad


# --- conv2d -------------------------------------------------------------------------------------------------


def conv2d_backward__flipped_kernel(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *, stride: int,
                                    padding: int) -> tuple[Tensor, Tensor, Tensor]:
    kernel = weight.shape[-2:]
    cols = F.unfold(x, kernel, padding=padding, stride=stride)
    g = grad.flatten(2)
    gw = torch.einsum("nol,nkl->ok", g, cols).reshape(weight.shape)
    flipped = weight.flip(-2, -1).flatten(1)
    gx = F.fold(flipped.T @ g, x.shape[-2:], kernel, padding=padding, stride=stride)
    return gx, gw, grad.sum((0, 2, 3))


def conv2d_backward__bias_mean(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *, stride: int,
                               padding: int) -> tuple[Tensor, Tensor, Tensor]:
    kernel = weight.shape[-2:]
    cols = F.unfold(x, kernel, padding=padding, stride=stride)
    g = grad.flatten(2)
    gw = torch.einsum("nol,nkl->ok", g, cols).reshape(weight.shape)
    gx = F.fold(weight.flatten(1).T @ g, x.shape[-2:], kernel, padding=padding, stride=stride)
    return gx, gw, grad.mean((0, 2, 3))


def conv2d_backward__no_accumulate(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *, stride: int,
                                   padding: int) -> tuple[Tensor, Tensor, Tensor]:
    kernel = weight.shape[-2:]
    cols = F.unfold(x, kernel, padding=padding, stride=stride)
    g = grad.flatten(2)
    gw = (g[:1] @ cols[:1].mT)[0].reshape(weight.shape) if len(x) else torch.zeros_like(weight)
    gx = F.fold(weight.flatten(1).T @ g, x.shape[-2:], kernel, padding=padding, stride=stride)
    return gx, gw, grad.sum((0, 2, 3))


def conv2d_backward__ignores_stride(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *, stride: int,
                                    padding: int) -> tuple[Tensor, Tensor, Tensor]:
    kernel = weight.shape[-2:]
    cols = F.unfold(x, kernel, padding=padding)
    g = grad.flatten(2)
    gw = torch.einsum("nol,nkl->ok", g, cols).reshape(weight.shape)
    gx = F.fold(weight.flatten(1).T @ g, x.shape[-2:], kernel, padding=padding)
    return gx, gw, grad.sum((0, 2, 3))


def conv2d_backward__bias_not_batch_summed(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *, stride: int,
                                           padding: int) -> tuple[Tensor, Tensor, Tensor]:
    kernel = weight.shape[-2:]
    cols = F.unfold(x, kernel, padding=padding, stride=stride)
    g = grad.flatten(2)
    gw = torch.einsum("nol,nkl->ok", g, cols).reshape(weight.shape)
    gx = F.fold(weight.flatten(1).T @ g, x.shape[-2:], kernel, padding=padding, stride=stride)
    return gx, gw, grad.sum((2, 3))


def conv2d_backward__size_from_windows(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *, stride: int,
                                       padding: int) -> tuple[Tensor, Tensor, Tensor]:
    kernel = weight.shape[-2:]
    cols = F.unfold(x, kernel, padding=padding, stride=stride)
    g = grad.flatten(2)
    gw = torch.einsum("nol,nkl->ok", g, cols).reshape(weight.shape)
    size = tuple((o - 1) * stride + k - 2 * padding for o, k in zip(grad.shape[-2:], kernel, strict=True))
    gx = F.fold(weight.flatten(1).T @ g, size, kernel, padding=padding, stride=stride)
    return gx, gw, grad.sum((0, 2, 3))


# --- max_pool2d ---------------------------------------------------------------------------------------------


def max_pool2d_backward__all_ties(grad: Tensor, x: Tensor, *, kernel_size: int, stride: int | None) -> tuple[Tensor]:
    step = stride or kernel_size
    cols = F.unfold(x, kernel_size, stride=step).unflatten(-2, (x.shape[-3], kernel_size ** 2))
    is_max = (cols == cols.amax(-2, keepdim=True)).to(x.dtype)
    routed = is_max * grad.flatten(-2).unsqueeze(-2)
    return (F.fold(routed.flatten(-3, -2), x.shape[-2:], kernel_size, stride=step),)


def max_pool2d_backward__split_ties(grad: Tensor, x: Tensor, *, kernel_size: int,
                                    stride: int | None) -> tuple[Tensor]:
    step = stride or kernel_size
    cols = F.unfold(x, kernel_size, stride=step).unflatten(-2, (x.shape[-3], kernel_size ** 2))
    is_max = (cols == cols.amax(-2, keepdim=True)).to(x.dtype)
    routed = is_max / is_max.sum(-2, keepdim=True) * grad.flatten(-2).unsqueeze(-2)
    return (F.fold(routed.flatten(-3, -2), x.shape[-2:], kernel_size, stride=step),)


def max_pool2d_backward__overwrites_overlaps(grad: Tensor, x: Tensor, *, kernel_size: int,
                                             stride: int | None) -> tuple[Tensor]:
    step = stride or kernel_size
    cols = F.unfold(x, kernel_size, stride=step).unflatten(-2, (x.shape[-3], kernel_size ** 2))
    where = torch.arange(x.shape[-2] * x.shape[-1], dtype=x.dtype).reshape(1, *x.shape[-2:])
    positions = F.unfold(where, kernel_size, stride=step).long()  # (k*k, L): input position of each window entry
    chosen = positions.gather(0, cols.argmax(-2).flatten(0, -2)).reshape(cols.shape[:-2] + cols.shape[-1:])
    gx = torch.zeros_like(x).flatten(-2).scatter(-1, chosen, grad.flatten(-2))  # scatter overwrites duplicates
    return (gx.reshape(x.shape),)


def max_pool2d_backward__ignores_grad(grad: Tensor, x: Tensor, *, kernel_size: int,
                                      stride: int | None) -> tuple[Tensor]:
    step = stride or kernel_size
    cols = F.unfold(x, kernel_size, stride=step).unflatten(-2, (x.shape[-3], kernel_size ** 2))
    first = cols.argmax(-2, keepdim=True)
    routed = torch.zeros_like(cols).scatter(-2, first, 1.0)
    return (F.fold(routed.flatten(-3, -2), x.shape[-2:], kernel_size, stride=step),)


def max_pool2d_backward__stride_is_kernel(grad: Tensor, x: Tensor, *, kernel_size: int,
                                          stride: int | None) -> tuple[Tensor]:
    cols = F.unfold(x, kernel_size, stride=kernel_size).unflatten(-2, (x.shape[-3], kernel_size ** 2))
    first = cols.argmax(-2, keepdim=True)
    routed = torch.zeros_like(cols).scatter(-2, first, grad.flatten(-2).unsqueeze(-2))
    return (F.fold(routed.flatten(-3, -2), x.shape[-2:], kernel_size, stride=kernel_size),)


def max_pool2d_backward__size_from_windows(grad: Tensor, x: Tensor, *, kernel_size: int,
                                           stride: int | None) -> tuple[Tensor]:
    step = stride or kernel_size
    cols = F.unfold(x, kernel_size, stride=step).unflatten(-2, (x.shape[-3], kernel_size ** 2))
    first = cols.argmax(-2, keepdim=True)
    routed = torch.zeros_like(cols).scatter(-2, first, grad.flatten(-2).unsqueeze(-2))
    size = ((grad.shape[-2] - 1) * step + kernel_size, (grad.shape[-1] - 1) * step + kernel_size)
    return (F.fold(routed.flatten(-3, -2), size, kernel_size, stride=step),)


# --- avg_pool2d ---------------------------------------------------------------------------------------------


def avg_pool2d_backward__excludes_padding(grad: Tensor, x: Tensor, *, kernel_size: int, stride: int | None,
                                          padding: int) -> tuple[Tensor]:
    step = stride or kernel_size
    k2 = kernel_size ** 2
    ones = torch.ones_like(x[..., :1, :, :])
    inside = F.unfold(ones, kernel_size, stride=step, padding=padding).sum(-2, keepdim=True)  # in-bounds count
    g = (grad.flatten(-2) / inside).unsqueeze(-2)
    cols = g.expand(*g.shape[:-2], k2, g.shape[-1]).flatten(-3, -2)
    return (F.fold(cols, x.shape[-2:], kernel_size, stride=step, padding=padding),)


def avg_pool2d_backward__no_divide(grad: Tensor, x: Tensor, *, kernel_size: int, stride: int | None,
                                   padding: int) -> tuple[Tensor]:
    step = stride or kernel_size
    k2 = kernel_size ** 2
    g = grad.flatten(-2).unsqueeze(-2)
    cols = g.expand(*g.shape[:-2], k2, g.shape[-1]).flatten(-3, -2)
    return (F.fold(cols, x.shape[-2:], kernel_size, stride=step, padding=padding),)


def avg_pool2d_backward__ignores_stride(grad: Tensor, x: Tensor, *, kernel_size: int, stride: int | None,
                                        padding: int) -> tuple[Tensor]:
    k2 = kernel_size ** 2
    g = (grad / k2).flatten(-2).unsqueeze(-2)
    cols = g.expand(*g.shape[:-2], k2, g.shape[-1]).flatten(-3, -2)
    return (F.fold(cols, x.shape[-2:], kernel_size, stride=kernel_size, padding=padding),)


def avg_pool2d_backward__ignores_grad(grad: Tensor, x: Tensor, *, kernel_size: int, stride: int | None,
                                      padding: int) -> tuple[Tensor]:
    step = stride or kernel_size
    k2 = kernel_size ** 2
    g = (torch.ones_like(grad) / k2).flatten(-2).unsqueeze(-2)
    cols = g.expand(*g.shape[:-2], k2, g.shape[-1]).flatten(-3, -2)
    return (F.fold(cols, x.shape[-2:], kernel_size, stride=step, padding=padding),)


def avg_pool2d_backward__overwrites_overlaps(grad: Tensor, x: Tensor, *, kernel_size: int, stride: int | None,
                                             padding: int) -> tuple[Tensor]:
    step = stride or kernel_size
    gx = F.pad(torch.zeros_like(x), [padding] * 4)
    for i in range(grad.shape[-2]):
        for j in range(grad.shape[-1]):
            window = (..., slice(i * step, i * step + kernel_size), slice(j * step, j * step + kernel_size))
            gx[window] = grad[..., i:i + 1, j:j + 1] / kernel_size ** 2
    return (gx[..., padding:padding + x.shape[-2], padding:padding + x.shape[-1]],)


def avg_pool2d_backward__padded_shape(grad: Tensor, x: Tensor, *, kernel_size: int, stride: int | None,
                                      padding: int) -> tuple[Tensor]:
    step = stride or kernel_size
    k2 = kernel_size ** 2
    g = (grad / k2).flatten(-2).unsqueeze(-2)
    cols = g.expand(*g.shape[:-2], k2, g.shape[-1]).flatten(-3, -2)
    size = (x.shape[-2] + 2 * padding, x.shape[-1] + 2 * padding)
    return (F.fold(cols, size, kernel_size, stride=step),)


# --- dropout_with_mask --------------------------------------------------------------------------------------


def dropout_with_mask_backward__no_scale(grad: Tensor, x: Tensor, mask: Tensor, *, p: float) -> tuple[Tensor, None]:
    return grad * mask, None


def dropout_with_mask_backward__scale_by_p(grad: Tensor, x: Tensor, mask: Tensor, *,
                                           p: float) -> tuple[Tensor, None]:
    return grad * mask / p if p else grad * mask, None


def dropout_with_mask_backward__ignores_mask(grad: Tensor, x: Tensor, mask: Tensor, *,
                                             p: float) -> tuple[Tensor, None]:
    return grad / (1 - p), None


def dropout_with_mask_backward__times_keep_probability(grad: Tensor, x: Tensor, mask: Tensor, *,
                                                       p: float) -> tuple[Tensor, None]:
    return grad * mask * (1 - p), None


def dropout_with_mask_backward__new_mask(grad: Tensor, x: Tensor, mask: Tensor, *, p: float) -> tuple[Tensor, None]:
    keep = (torch.rand(x.shape, dtype=x.dtype) >= p).to(x.dtype)
    return grad * keep / (1 - p), None


def dropout_with_mask_backward__grad_for_mask(grad: Tensor, x: Tensor, mask: Tensor, *,
                                              p: float) -> tuple[Tensor, Tensor]:
    return grad * mask / (1 - p), torch.zeros_like(mask)

"""Reference solutions for the set ``nn``."""

from __future__ import annotations

import torch
import torch.nn.functional as F

Tensor = torch.Tensor


def _softmax(x: Tensor, dim: int) -> Tensor:
    """softmax(x) = e^(x - max) / Σ e^(x - max): the shift keeps exp from overflowing (and changes nothing)."""
    e = (x - x.amax(dim, keepdim=True)).exp()
    return e / e.sum(dim, keepdim=True)


def softmax_backward(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    """s = softmax(x):  x̄ = s ⊙ (ḡ − Σ_dim ḡ ⊙ s)."""
    s = _softmax(x, dim)
    return (s * (grad - (grad * s).sum(dim, keepdim=True)),)


def log_softmax_backward(grad: Tensor, x: Tensor, *, dim: int) -> tuple[Tensor]:
    """y = x − logsumexp(x):  x̄ = ḡ − softmax(x) ⊙ Σ_dim ḡ."""
    return (grad - _softmax(x, dim) * grad.sum(dim, keepdim=True),)


def cross_entropy_backward(grad: Tensor, logits: Tensor, target: Tensor, *, reduction: str,
                           ignore_index: int) -> tuple[Tensor, None]:
    """ℓ_n = logsumexp(z_n) − z_{n,t_n}:  z̄_n = w_n (softmax(z_n) − onehot(t_n)), 0 on ignored rows;
    w_n = ḡ / (number of kept rows) for mean, ḡ for sum, ḡ_n for none."""
    keep = target != ignore_index
    onehot = F.one_hot(torch.where(keep, target, 0), logits.shape[1]).to(logits.dtype)
    d = (_softmax(logits, 1) - onehot) * keep.unsqueeze(1).to(logits.dtype)
    if reduction == "none":
        return d * grad.unsqueeze(1), None
    if reduction == "mean":
        # torch's gradient is 0 (not 0/0) when every row is ignored
        return d * (grad / keep.sum().clamp(min=1)), None
    return d * grad, None


def layer_norm_backward(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *, normalized_shape: list[int],
                        eps: float) -> tuple[Tensor, Tensor, Tensor]:
    """x̂ = (x − μ)/σ_ε, y = w ⊙ x̂ + b, with ĝ = ḡ ⊙ w and means ⟨·⟩ over the normalized dims:
    x̄ = (ĝ − ⟨ĝ⟩ − x̂ ⟨ĝ ⊙ x̂⟩) / σ_ε,  w̄ = Σ_lead ḡ ⊙ x̂,  b̄ = Σ_lead ḡ."""
    dims = tuple(range(-len(normalized_shape), 0))
    lead = tuple(range(x.dim() - len(dims)))
    centered = x - x.mean(dims, keepdim=True)
    rstd = (centered.pow(2).mean(dims, keepdim=True) + eps).rsqrt()
    xhat = centered * rstd
    ghat = grad * weight
    gx = rstd * (ghat - ghat.mean(dims, keepdim=True) - xhat * (ghat * xhat).mean(dims, keepdim=True))
    if not lead:  # a 1-d x: nothing to sum over (and t.sum(()) would sum over everything)
        return gx, grad * xhat, grad
    return gx, (grad * xhat).sum(lead), grad.sum(lead)


def conv2d_backward(grad: Tensor, x: Tensor, weight: Tensor, bias: Tensor, *, stride: int,
                    padding: int) -> tuple[Tensor, Tensor, Tensor]:
    """With X = im2col(x) (N, C·kH·kW, L), W = weight as (O, C·kH·kW) and G = ḡ as (N, O, L), out = W X + b:
    w̄ = Σ_n G_n X_nᵀ,  x̄ = col2im(Wᵀ G_n),  b̄ = Σ_{n,i,j} ḡ."""
    kernel = weight.shape[-2:]
    cols = F.unfold(x, kernel, padding=padding, stride=stride)
    g = grad.flatten(2)
    gw = torch.einsum("nol,nkl->ok", g, cols).reshape(weight.shape)
    gx = F.fold(weight.flatten(1).T @ g, x.shape[-2:], kernel, padding=padding, stride=stride)
    return gx, gw, grad.sum((0, 2, 3))


def max_pool2d_backward(grad: Tensor, x: Tensor, *, kernel_size: int, stride: int | None) -> tuple[Tensor]:
    """x̄[a, b] = Σ of ḡ over the windows whose (first) maximum is at (a, b)."""
    step = stride or kernel_size
    cols = F.unfold(x, kernel_size, stride=step).unflatten(-2, (x.shape[-3], kernel_size ** 2))
    first = cols.argmax(-2, keepdim=True)  # argmax returns the first of tied maxima, as torch's pooling does
    routed = torch.zeros_like(cols).scatter(-2, first, grad.flatten(-2).unsqueeze(-2))
    return (F.fold(routed.flatten(-3, -2), x.shape[-2:], kernel_size, stride=step),)


def avg_pool2d_backward(grad: Tensor, x: Tensor, *, kernel_size: int, stride: int | None,
                        padding: int) -> tuple[Tensor]:
    """x̄[a, b] = Σ of ḡ / k² over the windows that cover (a, b) (padding counts in k², and is dropped)."""
    step = stride or kernel_size
    k2 = kernel_size ** 2
    g = (grad / k2).flatten(-2).unsqueeze(-2)
    cols = g.expand(*g.shape[:-2], k2, g.shape[-1]).flatten(-3, -2)
    return (F.fold(cols, x.shape[-2:], kernel_size, stride=step, padding=padding),)


def dropout_with_mask_backward(grad: Tensor, x: Tensor, mask: Tensor, *, p: float) -> tuple[Tensor, None]:
    """out = x ⊙ m / (1 − p):  x̄ = ḡ ⊙ m / (1 − p); the mask gets no gradient."""
    return grad * mask / (1 - p), None

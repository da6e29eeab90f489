"""Reference solutions for the set ``semantics``."""

from __future__ import annotations

from collections.abc import Callable

import torch

Tensor = torch.Tensor


def jacobian_rows(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    """Row i of J is kᵢᵀJ for the one-hot kᵢ: one backward call per output entry, on one retained graph."""
    x = x.detach().clone().requires_grad_()
    out = f(x)
    rows = []
    for i in range(out.numel()):
        one_hot = torch.zeros(out.numel(), dtype=out.dtype)
        one_hot[i] = 1
        x.grad = None  # .grad accumulates: each row starts from nothing
        out.backward(one_hot.reshape(out.shape), retain_graph=i < out.numel() - 1)
        rows.append(x.grad.clone())
    return (torch.stack(rows).reshape(out.shape + x.shape),)


def jacobian_columns(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    """Column j of J is J eⱼ for the one-hot eⱼ: one forward-mode pass (a JVP) per input entry."""
    columns = []
    for j in range(x.numel()):
        tangent = torch.zeros(x.numel(), dtype=x.dtype)
        tangent[j] = 1
        _, column = torch.func.jvp(f, (x,), (tangent.reshape(x.shape),))
        columns.append(column)
    return (torch.stack(columns, dim=-1).reshape(columns[0].shape + x.shape),)


def accumulate_steps(model: Callable[[Tensor, Tensor], Tensor], w: Tensor, xs: Tensor, ys: Tensor, *, micro: int,
                     lr: float, steps: int) -> tuple[Tensor, Tensor]:
    """Per step: Σ_b ∇(L_b / k) over the k micro-batches (= ∇L of the whole batch), one update, then zero."""
    w = w.detach().clone().requires_grad_()
    k = len(xs) // micro
    grad = torch.zeros_like(w)
    for _ in range(steps):
        for b in range(k):
            rows = slice(b * micro, (b + 1) * micro)
            (((model(w, xs[rows]) - ys[rows]) ** 2).mean() / k).backward()
        grad = w.grad.clone()
        with torch.no_grad():
            w -= lr * grad
        w.grad = None
    return w.detach(), grad


def per_sample_grads(model: Callable[[Tensor, Tensor], Tensor], w: Tensor, xs: Tensor,
                     ys: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """dL/dxs keeps a row per sample; dL/dw = Σᵢ dlᵢ/dw, whose terms need one gradient per sample."""
    xs = xs.detach().clone().requires_grad_()
    w = w.detach().clone().requires_grad_()
    ((model(w, xs) - ys) ** 2).sum().backward()
    each = [torch.autograd.grad(((model(w, xs[i:i + 1]) - ys[i:i + 1]) ** 2).sum(), w)[0] for i in range(len(xs))]
    return xs.grad, w.grad, torch.stack(each)

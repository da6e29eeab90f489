"""Correct implementations written differently from the reference: each must get full marks."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.autograd.forward_ad as fwAD

Tensor = torch.Tensor


def jacobian_rows(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    # All one-hot rows at once: torch.autograd.grad batched over the rows of an identity matrix.
    x = x.detach().clone().requires_grad_()
    out = f(x)
    eye = torch.eye(out.numel(), dtype=out.dtype).reshape(out.numel(), *out.shape)
    (rows,) = torch.autograd.grad(out, x, eye, is_grads_batched=True)
    return (rows.reshape(out.shape + x.shape),)


def jacobian_columns(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    # Dual numbers: the tangent rides along with x through f.
    columns = []
    for j in range(x.numel()):
        tangent = torch.zeros(x.numel(), dtype=x.dtype)
        tangent[j] = 1
        with fwAD.dual_level():
            out = f(fwAD.make_dual(x.contiguous(), tangent.reshape(x.shape)))
            columns.append(fwAD.unpack_dual(out).tangent.clone())
    return (torch.stack(columns, dim=-1).reshape(columns[0].shape + x.shape),)


def accumulate_steps(model: Callable[[Tensor, Tensor], Tensor], w: Tensor, xs: Tensor, ys: Tensor, *, micro: int,
                     lr: float, steps: int) -> tuple[Tensor, Tensor]:
    # The usual training loop: an optimizer, zero_grad before each accumulation, chunked data.
    w = w.detach().clone().requires_grad_()
    optimizer = torch.optim.SGD([w], lr=lr)
    chunks = list(zip(xs.split(micro), ys.split(micro), strict=True))
    grad = torch.zeros_like(w)
    for _ in range(steps):
        optimizer.zero_grad()
        for xb, yb in chunks:
            loss = ((model(w, xb) - yb) ** 2).mean() / len(chunks)
            loss.backward()
        grad = w.grad.clone()
        optimizer.step()
    return w.detach(), grad


def per_sample_grads(model: Callable[[Tensor, Tensor], Tensor], w: Tensor, xs: Tensor,
                     ys: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    # torch.func: one gradient function, vmapped over the samples for the per-sample terms.
    def loss(w: Tensor, xs: Tensor, ys: Tensor) -> Tensor:
        return ((model(w, xs) - ys) ** 2).sum()

    grad_w, grad_xs = torch.func.grad(loss, argnums=(0, 1))(w, xs, ys)

    def one(w: Tensor, x: Tensor, y: Tensor) -> Tensor:
        return torch.func.grad(loss)(w, x[None], y[None])

    return grad_xs, grad_w, torch.func.vmap(one, in_dims=(None, 0, 0))(w, xs, ys)

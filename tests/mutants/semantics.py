"""Known-wrong variants of the reference solutions of the set ``semantics``: realistic mistakes."""

from __future__ import annotations

from collections.abc import Callable

import torch

Tensor = torch.Tensor


def jacobian_rows__no_zeroing(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    x = x.detach().clone().requires_grad_()
    out = f(x)
    rows = []
    for i in range(out.numel()):
        one_hot = torch.zeros(out.numel(), dtype=out.dtype)
        one_hot[i] = 1
        out.backward(one_hot.reshape(out.shape), retain_graph=True)
        rows.append(x.grad.clone())
    return (torch.stack(rows).reshape(out.shape + x.shape),)


def jacobian_rows__rows_not_copied(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    x = x.detach().clone().requires_grad_()
    out = f(x)
    rows = []
    for i in range(out.numel()):
        one_hot = torch.zeros(out.numel(), dtype=out.dtype)
        one_hot[i] = 1
        if x.grad is not None:
            x.grad.zero_()
        out.backward(one_hot.reshape(out.shape), retain_graph=True)
        rows.append(x.grad)
    return (torch.stack(rows).reshape(out.shape + x.shape),)


def jacobian_rows__no_retain_graph(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    x = x.detach().clone().requires_grad_()
    out = f(x)
    rows = []
    for i in range(out.numel()):
        one_hot = torch.zeros(out.numel(), dtype=out.dtype)
        one_hot[i] = 1
        x.grad = None
        out.backward(one_hot.reshape(out.shape))
        rows.append(x.grad.clone())
    return (torch.stack(rows).reshape(out.shape + x.shape),)


def jacobian_rows__transposed(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    x = x.detach().clone().requires_grad_()
    out = f(x)
    rows = []
    for i in range(out.numel()):
        one_hot = torch.zeros(out.numel(), dtype=out.dtype)
        one_hot[i] = 1
        x.grad = None
        out.backward(one_hot.reshape(out.shape), retain_graph=True)
        rows.append(x.grad.clone().reshape(-1))
    return (torch.stack(rows, dim=-1).reshape(x.shape + out.shape),)


def jacobian_rows__uses_the_helper(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    return (torch.autograd.functional.jacobian(f, x),)


def jacobian_columns__stacked_as_rows(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    columns = []
    for j in range(x.numel()):
        tangent = torch.zeros(x.numel(), dtype=x.dtype)
        tangent[j] = 1
        columns.append(torch.func.jvp(f, (x,), (tangent.reshape(x.shape),))[1].reshape(-1))
    out_shape = f(x).shape
    return (torch.stack(columns).reshape(out_shape + x.shape),)


def jacobian_columns__primal_not_tangent(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    columns = []
    for j in range(x.numel()):
        tangent = torch.zeros(x.numel(), dtype=x.dtype)
        tangent[j] = 1
        columns.append(torch.func.jvp(f, (x,), (tangent.reshape(x.shape),))[0])
    return (torch.stack(columns, dim=-1).reshape(columns[0].shape + x.shape),)


def jacobian_columns__ones_tangent(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    columns = [torch.func.jvp(f, (x,), (torch.ones_like(x),))[1] for _ in range(x.numel())]
    return (torch.stack(columns, dim=-1).reshape(columns[0].shape + x.shape),)


def jacobian_columns__reverse_mode(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    x = x.detach().clone().requires_grad_()
    out = f(x).reshape(-1)
    rows = [torch.autograd.grad(out[i], x, retain_graph=True)[0] for i in range(out.numel())]
    return (torch.stack(rows).reshape(f(x).shape + x.shape),)


def accumulate_steps__no_zeroing(model: Callable[[Tensor, Tensor], Tensor], w: Tensor, xs: Tensor, ys: Tensor, *,
                                 micro: int, lr: float, steps: int) -> tuple[Tensor, Tensor]:
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
    return w.detach(), grad


def accumulate_steps__not_scaled(model: Callable[[Tensor, Tensor], Tensor], w: Tensor, xs: Tensor, ys: Tensor, *,
                                 micro: int, lr: float, steps: int) -> tuple[Tensor, Tensor]:
    w = w.detach().clone().requires_grad_()
    k = len(xs) // micro
    grad = torch.zeros_like(w)
    for _ in range(steps):
        for b in range(k):
            rows = slice(b * micro, (b + 1) * micro)
            ((model(w, xs[rows]) - ys[rows]) ** 2).mean().backward()
        grad = w.grad.clone()
        with torch.no_grad():
            w -= lr * grad
        w.grad = None
    return w.detach(), grad


def accumulate_steps__zeroed_each_micro_batch(model: Callable[[Tensor, Tensor], Tensor], w: Tensor, xs: Tensor,
                                              ys: Tensor, *, micro: int, lr: float,
                                              steps: int) -> tuple[Tensor, Tensor]:
    w = w.detach().clone().requires_grad_()
    k = len(xs) // micro
    grad = torch.zeros_like(w)
    for _ in range(steps):
        for b in range(k):
            w.grad = None
            rows = slice(b * micro, (b + 1) * micro)
            (((model(w, xs[rows]) - ys[rows]) ** 2).mean() / k).backward()
        grad = w.grad.clone()
        with torch.no_grad():
            w -= lr * grad
    return w.detach(), grad


def accumulate_steps__update_each_micro_batch(model: Callable[[Tensor, Tensor], Tensor], w: Tensor, xs: Tensor,
                                              ys: Tensor, *, micro: int, lr: float,
                                              steps: int) -> tuple[Tensor, Tensor]:
    w = w.detach().clone().requires_grad_()
    k = len(xs) // micro
    grad = torch.zeros_like(w)
    for _ in range(steps):
        total = torch.zeros_like(w)
        for b in range(k):
            rows = slice(b * micro, (b + 1) * micro)
            (((model(w, xs[rows]) - ys[rows]) ** 2).mean() / k).backward()
            total += w.grad
            with torch.no_grad():
                w -= lr * w.grad
            w.grad = None
        grad = total
    return w.detach(), grad


def accumulate_steps__returns_the_zeroed_grad(model: Callable[[Tensor, Tensor], Tensor], w: Tensor, xs: Tensor,
                                              ys: Tensor, *, micro: int, lr: float,
                                              steps: int) -> tuple[Tensor, Tensor]:
    w = w.detach().clone().requires_grad_()
    k = len(xs) // micro
    grad = torch.zeros_like(w)
    for _ in range(steps):
        for b in range(k):
            rows = slice(b * micro, (b + 1) * micro)
            (((model(w, xs[rows]) - ys[rows]) ** 2).mean() / k).backward()
        grad = w.grad
        with torch.no_grad():
            w -= lr * grad
        w.grad.zero_()
    return w.detach(), grad


def per_sample_grads__input_grads_summed(model: Callable[[Tensor, Tensor], Tensor], w: Tensor, xs: Tensor,
                                         ys: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    xs = xs.detach().clone().requires_grad_()
    w = w.detach().clone().requires_grad_()
    ((model(w, xs) - ys) ** 2).sum().backward()
    each = [torch.autograd.grad(((model(w, xs[i:i + 1]) - ys[i:i + 1]) ** 2).sum(), w)[0] for i in range(len(xs))]
    return xs.grad.sum(0), w.grad, torch.stack(each)


def per_sample_grads__mean_loss(model: Callable[[Tensor, Tensor], Tensor], w: Tensor, xs: Tensor,
                                ys: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    xs = xs.detach().clone().requires_grad_()
    w = w.detach().clone().requires_grad_()
    ((model(w, xs) - ys) ** 2).mean().backward()
    each = [torch.autograd.grad(((model(w, xs[i:i + 1]) - ys[i:i + 1]) ** 2).mean(), w)[0] for i in range(len(xs))]
    return xs.grad, w.grad, torch.stack(each)


def per_sample_grads__per_sample_not_zeroed(model: Callable[[Tensor, Tensor], Tensor], w: Tensor, xs: Tensor,
                                            ys: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    xs = xs.detach().clone().requires_grad_()
    w = w.detach().clone().requires_grad_()
    ((model(w, xs) - ys) ** 2).sum().backward()
    grad_xs, grad_w = xs.grad.clone(), w.grad.clone()
    w.grad = None
    each = []
    for i in range(len(xs)):
        ((model(w, xs[i:i + 1]) - ys[i:i + 1]) ** 2).sum().backward()
        each.append(w.grad.clone())
    return grad_xs, grad_w, torch.stack(each)


def per_sample_grads__total_split_evenly(model: Callable[[Tensor, Tensor], Tensor], w: Tensor, xs: Tensor,
                                         ys: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    xs = xs.detach().clone().requires_grad_()
    w = w.detach().clone().requires_grad_()
    ((model(w, xs) - ys) ** 2).sum().backward()
    return xs.grad, w.grad, (w.grad / len(xs)).expand(len(xs), *w.shape).clone()

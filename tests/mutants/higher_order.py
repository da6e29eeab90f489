"""Known-wrong variants of the reference solutions of the set ``higher_order``: realistic mistakes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

Tensor = torch.Tensor


def hvp__no_create_graph(f: Callable[[Tensor], Tensor], x: Tensor, v: Tensor) -> tuple[Tensor]:
    x = x.detach().clone().requires_grad_()
    (g,) = torch.autograd.grad(f(x), x)
    (hv,) = torch.autograd.grad((g * v).sum(), x)
    return (hv,)


def hvp__ignores_v(f: Callable[[Tensor], Tensor], x: Tensor, v: Tensor) -> tuple[Tensor]:
    x = x.detach().clone().requires_grad_()
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    (hv,) = torch.autograd.grad(g.sum(), x)
    return (hv,)


def hvp__gradient_times_v(f: Callable[[Tensor], Tensor], x: Tensor, v: Tensor) -> tuple[Tensor]:
    x = x.detach().clone().requires_grad_()
    (g,) = torch.autograd.grad(f(x), x)
    return (g * v,)


def hvp__finite_difference(f: Callable[[Tensor], Tensor], x: Tensor, v: Tensor) -> tuple[Tensor]:
    def gradient(at: Tensor) -> Tensor:
        at = at.detach().clone().requires_grad_()
        return torch.autograd.grad(f(at), at)[0]

    eps = 1e-6
    return ((gradient(x + eps * v) - gradient(x)) / eps,)


def hessian__no_create_graph(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    x = x.detach().clone().requires_grad_()
    (g,) = torch.autograd.grad(f(x), x)
    flat = g.reshape(-1)
    rows = [torch.autograd.grad(flat[i], x, retain_graph=True)[0] for i in range(flat.numel())]
    return (torch.stack(rows).reshape(x.shape + x.shape),)


def hessian__diagonal_only(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    x = x.detach().clone().requires_grad_()
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    flat = g.reshape(-1)
    diagonal = torch.stack([torch.autograd.grad(flat[i], x, retain_graph=True)[0].reshape(-1)[i]
                            for i in range(flat.numel())])
    return (torch.diag(diagonal).reshape(x.shape + x.shape),)


def hessian__flattened(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    x = x.detach().clone().requires_grad_()
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    flat = g.reshape(-1)
    rows = [torch.autograd.grad(flat[i], x, retain_graph=True)[0].reshape(-1) for i in range(flat.numel())]
    return (torch.stack(rows),)


def hessian__rows_accumulated(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    x = x.detach().clone().requires_grad_()
    (g,) = torch.autograd.grad(f(x), x, create_graph=True)
    flat = g.reshape(-1)
    rows = []
    for i in range(flat.numel()):
        flat[i].backward(retain_graph=True)
        rows.append(x.grad.clone())
    return (torch.stack(rows).reshape(x.shape + x.shape),)


class XSinX__saved_cos(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor) -> Tensor:
        ctx.save_for_backward(x, torch.cos(x))
        return x * torch.sin(x)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Tensor:
        x, cos_x = ctx.saved_tensors
        return grad * (torch.sin(x) + x * cos_x)


class XSinX__once_differentiable(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return x * torch.sin(x)

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx: Any, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * (torch.sin(x) + x * torch.cos(x))


class XSinX__detached(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return x * torch.sin(x)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        x = x.detach()
        return grad * (torch.sin(x) + x * torch.cos(x))


class XSinX__one_term(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return x * torch.sin(x)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        return grad * x * torch.cos(x)


class XSinX__autograd_inside(torch.autograd.Function):
    @staticmethod
    def forward(ctx: Any, x: Tensor) -> Tensor:
        ctx.save_for_backward(x)
        return x * torch.sin(x)

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Tensor:
        (x,) = ctx.saved_tensors
        with torch.enable_grad():
            leaf = x.detach().requires_grad_()
            return torch.autograd.grad(leaf * torch.sin(leaf), leaf, grad, create_graph=True)[0]

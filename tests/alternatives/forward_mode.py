"""Correct implementations written differently from the reference: each must get full marks."""

from __future__ import annotations

from collections.abc import Callable

import torch
import torch.autograd.forward_ad as fwAD

Tensor = torch.Tensor


def mul_jvp(x: Tensor, y: Tensor, x_dot: Tensor, y_dot: Tensor) -> tuple[Tensor]:
    return (torch.addcmul(x * y_dot, x_dot, y),)


def matmul_jvp(a: Tensor, b: Tensor, a_dot: Tensor, b_dot: Tensor) -> tuple[Tensor]:
    # Bilinearity: (a + ȧ)(b + ḃ) - ab - ȧḃ = ȧb + aḃ.
    return ((a + a_dot) @ (b + b_dot) - a @ b - a_dot @ b_dot,)


def softmax_jvp(x: Tensor, x_dot: Tensor, *, dim: int) -> tuple[Tensor]:
    # The Jacobian diag(s) - s sᵀ of every slice, built and applied (dim moved last and back).
    if x.dim() == 0:
        return (torch.zeros_like(x),)
    s = torch.softmax(x, dim=dim).movedim(dim, -1)
    jac = torch.diag_embed(s) - s[..., :, None] * s[..., None, :]
    out = (jac @ x_dot.movedim(dim, -1)[..., None])[..., 0]
    return (out.movedim(-1, dim),)


def jacobian_best_mode(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    # Hand-made loops: dual-number columns when inputs are fewer, one-hot gradient rows otherwise.
    with torch.no_grad():
        out_shape = f(x).shape
    n, m = x.numel(), out_shape.numel()
    if n < m:
        columns = []
        for j in range(n):
            with fwAD.dual_level():
                tangent = torch.zeros(n, dtype=x.dtype)
                tangent[j] = 1
                columns.append(fwAD.unpack_dual(f(fwAD.make_dual(x, tangent.reshape(x.shape)))).tangent.clone())
        return (torch.stack(columns, dim=-1).reshape(out_shape + x.shape),)
    leaf = x.detach().clone().requires_grad_()
    out = f(leaf).reshape(-1)
    rows = [torch.autograd.grad(out[i], leaf, retain_graph=True)[0] for i in range(m)]
    return (torch.stack(rows).reshape(out_shape + x.shape),)

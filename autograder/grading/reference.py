"""Trusted oracles, computed in the grader process only: torch autograd on the op's own forward."""

from __future__ import annotations

import torch

from autograder.registry import Case, Op

Tensor = torch.Tensor


def forward(op: Op, case: Case) -> Tensor:
    with torch.no_grad():
        return op.forward(*case.inputs, **case.params)


def cotangent(out: Tensor, gen: torch.Generator) -> Tensor:
    """A random, non-uniform cotangent: an all-ones one would hide a backward that ignores ``grad``."""
    return torch.randn(out.shape, generator=gen, dtype=torch.float64).to(out.dtype)


def vjp(op: Op, case: Case, grad: Tensor) -> list[Tensor | None]:
    """What torch autograd says each input's gradient is (``None`` for non-differentiable inputs)."""
    leaves = [t.detach().clone() for t in case.inputs]
    wrt = [i for i, t in enumerate(leaves) if op.is_differentiable(i) and t.is_floating_point()]
    for i in wrt:
        leaves[i].requires_grad_(True)
    with torch.enable_grad():
        out = op.forward(*leaves, **case.params)
        # <out, grad> has exactly the VJP as its gradient; passing grad_outputs instead would import sympy
        # (a third of a second of every grading run) through torch's shape checks.
        grads = torch.autograd.grad((out * grad).sum(), [leaves[i] for i in wrt], allow_unused=True,
                                    materialize_grads=True) if wrt else ()
    result: list[Tensor | None] = [None] * len(leaves)
    for i, g in zip(wrt, grads, strict=True):
        result[i] = g
    return result

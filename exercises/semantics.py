"""Exercise set ``semantics``: how ``backward()`` behaves, practised in torch itself.

Here you call autograd (``backward()``, ``torch.autograd.grad``, ``torch.func``): the exercises are about what
it computes and how gradients add up. Functions such as ``f`` and ``model`` are passed to you by the grader
(from ``autograder.library``); call them on tensors. A few exercises forbid the helper that would skip their
point (each page says which). Check your work with ``python -m autograder check semantics``.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

Tensor = torch.Tensor


def jacobian_rows(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    """J[i, j] = d f(x)[i] / d x[j], of shape f(x).shape + x.shape, one backward() call per row. Return (J,)."""
    raise NotImplementedError("jacobian_rows: call out.backward(one_hot, retain_graph=True) once per output entry, "
                              "clearing x.grad and copying each row")


def jacobian_columns(f: Callable[[Tensor], Tensor], x: Tensor) -> tuple[Tensor]:
    """The same J, one forward-mode pass (torch.func.jvp with a one-hot tangent) per column. Return (J,)."""
    raise NotImplementedError("jacobian_columns: call torch.func.jvp(f, (x,), (one_hot,)) once per input entry and "
                              "stack the tangents as columns")


def accumulate_steps(model: Callable[[Tensor, Tensor], Tensor], w: Tensor, xs: Tensor, ys: Tensor, *, micro: int,
                     lr: float, steps: int) -> tuple[Tensor, Tensor]:
    """`steps` SGD steps on mean((model(w, xs) - ys)²), each accumulated over micro-batches of `micro` rows.
    Return (final w, the gradient used in the last step)."""
    raise NotImplementedError("accumulate_steps: per step, backward() each micro-batch loss divided by their number, "
                              "update w under no_grad, then clear w.grad")


def per_sample_grads(model: Callable[[Tensor, Tensor], Tensor], w: Tensor, xs: Tensor,
                     ys: Tensor) -> tuple[Tensor, Tensor, Tensor]:
    """For L = Σ_i Σ (model(w, xs)[i] - ys[i])²: return (dL/dxs, dL/dw, the per-sample dl_i/dw stacked)."""
    raise NotImplementedError("per_sample_grads: one backward() of the summed loss for dL/dxs and dL/dw, then one "
                              "gradient per sample for the stacked per-sample weight gradients")

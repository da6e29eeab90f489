"""Why a gradient is wrong: the answer is matched against known-wrong variants of the right one.

Each check is a named mistake students make (ignoring ``grad``, not summing broadcast dimensions, a
swapped, negated, scaled or transposed gradient, dtype drift...). A check only speaks when the student's
answer really equals that variant, so a diagnosis is a finding, not a guess.
"""

from __future__ import annotations

from collections.abc import Callable

import torch

from autograder.registry import Case, Op

Tensor = torch.Tensor


def _close(a: Tensor, b: Tensor) -> bool:
    return a.shape == b.shape and a.numel() > 0 and bool(
        torch.isclose(a.double(), b.double(), rtol=1e-5, atol=1e-7, equal_nan=True).all())


def diagnose(op: Op, case: Case, grad: Tensor, expected: list[Tensor | None], actual: list[Tensor | None],
             index: int, vjp: Callable[[Tensor], list[Tensor | None]]) -> list[str]:
    """Findings about input ``index``'s gradient; ``vjp(g)`` recomputes the reference for another cotangent."""
    a, e = actual[index], expected[index]
    name = op.args[index]
    if a is None or e is None:
        return []
    found: list[str] = []
    if a.shape != e.shape:
        out_shape = tuple(grad.shape)
        if tuple(a.shape) == out_shape:
            found.append(f"`{name}` was broadcast from {tuple(e.shape)} to the output's shape {out_shape}: "
                         f"sum the gradient over the broadcast dimensions to get back to {tuple(e.shape)}.")
        elif a.numel() == e.numel():
            found.append(f"the gradient has the right number of elements but the wrong shape: reshape or "
                         f"transpose it to {tuple(e.shape)} (was a `keepdim` or a transpose lost?).")
        elif e.dim() == a.dim() + 1 or (e.dim() == a.dim() and 1 in e.shape):
            found.append("a dimension of size 1 went missing: keep it (`keepdim=True`) when you sum.")
        return found
    if a.dtype != e.dtype:
        found.append(f"the gradient drifted to {a.dtype}: keep each gradient in its input's dtype "
                     f"(a float64 constant or `torch.ones` default can promote float32).")
        return found
    if a.numel() == 0:
        return found
    ones = vjp(torch.ones_like(grad))[index]
    if ones is not None and _close(a, ones) and not _close(ones, e):
        found.append("your answer is what you get when `grad` is all ones: multiply by `grad` "
                     "(it is the gradient flowing in from the rest of the graph).")
    if _close(a, -e):
        found.append("the sign is flipped.")
    for j, other in enumerate(expected):
        if j != index and other is not None and _close(a, other) and not _close(e, other):
            found.append(f"this is the gradient of `{op.args[j]}`: the two gradients are swapped.")
    if e.dim() >= 2 and a.shape == e.mT.shape and _close(a, e.mT.contiguous()) and not _close(a, e):
        found.append("this is the transpose of the right gradient (check which side each matrix goes on).")
    denom = float((e.double() * e.double()).sum())
    if denom > 0 and not found:
        scale = float((a.double() * e.double()).sum()) / denom
        if abs(scale - 1) > 1e-3 and abs(scale) > 1e-6 and _close(a, e * scale):
            found.append(f"off by a constant factor: your gradient is {scale:.4g} times the right one.")
    if not found and "point" in case.label:
        wrong = ~torch.isclose(a.double(), e.double(), rtol=1e-5, atol=1e-7, equal_nan=True)
        if wrong.any():
            at = case.inputs[index][wrong] if case.inputs[index].shape == wrong.shape else None
            where = f" (at {name} = {at.tolist()})" if at is not None and at.numel() <= 8 else ""
            found.append(f"the values differ only at special points{where}: check the convention at kinks "
                         f"and ties stated on the exercise page.")
    return found

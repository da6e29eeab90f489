"""Helpers the reference solutions share. A submission may have its own helpers.py beside its set modules."""

from __future__ import annotations

import torch

Tensor = torch.Tensor


def sum_to(t: Tensor, shape: torch.Size | tuple[int, ...]) -> Tensor:
    """Sum ``t`` down to ``shape``: the adjoint of broadcasting ``shape`` up to ``t.shape``.

    Sums away the dimensions broadcasting prepended, then every dimension where ``shape`` has size 1.
    """
    lead = t.dim() - len(shape)
    if lead:
        t = t.sum(dim=tuple(range(lead)))
    ones = tuple(i for i, n in enumerate(shape) if n == 1 and t.shape[i] != 1)
    if ones:
        t = t.sum(dim=ones, keepdim=True)
    return t

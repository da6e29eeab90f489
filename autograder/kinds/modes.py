"""Kind ``modes``: a call, and whether the student evaluated the library function in forward mode, reverse mode
or both, counted by an identity op on its output whose forward-mode and reverse-mode rules count calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from autograder.kinds.base import Kind

Tensor = torch.Tensor


_passes = {"forward": 0, "reverse": 0}


class _CountPasses(torch.autograd.Function):
    """The identity, counting how often autograd runs its forward-mode and reverse-mode rules."""

    generate_vmap_rule = True  # jacfwd and jacrev batch their passes with vmap: one batched pass counts once

    @staticmethod
    def forward(y: Tensor) -> Tensor:
        return y.clone()

    @staticmethod
    def setup_context(ctx: Any, inputs: tuple[Any, ...], output: Tensor) -> None:
        pass

    @staticmethod
    def backward(ctx: Any, grad: Tensor) -> Tensor:
        _passes["reverse"] += 1
        return grad

    @staticmethod
    def jvp(ctx: Any, tangent: Tensor) -> Tensor:
        _passes["forward"] += 1
        return tangent


def _modes(function: Any, named: list[Callable[..., Tensor]], arrays: list[Tensor],
           params: dict[str, Any]) -> tuple[Any, list[Tensor]]:
    _passes.update(forward=0, reverse=0)
    counted = [lambda *xs, f=f: _CountPasses.apply(f(*xs)) for f in named]
    out = function(*counted, *arrays, **params)
    used = [torch.tensor(float(_passes[mode] > 0), dtype=torch.float64) for mode in ("forward", "reverse")]
    return out, used


MODES = Kind("modes", _modes)

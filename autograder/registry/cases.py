"""Test cases and the shape families they are drawn from.

A case is one call of a student's backward: its tensor inputs (any dtype, any layout, possibly
non-contiguous views), its keyword parameters and a label that says in words what is special about it.
Cases are generated from a seeded ``torch.Generator``, so the same seed always gives the same cases.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

Tensor = torch.Tensor
Shape = tuple[int, ...]
Sampler = Callable[[Shape, torch.Generator], Tensor]


@dataclass(frozen=True)
class Case:
    label: str
    inputs: tuple[Tensor, ...]
    params: dict[str, Any] = field(default_factory=dict)
    rank: int | None = None
    """Where to report this case among its op's failures, when input size is not the right measure (graph
    programs: the named behaviours before random graphs); None means by size."""

    @property
    def size(self) -> int:
        """How big the case is, to report the smallest failing one first."""
        if self.rank is not None:
            return self.rank
        return sum(t.numel() for t in self.inputs) + len(self.inputs)

    @property
    def empty(self) -> bool:
        """Cases with empty tensors are reported last: they explain least."""
        return any(t.numel() == 0 for t in self.inputs)

    def shapes(self) -> str:
        return ", ".join(str(tuple(t.shape)) for t in self.inputs)


def normal(shape: Shape, gen: torch.Generator) -> Tensor:
    return torch.randn(shape, generator=gen, dtype=torch.float64)


def positive(shape: Shape, gen: torch.Generator) -> Tensor:
    """Values in [0.2, 3.2): inside the domain of log, sqrt, 1/x and x**p."""
    return torch.rand(shape, generator=gen, dtype=torch.float64) * 3 + 0.2


BROADCAST_PAIRS: tuple[tuple[Shape, Shape], ...] = (
    ((3,), (3,)),
    ((2, 3), (2, 3)),
    ((), (3,)),
    ((3,), ()),
    ((3, 1), (1, 4)),
    ((2, 3, 4), (4,)),
    ((4,), (2, 3, 4)),
    ((2, 1, 4), (3, 1)),
    ((1,), (2, 3)),
    ((0, 3), (3,)),
)
"""Shape pairs for binary ops: equal shapes, 0-d, size-1 dims, prepended dims, both sides, empty."""

UNARY_SHAPES: tuple[Shape, ...] = ((), (1,), (5,), (3, 4), (2, 3, 4), (0, 3))


def transposed(t: Tensor) -> Tensor:
    """The same values in a non-contiguous (transposed) layout."""
    return t.mT.contiguous().mT if t.dim() >= 2 else t


def expanded(t: Tensor, shape: Shape) -> Tensor:
    """A stride-0 broadcast view of ``t`` with the given shape."""
    return t.expand(shape)


def with_dtype(cases: Sequence[Case], dtype: torch.dtype) -> list[Case]:
    """The same cases in another floating dtype (integer inputs, such as indices, are kept)."""
    out = []
    for case in cases:
        inputs = tuple(t.to(dtype) if t.is_floating_point() else t for t in case.inputs)
        out.append(Case(f"{case.label}, {str(dtype).removeprefix('torch.')}", inputs, dict(case.params)))
    return out


def unary_cases(sample: Sampler = normal, points: Sequence[float] = ()) -> Callable[[torch.Generator], list[Case]]:
    """Cases for an elementwise unary op: every shape family, two layouts, float32, and exact points."""

    def make(gen: torch.Generator) -> list[Case]:
        cases = [Case(f"shape {shape}", (sample(shape, gen),)) for shape in UNARY_SHAPES]
        cases.append(Case("transposed (non-contiguous) input", (transposed(sample((3, 4), gen)),)))
        cases.append(Case("expanded (stride-0) input", (expanded(sample((1, 4), gen), (3, 4)),)))
        if points:
            cases.append(Case(f"at the points {list(points)}", (torch.tensor(points, dtype=torch.float64),)))
        return cases + with_dtype(cases[2:4], torch.float32)

    return make


def binary_cases(sample_x: Sampler = normal, sample_y: Sampler = normal,
                 points: Sequence[tuple[float, float]] = ()) -> Callable[[torch.Generator], list[Case]]:
    """Cases for a broadcasting binary op: every pair in BROADCAST_PAIRS, layouts, float32, exact points."""

    def make(gen: torch.Generator) -> list[Case]:
        cases = [Case(f"shapes {sx} and {sy}", (sample_x(sx, gen), sample_y(sy, gen)))
                 for sx, sy in BROADCAST_PAIRS]
        cases.append(Case("transposed x, expanded y",
                          (transposed(sample_x((3, 4), gen)), expanded(sample_y((1, 4), gen), (3, 4)))))
        if points:
            xs, ys = zip(*points, strict=True)
            cases.append(Case(f"at the points {list(points)}",
                              (torch.tensor(xs, dtype=torch.float64), torch.tensor(ys, dtype=torch.float64))))
        return cases + with_dtype(cases[4:6], torch.float32)

    return make

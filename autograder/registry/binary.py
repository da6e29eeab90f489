"""Set ``binary``: elementwise ops of two tensors, with broadcasting (teaches summing to a shape)."""

from __future__ import annotations

import torch

from autograder.registry import declare
from autograder.registry.cases import (
    Case,
    Shape,
    binary_cases,
    domain,
    expanded,
    normal,
    positive,
    transposed,
    with_dtype,
)
from autograder.registry.op import Convention

Tensor = torch.Tensor
INF, NAN = float("inf"), float("nan")


@domain(r"${v}$ of either sign with $0.5 \le |{v}| < 2.5$")
def _away_from_zero(shape: Shape, gen: torch.Generator) -> Tensor:
    """A divisor far from the pole at 0."""
    magnitude = torch.rand(shape, generator=gen, dtype=torch.float64) * 2 + 0.5
    sign = torch.randint(0, 2, shape, generator=gen).to(torch.float64) * 2 - 1
    return magnitude * sign


def _condition(shape: Shape, gen: torch.Generator) -> Tensor:
    return torch.rand(shape, generator=gen, dtype=torch.float64) < 0.5


WHERE_SHAPES: tuple[tuple[Shape, Shape, Shape], ...] = (
    ((3,), (3,), (3,)),
    ((2, 3), (2, 3), (2, 3)),
    ((2, 3), (), (3,)),
    ((), (3,), (3,)),
    ((3, 1), (1, 4), (4,)),
    ((2, 1, 4), (3, 1), (4,)),
    ((2, 3, 4), (4,), (2, 1, 1)),
    ((1,), (2, 3), (1, 3)),
    ((0, 3), (3,), (3,)),
)
"""Shapes of (condition, x, y): all three broadcast, and each in turn is the smallest or the largest."""


def _where_cases(gen: torch.Generator) -> list[Case]:
    cases = [Case(f"shapes {sc}, {sx} and {sy}", (_condition(sc, gen), normal(sx, gen), normal(sy, gen)))
             for sc, sx, sy in WHERE_SHAPES]
    cases.append(Case("expanded condition, transposed x, expanded y",
                      (expanded(_condition((1, 4), gen), (3, 4)), transposed(normal((3, 4), gen)),
                       expanded(normal((3, 1), gen), (3, 4)))))
    return cases + with_dtype(cases[4:6], torch.float32)


MUL = declare.vjp(name="mul", set="binary", forward=torch.mul, args=("x", "y"), cases=binary_cases())

ADD = declare.vjp(name="add", set="binary", forward=torch.add, args=("x", "y"), cases=binary_cases())

SUB = declare.vjp(name="sub", set="binary", forward=torch.sub, args=("x", "y"), cases=binary_cases())

DIV = declare.vjp(
    name="div", set="binary", forward=torch.div, args=("x", "y"), cases=binary_cases(normal, _away_from_zero),
    conventions=(
        Convention("x / 0 for x = 1, 0, -1", ([1.0, 0.0, -1.0], [0.0, 0.0, 0.0]),
                   ([INF, INF, INF], [-INF, NAN, INF])),
    ),
)

POW = declare.vjp(
    name="pow", set="binary", forward=torch.pow, args=("x", "y"),
    cases=binary_cases(positive, normal, points=((0.0, 0.0), (0.0, 2.0), (0.0, 1.0), (0.0, 3.0), (2.0, 0.0))),
    conventions=(
        Convention("0 ** 0 = 1", ([0.0], [0.0]), ([0.0], [0.0])),
        Convention("0 ** 2 = 0", ([0.0], [2.0]), ([0.0], [0.0])),
        Convention("0 ** 0.5 = 0", ([0.0], [0.5]), ([INF], [0.0])),
    ),
)

MAXIMUM = declare.vjp(
    name="maximum", set="binary", forward=torch.maximum, args=("x", "y"),
    cases=binary_cases(points=((1.0, 1.0), (2.0, -1.0), (-0.5, 3.0), (0.0, 0.0))),
    conventions=(Convention("x == y (a tie)", ([1.0, 2.0], [1.0, -1.0]), ([0.5, 1.0], [0.5, 0.0])),),
)

MINIMUM = declare.vjp(
    name="minimum", set="binary", forward=torch.minimum, args=("x", "y"),
    cases=binary_cases(points=((1.0, 1.0), (2.0, -1.0), (-0.5, 3.0), (0.0, 0.0))),
    conventions=(Convention("x == y (a tie)", ([1.0, 2.0], [1.0, -1.0]), ([0.5, 0.0], [0.5, 1.0])),),
)

WHERE = declare.vjp(
    name="where", set="binary", forward=torch.where, args=("condition", "x", "y"), differentiable=(False, True, True),
    cases=_where_cases,
)

OPS = [MUL, ADD, SUB, DIV, POW, MAXIMUM, MINIMUM, WHERE]

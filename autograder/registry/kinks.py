"""Set ``kinks``: elementwise ops with kinks (teaches: conventions at non-differentiable points)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from autograder.registry import declare
from autograder.registry.cases import Case, Shape, normal, transposed, unary_param_cases, wide, with_dtype
from autograder.registry.op import Convention

Tensor = torch.Tensor

KINK_POINTS = (-1.0, -1e-30, -0.0, 0.0, 1e-30, 1.0)
"""Both zeros and the nearest neighbours on each side (1e-30 survives the cast to float32)."""

CLAMP_TRIPLES: tuple[tuple[Shape, Shape, Shape], ...] = (
    ((5,), (5,), (5,)),
    ((2, 3), (), ()),
    ((2, 3), (3,), (2, 1)),
    ((), (4,), (4,)),
    ((3, 1), (1, 4), (1, 4)),
    ((2, 3, 4), (4,), (3, 1)),
    ((3,), (2, 1), (2, 1)),
    ((0, 3), (3,), ()),
)
"""Shapes of (x, lo, hi): equal, 0-d bounds, bounds broadcast along either side, x itself broadcast, empty.

torch 2.13.0's own backward raises when x and one bound alone do not broadcast to the output's shape (it
combines masks in place), e.g. x (3, 1), lo (1, 4), hi (): there is no reference there, so x broadcast with
each bound always reaches the full shape here."""


def _lower(shape: Shape, gen: torch.Generator) -> Tensor:
    """Lower bounds in [-1.5, -0.1)."""
    return -(torch.rand(shape, generator=gen, dtype=torch.float64) * 1.4 + 0.1)


def _upper(shape: Shape, gen: torch.Generator) -> Tensor:
    """Upper bounds in [0.1, 1.5): always above the lower ones, so x lands below, inside and above."""
    return torch.rand(shape, generator=gen, dtype=torch.float64) * 1.4 + 0.1


def clamp_tensor_cases(gen: torch.Generator) -> list[Case]:
    """Broadcasting triples, non-contiguous and stride-0 layouts, float32, and planted ties at both bounds."""
    cases = [Case(f"shapes {sx}, {sl} and {sh}", (normal(sx, gen) * 1.5, _lower(sl, gen), _upper(sh, gen)))
             for sx, sl, sh in CLAMP_TRIPLES]
    cases.append(Case("transposed x, expanded lo and hi",
                      (transposed(normal((3, 4), gen) * 1.5), _lower((1, 4), gen).expand(3, 4),
                       _upper((3, 1), gen).expand(3, 4))))
    ties = Case("at the points x = [-1, -0.5, 0, 0.5, 1], lo = -0.5, hi = [0.5] (ties at both bounds)",
                (torch.tensor([-1.0, -0.5, 0.0, 0.5, 1.0], dtype=torch.float64),
                 torch.tensor(-0.5, dtype=torch.float64), torch.tensor([0.5], dtype=torch.float64)))
    cases.append(ties)
    return cases + with_dtype([cases[2], cases[5], ties], torch.float32)


RELU = declare.vjp(
    name="relu", set="kinks", forward=torch.relu, args=("x",),
    cases=unary_param_cases([({}, normal)], points=KINK_POINTS),
    conventions=(Convention("relu'(0) = 0", ([-1.0, 0.0, -0.0, 1.0],), ([0.0, 0.0, 0.0, 1.0],)),),
)

LEAKY_RELU = declare.vjp(
    name="leaky_relu", set="kinks", forward=lambda x, *, negative_slope: F.leaky_relu(x, negative_slope), args=("x",),
    params=("negative_slope",),
    cases=unary_param_cases([({"negative_slope": 0.01}, normal), ({"negative_slope": 0.2}, normal)],
                            points=KINK_POINTS),
    conventions=(
        Convention("leaky_relu'(0) = negative_slope = 0.1", ([-1.0, 0.0, 1.0],), ([0.1, 0.1, 1.0],),
                   {"negative_slope": 0.1}),
        Convention("leaky_relu'(0) = negative_slope = 0.01, also at -0", ([0.0, -0.0],), ([0.01, 0.01],),
                   {"negative_slope": 0.01}),
    ),
)

ABS = declare.vjp(
    name="abs", set="kinks", forward=torch.abs, args=("x",),
    cases=unary_param_cases([({}, normal)], points=KINK_POINTS),
    conventions=(Convention("abs'(0) = 0", ([-2.0, 0.0, -0.0, 2.0],), ([-1.0, 0.0, 0.0, 1.0],)),),
)

CLAMP = declare.vjp(
    name="clamp", set="kinks", forward=lambda x, *, min, max: torch.clamp(x, min, max), args=("x",),
    params=("min", "max"),
    cases=unary_param_cases([
        ({"min": -0.5, "max": 0.5}, normal),
        ({"min": 0.0, "max": None}, normal),
        ({"min": None, "max": 1.0}, normal),
        ({"min": -1.0, "max": 2.0}, wide),
    ], points=(-1.0, -0.5, 0.0, 0.5, 1.0, 2.0)),
    conventions=(
        Convention("min = 0, max = 1: gradient 1 at both bounds (torch 2.13.0)", ([-1.0, 0.0, 0.5, 1.0, 2.0],),
                   ([0.0, 1.0, 1.0, 1.0, 0.0],), {"min": 0.0, "max": 1.0}),
        Convention("min = 0, max = None: gradient 1 at x = min", ([-1.0, 0.0, 1.0],), ([0.0, 1.0, 1.0],),
                   {"min": 0.0, "max": None}),
        Convention("min = None, max = 1: gradient 1 at x = max", ([0.0, 1.0, 2.0],), ([1.0, 1.0, 0.0],),
                   {"min": None, "max": 1.0}),
        Convention("min = 1 > max = 0: the output is the constant max, gradient 0", ([-1.0, 0.0, 0.5, 1.0, 2.0],),
                   ([0.0, 0.0, 0.0, 0.0, 0.0],), {"min": 1.0, "max": 0.0}),
    ),
)

CLAMP_TENSOR = declare.vjp(
    name="clamp_tensor", set="kinks", forward=torch.clamp, args=("x", "lo", "hi"), cases=clamp_tensor_cases,
    conventions=(
        Convention("a tie x = lo or x = hi gives the whole gradient to x (torch 2.13.0)",
                   ([-1.0, 0.0, 0.5, 1.0, 2.0], [0.0] * 5, [1.0] * 5),
                   ([0.0, 1.0, 1.0, 1.0, 0.0], [1.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 1.0])),
        Convention("a broadcast bound sums its gradient, ties still go to x",
                   ([[-1.0, 0.0, 2.0], [0.5, -3.0, 1.0]], 0.0, [1.0]),
                   ([[0.0, 1.0, 0.0], [1.0, 0.0, 1.0]], 2.0, [1.0])),
        Convention("lo > hi gives the output hi, and hi all the gradient",
                   ([-1.0, 0.5, 2.0], [1.0] * 3, [0.0] * 3), ([0.0] * 3, [0.0] * 3, [1.0] * 3)),
        Convention("lo = hi with x < lo: no input gets the gradient",
                   ([0.0, 0.5, 1.0], [0.5] * 3, [0.5] * 3), ([0.0, 1.0, 0.0], [0.0] * 3, [0.0, 0.0, 1.0])),
    ),
)

HARDTANH = declare.vjp(
    name="hardtanh", set="kinks", forward=lambda x, *, min_val, max_val: F.hardtanh(x, min_val, max_val), args=("x",),
    params=("min_val", "max_val"),
    cases=unary_param_cases([({"min_val": -1.0, "max_val": 1.0}, normal),
                             ({"min_val": 0.0, "max_val": 6.0}, wide)],
                            points=(-2.0, -1.0, 0.0, 1.0, 6.0, 7.0)),
    conventions=(
        Convention("bounds -1 and 1: gradient 0 at both bounds", ([-2.0, -1.0, 0.0, 1.0, 2.0],),
                   ([0.0, 0.0, 1.0, 0.0, 0.0],), {"min_val": -1.0, "max_val": 1.0}),
        Convention("bounds 0 and 6 (relu6): gradient 0 at 0 and at 6", ([0.0, 3.0, 6.0],), ([0.0, 1.0, 0.0],),
                   {"min_val": 0.0, "max_val": 6.0}),
    ),
)

SIGN = declare.vjp(
    name="sign", set="kinks", forward=torch.sign, args=("x",),
    cases=unary_param_cases([({}, normal)], points=KINK_POINTS),
    conventions=(Convention("sign'(x) = 0 everywhere, also at 0", ([-1.0, 0.0, -0.0, 2.0],),
                            ([0.0, 0.0, 0.0, 0.0],)),),
)

FLOOR = declare.vjp(
    name="floor", set="kinks", forward=torch.floor, args=("x",),
    cases=unary_param_cases([({}, wide)], points=(-2.0, -1.5, -0.0, 0.0, 0.5, 1.0, 2.0)),
    conventions=(Convention("floor'(x) = 0 everywhere, also at integers", ([-1.0, 0.0, 0.5, 2.0],),
                            ([0.0, 0.0, 0.0, 0.0],)),),
)

OPS = [RELU, LEAKY_RELU, ABS, CLAMP, CLAMP_TENSOR, HARDTANH, SIGN, FLOOR]

"""Set ``reductions``: reductions with dim, keepdim and dim=None (teaches: expanding the gradient back)."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import torch

from autograder.registry import declare
from autograder.registry.cases import DIM_KEEPDIM, EMPTY_DIM, Spec, reduction_cases, spec
from autograder.registry.op import Convention

Tensor = torch.Tensor
NAN = float("nan")
INF = float("inf")


def _quiet(forward: Callable[..., Tensor]) -> Callable[..., Tensor]:
    """The forward without torch's 'degrees of freedom <= 0' warning: the n=1 case is planted on purpose."""

    def call(*args: Any, **kwargs: Any) -> Tensor:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*degrees of freedom")
            return forward(*args, **kwargs)

    return call


SINGLE_DIM: tuple[Spec, ...] = (
    spec((2, 3, 4), dim=0, keepdim=False),
    spec((2, 3, 4), dim=-1, keepdim=True),
    spec((2, 3, 4), dim=1, keepdim=False),
    spec((), dim=0, keepdim=False),
    spec((5,), dim=0, keepdim=False),
    spec((5,), dim=-1, keepdim=True),
    spec((3, 1), dim=1, keepdim=False),
    spec((2, 3), dim=-2, keepdim=True),
    spec((0, 3), dim=1, keepdim=False),
    spec((3, 4), "transposed", dim=0, keepdim=False),
    spec((3, 4), "expanded", dim=1, keepdim=False),
)
"""An int dim only (max with a dim, logsumexp over one axis)."""

CORRECTION: tuple[Spec, ...] = (
    spec((2, 3, 4), dim=None, correction=1, keepdim=False),
    spec((2, 3, 4), dim=None, correction=0, keepdim=True),
    spec((2, 3, 4), dim=0, correction=1, keepdim=False),
    spec((2, 3, 4), dim=-1, correction=0, keepdim=True),
    spec((2, 3, 4), dim=[0, 2], correction=1, keepdim=False),
    spec((2, 3, 4), dim=[0, 2], correction=2, keepdim=True),
    spec((), dim=None, correction=0, keepdim=False),
    spec((5,), dim=0, correction=1, keepdim=False),
    spec((5,), dim=0, correction=2, keepdim=False),
    spec((3, 1), dim=0, correction=1, keepdim=False),
    spec((2, 3), dim=-2, correction=1, keepdim=True),
    spec((0, 3), dim=1, correction=1, keepdim=False),
    spec((3, 4), "transposed", dim=0, correction=1, keepdim=False),
    spec((3, 4), "expanded", dim=1, correction=1, keepdim=True),
)
"""var and std: the reduction specs with a correction of 0 (population), 1 (Bessel) or 2, always below n."""


SUM = declare.vjp(
    name="sum", set="reductions", forward=lambda x, *, dim, keepdim: torch.sum(x, dim=dim, keepdim=keepdim),
    args=("x",), params=("dim", "keepdim"), cases=reduction_cases((*DIM_KEEPDIM, EMPTY_DIM)),
)

MEAN = declare.vjp(
    name="mean", set="reductions", forward=lambda x, *, dim, keepdim: torch.mean(x, dim=dim, keepdim=keepdim),
    args=("x",), params=("dim", "keepdim"), cases=reduction_cases((*DIM_KEEPDIM, EMPTY_DIM)),
)

PROD = declare.vjp(
    name="prod", set="reductions",
    forward=lambda x, *, dim, keepdim: torch.prod(x) if dim is None else torch.prod(x, dim, keepdim=keepdim),
    args=("x",), params=("dim", "keepdim"),
    cases=reduction_cases(
        (
            spec((2, 3, 4), dim=None, keepdim=False),
            spec((2, 3), dim=0, keepdim=False),
            spec((2, 3, 4), dim=-1, keepdim=True),
            spec((2, 3, 4), dim=1, keepdim=False),
            spec((), dim=None, keepdim=False),
            spec((), dim=0, keepdim=True),
            spec((5,), dim=0, keepdim=False),
            spec((3, 1), dim=1, keepdim=False),
            spec((0, 3), dim=0, keepdim=False),
            spec((0, 3), dim=1, keepdim=True),
            spec((3, 4), "transposed", dim=0, keepdim=False),
            spec((3, 4), "expanded", dim=1, keepdim=True),
        ),
        points=(
            ([[0.0, 2.0, 3.0], [1.5, 0.0, 0.0], [2.0, -3.0, 0.5]], {"dim": 1, "keepdim": False}),
            ([[0.0, 2.0], [3.0, 4.0]], {"dim": None, "keepdim": False}),
            ([[0.0, 2.0], [0.0, 4.0], [5.0, 0.0]], {"dim": 0, "keepdim": True}),
        ),
        float32=(1, 2),
    ),
    conventions=(
        Convention("one zero: [0, 2, 3]", ([0.0, 2.0, 3.0],), ([6.0, 0.0, 0.0],),
                   {"dim": None, "keepdim": False}),
        Convention("two zeros: [0, 2, 0]", ([0.0, 2.0, 0.0],), ([0.0, 0.0, 0.0],),
                   {"dim": None, "keepdim": False}),
        Convention("one zero per row, dim=1", ([[0.0, 2.0, 3.0], [4.0, 0.5, 0.0]],),
                   ([[6.0, 0.0, 0.0], [0.0, 0.0, 2.0]],), {"dim": 1, "keepdim": False}),
    ),
)

AMAX = declare.vjp(
    name="amax", set="reductions", forward=lambda x, *, dim, keepdim: torch.amax(x, dim=dim, keepdim=keepdim),
    args=("x",), params=("dim", "keepdim"),
    cases=reduction_cases(
        (*DIM_KEEPDIM, spec((3, 4), "expanded", dim=0, keepdim=False)),
        points=(
            ([[3.0, 3.0, 1.0], [2.0, 2.0, 2.0]], {"dim": 1, "keepdim": False}),
            ([[1.0, 3.0], [3.0, 0.0]], {"dim": None, "keepdim": True}),
            ([[5.0, -1.0, 5.0], [5.0, 4.0, -2.0]], {"dim": [0, 1], "keepdim": False}),
        ),
    ),
    conventions=(
        Convention("[3, 3, 1]: two tied maxima", ([3.0, 3.0, 1.0],), ([0.5, 0.5, 0.0],),
                   {"dim": None, "keepdim": False}),
        Convention("a row of three equal entries, dim=1", ([[3.0, 3.0, 1.0], [1.0, 1.0, 1.0]],),
                   ([[0.5, 0.5, 0.0], [1 / 3, 1 / 3, 1 / 3]],), {"dim": 1, "keepdim": False}),
    ),
)

MAX_DIM = declare.vjp(
    name="max_dim", set="reductions", forward=lambda x, *, dim, keepdim: torch.max(x, dim=dim, keepdim=keepdim).values,
    args=("x",), params=("dim", "keepdim"),
    cases=reduction_cases(
        (*SINGLE_DIM, spec((3, 4), "expanded", dim=0, keepdim=True)),
        points=(
            ([[3.0, 3.0, 1.0], [1.0, 2.0, 2.0]], {"dim": 1, "keepdim": False}),
            ([[2.0, 5.0], [2.0, 1.0], [0.0, 5.0]], {"dim": 0, "keepdim": True}),
        ),
        float32=(0, 1),
    ),
    conventions=(
        Convention("[3, 3, 1]: two tied maxima", ([3.0, 3.0, 1.0],), ([1.0, 0.0, 0.0],),
                   {"dim": 0, "keepdim": False}),
    ),
)

LOGSUMEXP = declare.vjp(
    name="logsumexp", set="reductions", forward=lambda x, *, dim, keepdim: torch.logsumexp(x, dim=dim, keepdim=keepdim),
    args=("x",), params=("dim", "keepdim"),
    cases=reduction_cases(
        (
            spec((2, 3, 4), "large", dim=-1, keepdim=False),
            spec((2, 3, 4), dim=[0, 2], keepdim=False),
            spec((2, 3, 4), dim=[0, 1, 2], keepdim=True),
            *SINGLE_DIM,
        ),
        float32=(0, 1),
    ),
    conventions=(
        Convention("one entry is -inf", ([-INF, 0.0],), ([0.0, 1.0],), {"dim": 0, "keepdim": False}),
        Convention("every entry is -inf", ([-INF, -INF],), ([NAN, NAN],), {"dim": 0, "keepdim": False}),
    ),
)

VAR = declare.vjp(
    name="var", set="reductions",
    forward=_quiet(lambda x, *, dim, correction, keepdim: torch.var(x, dim=dim, correction=correction,
                                                                    keepdim=keepdim)),
    args=("x",), params=("dim", "correction", "keepdim"), cases=reduction_cases(CORRECTION),
    conventions=(
        Convention("n = 1 with correction=1", ([[2.0]],), ([[NAN]],),
                   {"dim": 1, "correction": 1, "keepdim": False}),
        Convention("n = 1 with correction=0", ([[2.0]],), ([[0.0]],),
                   {"dim": 1, "correction": 0, "keepdim": False}),
    ),
)

STD = declare.vjp(
    name="std", set="reductions",
    forward=_quiet(lambda x, *, dim, correction, keepdim: torch.std(x, dim=dim, correction=correction,
                                                                    keepdim=keepdim)),
    args=("x",), params=("dim", "correction", "keepdim"), cases=reduction_cases(CORRECTION),
    conventions=(
        Convention("a constant row, correction=1", ([[2.0, 2.0, 2.0]],), ([[0.0, 0.0, 0.0]],),
                   {"dim": 1, "correction": 1, "keepdim": False}),
        Convention("n = 1 with correction=1", ([[2.0]],), ([[NAN]],),
                   {"dim": 1, "correction": 1, "keepdim": False}),
    ),
)

NORM = declare.vjp(
    name="norm", set="reductions",
    forward=lambda x, *, dim, keepdim: torch.linalg.vector_norm(x, dim=dim, keepdim=keepdim), args=("x",),
    params=("dim", "keepdim"),
    cases=reduction_cases(
        DIM_KEEPDIM,
        points=(([[0.0, 0.0, 0.0], [3.0, 0.0, -4.0]], {"dim": -1, "keepdim": True}),
                ([[0.0, 0.0], [0.0, 0.0]], {"dim": None, "keepdim": False})),
    ),
    conventions=(
        Convention("x = 0", ([0.0, 0.0],), ([0.0, 0.0],), {"dim": None, "keepdim": False}),
        Convention("one zero row, dim=1", ([[0.0, 0.0], [3.0, 4.0]],), ([[0.0, 0.0], [0.6, 0.8]],),
                   {"dim": 1, "keepdim": False}),
    ),
)

CUMSUM = declare.vjp(
    name="cumsum", set="reductions", forward=lambda x, *, dim: torch.cumsum(x, dim=dim), args=("x",), params=("dim",),
    cases=reduction_cases(
        (
            spec((5,), dim=0),
            spec((3, 4), dim=1),
            spec((3, 4), dim=0),
            spec((2, 3, 4), dim=-1),
            spec((2, 3, 4), dim=1),
            spec((), dim=0),
            spec((1,), dim=0),
            spec((3, 1), dim=1),
            spec((0, 3), dim=0),
            spec((0, 3), dim=1),
            spec((3, 4), "transposed", dim=0),
            spec((3, 4), "expanded", dim=0),
            spec((3, 4), "expanded", dim=-1),
        ),
        float32=(1, 3),
    ),
)

OPS = [SUM, MEAN, PROD, AMAX, MAX_DIM, LOGSUMEXP, VAR, STD, NORM, CUMSUM]

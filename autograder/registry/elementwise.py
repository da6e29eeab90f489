"""Set ``elementwise``: smooth elementwise unary ops (teaches: the VJP of an elementwise op is grad * f'(x))."""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from autograder.registry import declare
from autograder.registry.cases import away_from_zero, normal, positive, unary_cases, unary_param_cases, wide
from autograder.registry.op import Convention

Tensor = torch.Tensor


NEG = declare.vjp(name="neg", set="elementwise", forward=torch.neg, args=("x",), cases=unary_cases())

EXP = declare.vjp(name="exp", set="elementwise", forward=torch.exp, args=("x",), cases=unary_cases())

LOG = declare.vjp(
    name="log", set="elementwise", forward=torch.log, args=("x",), cases=unary_cases(positive),
    conventions=(Convention("log'(0) = +inf", ([0.0, 1.0],), ([math.inf, 1.0],)),),
)

SQRT = declare.vjp(
    name="sqrt", set="elementwise", forward=torch.sqrt, args=("x",), cases=unary_cases(positive),
    conventions=(Convention("sqrt'(0) = +inf", ([0.0, 4.0],), ([math.inf, 0.25],)),),
)

RECIPROCAL = declare.vjp(
    name="reciprocal", set="elementwise", forward=torch.reciprocal, args=("x",), cases=unary_cases(away_from_zero),
    conventions=(Convention("(1/x)' at 0 = -inf, for +0 and -0", ([0.0, -0.0, 2.0],),
                            ([-math.inf, -math.inf, -0.25],)),),
)

POW_SCALAR = declare.vjp(
    name="pow_scalar", set="elementwise", forward=lambda x, *, p: torch.pow(x, p), args=("x",), params=("p",),
    cases=unary_param_cases([
        ({"p": 2.0}, normal),
        ({"p": 3.0}, normal),
        ({"p": 0.5}, positive),
        ({"p": -1.0}, positive),
        ({"p": 0.0}, normal),
    ]),
    conventions=(
        Convention("p = 2: gradient 0 at x = 0", ([0.0, 1.5],), ([0.0, 3.0],), {"p": 2.0}),
        Convention("p = 3: gradient 0 at x = 0", ([0.0, -2.0],), ([0.0, 12.0],), {"p": 3.0}),
        Convention("p = 0.5: gradient +inf at x = 0", ([0.0, 4.0],), ([math.inf, 0.25],), {"p": 0.5}),
        Convention("p = -1: gradient -inf at x = 0", ([0.0, 2.0],), ([-math.inf, -0.25],), {"p": -1.0}),
        Convention("p = 0: gradient 0 at x = 0, not NaN", ([0.0, 3.0],), ([0.0, 0.0],), {"p": 0.0}),
    ),
)

SIN = declare.vjp(name="sin", set="elementwise", forward=torch.sin, args=("x",), cases=unary_cases(wide))

COS = declare.vjp(name="cos", set="elementwise", forward=torch.cos, args=("x",), cases=unary_cases(wide))

TANH = declare.vjp(
    name="tanh", set="elementwise", forward=torch.tanh, args=("x",),
    cases=unary_param_cases([({}, normal)], points=(-400.0, -30.0, 0.0, 30.0, 400.0)),
)

SIGMOID = declare.vjp(
    name="sigmoid", set="elementwise", forward=torch.sigmoid, args=("x",),
    cases=unary_param_cases([({}, normal)], points=(-800.0, -30.0, 0.0, 30.0, 800.0)),
)

GELU = declare.vjp(
    name="gelu", set="elementwise", forward=F.gelu, args=("x",),
    cases=unary_param_cases([({}, normal)], points=(-30.0, -3.0, 0.0, 3.0, 30.0)),
)

SILU = declare.vjp(
    name="silu", set="elementwise", forward=F.silu, args=("x",),
    cases=unary_param_cases([({}, normal)], points=(-800.0, -30.0, 0.0, 30.0, 800.0)),
)

SOFTPLUS = declare.vjp(
    name="softplus", set="elementwise", forward=lambda x, *, beta: F.softplus(x, beta=beta), args=("x",),
    params=("beta",),
    cases=unary_param_cases([({"beta": 1.0}, normal), ({"beta": 2.0}, normal), ({"beta": 0.5}, wide)],
                            points=(-800.0, -20.0, 0.0, 20.0, 800.0)),
)

OPS = [NEG, EXP, LOG, SQRT, RECIPROCAL, POW_SCALAR, SIN, COS, TANH, SIGMOID, GELU, SILU, SOFTPLUS]

"""Set ``forward_mode``: Jacobian-vector products written by hand, then forward mode used where it pays.

A JVP exercise ``<op>_jvp(*primals, *tangents, **params)`` returns ``(out_dot,)``, the output's tangent
$J\\,\\dot x$; the grader compares it with ``torch.func.jvp`` on the same op, with random tangents. The primal
inputs are those of the op's VJP exercise (the same shapes, layouts and dtypes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch.autograd.functional import jacobian

from autograder import library
from autograder.registry import declare
from autograder.registry.cases import (
    DIM_KEEPDIM,
    EMPTY_DIM,
    Case,
    CaseMaker,
    Shape,
    binary_cases,
    expanded,
    matmul_cases,
    normal,
    reduction_cases,
    transposed,
    unary_cases,
    with_dtype,
)
from autograder.registry.op import Op

Tensor = torch.Tensor


def _with_tangents(make: CaseMaker) -> CaseMaker:
    """The primal cases of ``make``, each followed by a random tangent per input (same shape and dtype)."""

    def cases(gen: torch.Generator) -> list[Case]:
        return [Case(c.label, (*c.inputs, *(normal(t.shape, gen).to(t.dtype) for t in c.inputs)), dict(c.params))
                for c in make(gen)]

    return cases


def _jvp_of(forward: Callable[..., Tensor]) -> Callable[[Case], list[Tensor]]:
    def expected(case: Case) -> list[Tensor]:
        n = len(case.inputs) // 2
        # torch.func.jvp cannot make a dual tensor of a stride-0 view: the same values, contiguous
        primals = tuple(t.contiguous() for t in case.inputs[:n])
        return [torch.func.jvp(lambda *p: forward(*p, **case.params), primals, case.inputs[n:])[1]]

    return expected


def jvp(name: str, forward: Callable[..., Tensor], args: Sequence[str], cases: CaseMaker,
        params: tuple[str, ...] = ()) -> dict[str, Any]:
    """The fields of a JVP exercise, ``<name>_jvp(*args, *<arg>_dot, **params) -> (out_dot,)`` checked against
    torch.func.jvp."""
    return dict(
        name=f"{name}_jvp",
        set="forward_mode",
        forward=forward,
        args=(*args, *(f"{a}_dot" for a in args)),
        params=params,
        cases=_with_tangents(cases),
        expected=_jvp_of(forward),
        outputs=("out_dot",),
        function_name=f"{name}_jvp",
        policy_hint="write the JVP rule by hand, with tensor operations",
    )


MUL = declare.call(**jvp("mul", torch.mul, ("x", "y"), binary_cases()))

EXP = declare.call(**jvp("exp", torch.exp, ("x",), unary_cases()))

MATMUL_JVP = declare.call(**jvp("matmul", torch.matmul, ("a", "b"), matmul_cases))


SOFTMAX_SPECS: tuple[tuple[Shape, int, str], ...] = (
    ((5,), 0, ""),
    ((5,), -1, ""),
    ((), 0, ""),
    ((1,), 0, ""),
    ((3, 4), -1, ""),
    ((3, 4), 0, ""),
    ((2, 3, 4), 1, ""),
    ((0, 3), 1, ""),
    ((3, 4), 1, "transposed"),
    ((3, 4), 0, "expanded"),
    ((2, 5), -1, "large"),
)


def _softmax_cases(gen: torch.Generator) -> list[Case]:
    cases = []
    for shape, dim, layout in SOFTMAX_SPECS:
        if layout == "transposed":
            x, label = transposed(normal(shape, gen)), f"transposed (non-contiguous) x of shape {shape}"
        elif layout == "expanded":
            x, label = expanded(normal((1, *shape[1:]), gen), shape), f"expanded (stride-0) x of shape {shape}"
        elif layout == "large":
            x, label = normal(shape, gen) * 300 + 800, f"large x (about 800 ± 300) of shape {shape}"
        else:
            x, label = normal(shape, gen), f"x of shape {shape}"
        cases.append(Case(f"{label}, dim={dim}", (x,), {"dim": dim}))
    return cases + with_dtype(cases[4:6], torch.float32)


SOFTMAX = declare.call(**jvp("softmax", lambda x, *, dim: torch.softmax(x, dim=dim), ("x",), _softmax_cases,
                             params=("dim",)))

SUM = declare.call(**jvp("sum", lambda x, *, dim, keepdim: torch.sum(x, dim=dim, keepdim=keepdim), ("x",),
                reduction_cases((*DIM_KEEPDIM, EMPTY_DIM)), params=("dim", "keepdim")))


# --- choosing the mode -------------------------------------------------------------------------------------

MODE_SPECS: tuple[tuple[str, Shape], ...] = (
    ("radius", (5,)),
    ("tanh_layer", (4,)),
    ("tanh_layer", (2, 3)),
    ("widen", (2,)),
    ("widen", (3,)),
    ("outer", (3,)),
    ("widen", (1,)),
)
"""Functions with fewer outputs than inputs (reverse mode wins) and more (forward mode wins); never equal."""


def _mode_cases(gen: torch.Generator) -> list[Case]:
    cases = []
    for name, shape in MODE_SPECS:
        x = normal(shape, gen)
        m, n = library.resolve(name)(x).numel(), x.numel()
        cases.append(Case(f"f = {name}: R^{n} -> R^{m}, x of shape {shape}", (x,), {"f": name}))
    return cases + with_dtype([cases[1], cases[4]], torch.float32)


def _expected_mode(case: Case) -> list[Tensor]:
    f, x = library.resolve(case.params["f"]), case.inputs[0]
    m, n = f(x).numel(), x.numel()
    return [jacobian(f, x), torch.tensor(float(n < m), dtype=torch.float64),
            torch.tensor(float(m < n), dtype=torch.float64)]


JACOBIAN_BEST_MODE = declare.modes(
    name="jacobian_best_mode",
    set="forward_mode",
    forward=lambda x, *, f: library.resolve(f)(x),
    args=("x",),
    functions=("f",),
    cases=_mode_cases,
    expected=_expected_mode,
    outputs=("J",),
    measured=("forward mode used", "reverse mode used"),
    function_name="jacobian_best_mode",
    autograd_allowed=True,
    why={"forward mode used": "f has fewer inputs than outputs here (n < m): forward mode needs n passes, reverse "
                              "mode m, so the Jacobian should be built in forward mode (and only in it).",
         "reverse mode used": "f has fewer outputs than inputs here (m < n): reverse mode needs m passes, forward "
                              "mode n, so the Jacobian should be built in reverse mode (and only in it)."},
)

OPS: list[Op] = [MUL, EXP, MATMUL_JVP, SOFTMAX, SUM, JACOBIAN_BEST_MODE]

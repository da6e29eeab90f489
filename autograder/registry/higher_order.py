"""Set ``higher_order``: derivatives of derivatives (double backward, Hessians, a twice-differentiable
custom ``torch.autograd.Function``). Autograd is allowed, except the helpers that would do the whole job."""

from __future__ import annotations

import torch
from torch.autograd.functional import hessian

from autograder import library
from autograder.registry import declare
from autograder.registry.cases import Case, Shape, normal, transposed, with_dtype
from autograder.registry.op import Op

Tensor = torch.Tensor

HESSIAN_HELPERS = ("torch.autograd.functional.hessian", "torch.autograd.functional.hvp",
                   "torch.autograd.functional.vhp", "torch.autograd.functional.jacobian", "torch.func.hessian",
                   "torch.func.jacrev", "torch.func.jacfwd")

SCALAR_SPECS: tuple[tuple[str, Shape], ...] = (
    ("radius", ()),
    ("logsumexp", (1,)),
    ("rosenbrock", (2,)),
    ("coupled", (3,)),
    ("logsumexp", (4,)),
    ("radius", (3,)),
    ("rosenbrock", (2, 2)),
    ("coupled", (2, 3)),
)
"""(scalar function, shape of x): 0-d, size-1, vector and matrix inputs."""


def _scalar_cases(with_direction: bool):
    def make(gen: torch.Generator) -> list[Case]:
        cases = []
        for name, shape in SCALAR_SPECS:
            x = normal(shape, gen) * 0.8
            inputs = (x, normal(shape, gen)) if with_direction else (x,)
            cases.append(Case(f"f = {name}, x of shape {shape}", inputs, {"f": name}))
        x = transposed(normal((3, 2), gen) * 0.8)
        inputs = (x, normal((3, 2), gen)) if with_direction else (x,)
        cases.append(Case("f = coupled, transposed (non-contiguous) x of shape (3, 2)", inputs, {"f": "coupled"}))
        return cases + with_dtype([cases[3], cases[6]], torch.float32)

    return make


def _expected_hvp(case: Case) -> list[Tensor]:
    """Forward over reverse: the JVP of the gradient in the direction v (another route than double backward)."""
    f = library.resolve(case.params["f"])
    x, v = case.inputs
    return [torch.func.jvp(torch.func.grad(f), (x,), (v,))[1]]


def _expected_hessian(case: Case) -> list[Tensor]:
    return [hessian(library.resolve(case.params["f"]), case.inputs[0])]


def _of_f(x: Tensor, *args: Tensor, f: str) -> Tensor:
    return library.resolve(f)(x)


HVP = declare.call(
    name="hvp",
    set="higher_order",
    forward=_of_f,
    args=("x", "v"),
    functions=("f",),
    cases=_scalar_cases(with_direction=True),
    expected=_expected_hvp,
    outputs=("Hv",),
    function_name="hvp",
    autograd_allowed=True,
    forbidden=HESSIAN_HELPERS,
    policy_hint="use a double backward: a gradient with create_graph=True, then the gradient of its dot product "
                "with v",
)


HESSIAN = declare.call(
    name="hessian",
    set="higher_order",
    forward=_of_f,
    args=("x",),
    functions=("f",),
    cases=_scalar_cases(with_direction=False),
    expected=_expected_hessian,
    outputs=("H",),
    function_name="hessian",
    autograd_allowed=True,
    forbidden=HESSIAN_HELPERS,
    policy_hint="build the Hessian yourself: one gradient with create_graph=True, then one more backward per row",
)


# --- a custom autograd.Function, differentiable twice ------------------------------------------------------

X_SIN_X_SHAPES: tuple[Shape, ...] = ((), (1,), (5,), (3, 4), (2, 3, 2), (0, 3))


def _probe_cases(gen: torch.Generator) -> list[Case]:
    """x with the two cotangents of the probe: v for the output, u for the gradient."""
    cases = [Case(f"x of shape {s}", (normal(s, gen) * 2, normal(s, gen), normal(s, gen))) for s in X_SIN_X_SHAPES]
    x = transposed(normal((3, 4), gen) * 2)
    cases.append(Case("transposed (non-contiguous) x", (x, normal((3, 4), gen), normal((3, 4), gen))))
    points = torch.tensor([0.0, torch.pi / 2, torch.pi, -2.0, 10.0], dtype=torch.float64)
    cases.append(Case("at x = 0, π/2, π, -2 and 10", (points, normal((5,), gen), normal((5,), gen))))
    return cases + with_dtype(cases[2:4], torch.float32)


def _expected_x_sin_x(case: Case) -> list[Tensor]:
    x, v, u = case.inputs
    leaf = x.detach().clone().requires_grad_()
    with torch.enable_grad():
        out = leaf * torch.sin(leaf)
        (grad_x,) = torch.autograd.grad(out, leaf, v, create_graph=True)
        (grad_grad_x,) = torch.autograd.grad(grad_x, leaf, u)
    return [out.detach(), grad_x.detach(), grad_grad_x, torch.tensor(1.0, dtype=torch.float64)]


X_SIN_X = declare.function(
    name="x_sin_x",
    set="higher_order",
    forward=lambda x, v, u: x * torch.sin(x),
    args=("x",),
    extra_inputs=("v", "u"),
    cases=_probe_cases,
    expected=_expected_x_sin_x,
    outputs=("out", "grad_x", "grad_grad_x"),
    measured=("gradgradcheck passed",),
    why={"grad_grad_x": "out and grad_x are right but the second derivative is not: autograd differentiated "
                        "something other than your formula. Values computed in forward (cos(x), the whole "
                        "derivative) are constants to a second backward: save x and recompute them in backward.",
         "gradgradcheck passed": "gradgradcheck compares your double backward with finite differences of your "
                                 "backward in every direction; its report is printed below."},
    function_name="XSinX",
    autograd_allowed=True,
    forbidden=("torch.autograd.grad", "torch.autograd.backward", "Tensor.backward", "torch.func.grad",
               "torch.func.vjp"),
    policy_hint="write the derivative yourself in backward, with torch operations",
)

OPS: list[Op] = [HVP, HESSIAN, X_SIN_X]

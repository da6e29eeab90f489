"""Set ``higher_order``: derivatives of derivatives (double backward, Hessians, a twice-differentiable
custom ``torch.autograd.Function``). Autograd is allowed, except the helpers that would do the whole job."""

from __future__ import annotations

import torch
from torch.autograd.functional import hessian

from autograder import library
from autograder.kinds import CALL, FUNCTION
from autograder.registry.cases import Case, Shape, normal, transposed, with_dtype
from autograder.registry.op import Op, Page

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


DOUBLE_BACKWARD = (
    r"The gradient $g(x) = \nabla f(x)$ is itself a function of $x$, and autograd can differentiate it if it "
    r"was recorded: `torch.autograd.grad(f(x), x, create_graph=True)` returns $g$ **with a graph** (each "
    r"backward op is recorded like a forward op). Differentiating it again is a *double backward*."
)

HVP = Op(
    name="hvp",
    set="higher_order",
    forward=_of_f,
    args=("x", "v"),
    functions=("f",),
    cases=_scalar_cases(with_direction=True),
    kind=CALL,
    expected=_expected_hvp,
    outputs=("Hv",),
    function_name="hvp",
    autograd_allowed=True,
    forbidden=HESSIAN_HELPERS,
    policy_hint="use a double backward: a gradient with create_graph=True, then the gradient of its dot product "
                "with v",
    summary="The Hessian-vector product $H v$ of a scalar function, by double backward, without building $H$.",
    page=Page(
        sections=(
            ("The idea", DOUBLE_BACKWARD + (
                r" Take the scalar $s(x) = g(x) \cdot v$, with $v$ a constant. Its gradient is"
                "\n\n"
                r"$$\nabla_x \big(\nabla f(x) \cdot v\big) = H(x)\, v,$$"
                "\n\n"
                r"the Hessian times $v$ ($H$ is symmetric, so $H v = v^\top H$). Two backward passes, each as "
                r"cheap as a gradient, and the $n \times n$ matrix $H$ is never built: this is how Newton-type "
                r"optimizers and curvature estimates (the top eigenvalue of $H$ by power iteration) work on "
                r"models with millions of parameters."
            )),
            ("What to return", (
                "`(Hv,)`, a tensor of `x`'s shape and dtype. `f` maps a tensor of any shape to a 0-d tensor; "
                r"`v` has `x`'s shape, and $g \cdot v$ means `(g * v).sum()`. `x` arrives as a plain tensor: "
                "make a leaf that requires grad first, and do not modify the inputs."
            )),
            ("Equivalent spellings", (
                "`torch.autograd.grad(g, x, grad_outputs=v)` is the same second backward ($v^\\top H$, which "
                "equals $H v$). With `torch.func`, `jvp(grad(f), (x,), (v,))` gets $H v$ by forward over "
                "reverse, which is what the grader uses to check you."
            )),
        ),
        mistakes=(
            "Forgetting `create_graph=True` in the first gradient: it comes back without a graph, and the "
            "second call fails with \"element 0 of tensors does not require grad\".",
            "Summing the gradient instead of dotting it with `v` (`g.sum()`): that is $H \\mathbf{1}$, the row "
            "sums of $H$.",
            "Multiplying the gradient by `v` elementwise: $g \\odot v$ is not a second derivative at all.",
            "Approximating with finite differences of the gradient: close, but not within the tolerance.",
        ),
        testing=(
            "The grader passes scalar functions with coupled entries (so $H$ is not diagonal) on 0-d, vector, "
            "matrix, non-contiguous and float32 inputs, with a random direction `v`, and compares your `Hv` "
            "with `torch.func.jvp(torch.func.grad(f), (x,), (v,))`. The Hessian helpers are refused while your "
            "function runs."
        ),
        hint=(
            "```python\n"
            "x = x.detach().clone().requires_grad_()\n"
            "(g,) = torch.autograd.grad(f(x), x, create_graph=True)\n"
            "(hv,) = torch.autograd.grad((g * v).sum(), x)\n"
            "```"
        ),
    ),
)


HESSIAN = Op(
    name="hessian",
    set="higher_order",
    forward=_of_f,
    args=("x",),
    functions=("f",),
    cases=_scalar_cases(with_direction=False),
    kind=CALL,
    expected=_expected_hessian,
    outputs=("H",),
    function_name="hessian",
    autograd_allowed=True,
    forbidden=HESSIAN_HELPERS,
    policy_hint="build the Hessian yourself: one gradient with create_graph=True, then one more backward per row",
    summary="The full Hessian of a scalar function, of shape `x.shape + x.shape`, one second backward per row.",
    page=Page(
        sections=(
            ("The idea", DOUBLE_BACKWARD + (
                r" The Hessian is the Jacobian of the gradient: $H_{ij} = \partial g_i / \partial x_j = "
                r"\partial^2 f / \partial x_i \partial x_j$. So once $g$ has a graph, build $H$ exactly like "
                r"a Jacobian from backward calls: row $i$ is the gradient of $g_i$, one backward per entry of "
                r"$x$ (with `retain_graph=True`, since $g$'s graph is used $n$ times). That is $n$ Hessian-vector "
                r"products with the one-hot vectors: a full Hessian costs $n$ times an HVP, which is why large "
                r"models use HVPs and never the matrix."
            )),
            ("What to return", (
                "`(H,)` with shape `x.shape + x.shape` (the layout of `torch.autograd.functional.hessian`): "
                "`H[i..., j...]` is the second derivative by `x[i...]` and `x[j...]`. For a 0-d `x` it is 0-d, "
                "for a vector an $n \\times n$ matrix, for an $(a, b)$ matrix a tensor of shape $(a, b, a, b)$. "
                "$H$ is symmetric: `H.reshape(n, n)` equals its transpose."
            )),
        ),
        mistakes=(
            "Forgetting `create_graph=True`: the gradient has no graph to differentiate.",
            "Differentiating each $g_i$ into `x.grad` with `backward()` without clearing it between rows: "
            "row $i$ comes out as the sum of rows $0..i$.",
            "Returning only the diagonal $\\partial^2 f / \\partial x_i^2$ (embedded in a matrix): the "
            "functions here couple their entries, so the off-diagonal terms are not zero.",
            "Returning the flattened $(n, n)$ matrix for a matrix `x` instead of shape `x.shape + x.shape`.",
        ),
        testing=(
            "The same functions and inputs as [`hvp`](hvp.md), without `v`; your `H` is compared with "
            "`torch.autograd.functional.hessian(f, x)`: shape and dtype, then values. The Hessian and Jacobian "
            "helpers are refused while your function runs."
        ),
        hint=(
            "```python\n"
            "(g,) = torch.autograd.grad(f(x), x, create_graph=True)\n"
            "flat = g.reshape(-1)\n"
            "rows = [torch.autograd.grad(flat[i], x, retain_graph=True)[0] for i in range(flat.numel())]\n"
            "H = torch.stack(rows).reshape(x.shape + x.shape)\n"
            "```"
        ),
    ),
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


X_SIN_X = Op(
    name="x_sin_x",
    set="higher_order",
    forward=lambda x, v, u: x * torch.sin(x),
    args=("x",),
    extra_inputs=("v", "u"),
    cases=_probe_cases,
    kind=FUNCTION,
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
    summary="A custom `torch.autograd.Function` for $x \\sin x$ whose backward is itself differentiable, checked "
            "with a double backward and `gradgradcheck`.",
    page=Page(
        sections=(
            ("The function", (
                r"$$\mathrm{out} = x \sin x,\qquad \frac{d\,\mathrm{out}}{dx} = \sin x + x\cos x,\qquad "
                r"\frac{d^2\mathrm{out}}{dx^2} = 2\cos x - x \sin x,$$"
                "\n\nelementwise, so the VJP is $\\bar x = \\bar{\\mathrm{out}} \\odot (\\sin x + x \\cos x)$."
            )),
            ("Why the backward must be differentiable", (
                "A `torch.autograd.Function` replaces autograd's recording with your own rule: `forward` runs "
                "with recording off, and autograd calls your `backward` when it reaches the node. When someone "
                "asks for a second derivative (`create_graph=True`, as in a Hessian-vector product or a "
                "gradient penalty), autograd *records what your backward does* and differentiates that. So the "
                "backward must be built from torch operations on tensors that are connected to `x`:\n\n"
                "- save the **inputs** with `ctx.save_for_backward(x)` and recompute what you need from them "
                "inside `backward`; a tensor computed inside `forward` (say `cos(x)`) was computed with "
                "recording off, so for a second derivative it is a constant and the answer is silently wrong;\n"
                "- no `.detach()`, `.item()`, `.numpy()` or `torch.no_grad()` in `backward`;\n"
                "- no `@once_differentiable`: it declares the backward not differentiable, and a double "
                "backward then raises an error."
            )),
            ("What to write", (
                "In `exercises/higher_order.py`, the class `XSinX(torch.autograd.Function)` with two static "
                "methods: `forward(ctx, x)` returns $x \\sin x$ (and saves what `backward` needs), "
                "`backward(ctx, grad)` returns the gradient for `x`. It is used as `XSinX.apply(x)`."
            )),
        ),
        mistakes=(
            "Saving `torch.cos(x)` (or the whole derivative) in `forward` and using it in `backward`: first "
            "derivatives are right, second derivatives miss the terms that come from differentiating it.",
            "Decorating `backward` with `@torch.autograd.function.once_differentiable`.",
            "Computing the derivative from `x.detach()` or with NumPy: the gradient cannot be differentiated.",
            "A wrong first derivative, such as $x \\cos x$ alone (the product rule has two terms).",
        ),
        testing=(
            "For each case the grader's probe runs, in the sandbox: `out = XSinX.apply(x)`; "
            "`grad_x = torch.autograd.grad(out, x, v, create_graph=True)` for a random cotangent `v`; "
            "`grad_grad_x = torch.autograd.grad(grad_x, x, u)` for another random `u`; and "
            "`torch.autograd.gradgradcheck(XSinX.apply, (x,))` on float64 inputs. The first three are "
            "compared with the same computation on `x * torch.sin(x)`, and gradgradcheck must pass (its report "
            "is printed when it does not). Calling autograd inside your class is refused."
        ),
        hint=(
            "Save `x` in `forward`; in `backward`, `(x,) = ctx.saved_tensors` and return "
            "`grad * (torch.sin(x) + x * torch.cos(x))`."
        ),
    ),
)

OPS: list[Op] = [HVP, HESSIAN, X_SIN_X]

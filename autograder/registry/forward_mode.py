"""Set ``forward_mode``: Jacobian-vector products written by hand, then forward mode used where it pays.

A JVP exercise ``<op>_jvp(*primals, *tangents, **params)`` returns ``(out_dot,)``, the output's tangent
$J\\,\\dot x$; the grader compares it with ``torch.func.jvp`` on the same op, with random tangents. The primal
inputs are those of the op's VJP exercise (the same shapes, layouts and dtypes).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch.autograd.functional import jacobian

from autograder import library
from autograder.kinds import CALL, MODES
from autograder.registry.cases import Case, Shape, binary_cases, expanded, normal, transposed, unary_cases, with_dtype
from autograder.registry.linalg import MATMUL
from autograder.registry.op import Op, Page
from autograder.registry.reductions import DIM_KEEPDIM, EMPTY_DIM, reduction_cases

Tensor = torch.Tensor
CaseMaker = Callable[[torch.Generator], list[Case]]
LESSON = "../../lessons/11-forward-and-reverse-mode.ipynb"


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


TESTING = (
    "The grader draws the primal inputs the op's VJP exercise uses (every shape family, broadcasting, "
    "non-contiguous and stride-0 layouts, empty tensors, float32 copies), a random tangent of each input's shape, "
    "and compares your `out_dot` with `torch.func.jvp(op, primals, tangents)[1]`: exact shape and dtype, then "
    "values. As in the VJP exercises, autograd (including `torch.func`) is refused: write the rule with tensor "
    "operations."
)


def jvp_op(name: str, forward: Callable[..., Tensor], args: Sequence[str], cases: CaseMaker, summary: str,
           sections: Sequence[tuple[str, str]], mistakes: Sequence[str], hint: str,
           params: tuple[str, ...] = ()) -> Op:
    """A JVP exercise ``<name>_jvp(*args, *<arg>_dot, **params) -> (out_dot,)`` checked against torch.func.jvp."""
    return Op(
        name=f"{name}_jvp",
        set="forward_mode",
        forward=forward,
        args=(*args, *(f"{a}_dot" for a in args)),
        params=params,
        cases=_with_tangents(cases),
        kind=CALL,
        expected=_jvp_of(forward),
        outputs=("out_dot",),
        function_name=f"{name}_jvp",
        policy_hint="write the JVP rule by hand, with tensor operations",
        summary=summary,
        page=Page(sections=(*sections, ("What to return", (
            "`(out_dot,)`: one tensor with the shape and dtype of the op's output, the tangent of the output. A "
            "JVP has one result however many inputs the op has: the tangents of all inputs add up in it."))),
            mistakes=tuple(mistakes), testing=TESTING, hint=hint),
    )


MUL = jvp_op(
    "mul", torch.mul, ("x", "y"), binary_cases(),
    summary="The JVP of `x * y` (broadcasting): $\\dot{\\mathrm{out}} = \\dot x\\, y + x\\, \\dot y$.",
    sections=(
        ("The rule", (
            r"$$\mathrm{out} = x \odot y \quad\Longrightarrow\quad \dot{\mathrm{out}} = \dot x \odot y + x "
            r"\odot \dot y.$$"
            "\n\nThis is the product rule, read as a statement about small changes: move $x$ by $\\dot x$ and "
            "$y$ by $\\dot y$, and the product moves by $\\dot x\\, y + x\\, \\dot y$ (to first order). Each "
            "input's tangent is pushed through its own partial derivative, and the contributions add."
        )),
        ("Compared with the VJP", (
            r"The VJP needed $\operatorname{sum\_to}$: a broadcast input's gradient collects the gradient of "
            r"every output entry it fed. The JVP needs nothing of the kind: tangents flow *with* the data, so "
            r"$\dot x$ broadcasts against $y$ exactly as $x$ does, and `x_dot * y + x * y_dot` already has the "
            r"output's shape. Broadcasting is a copy; the adjoint of a copy is a sum, which is why only reverse "
            r"mode sums."
        )),
    ),
    mistakes=(
        "Dropping one term (`x_dot * y`): only right when `y` does not move.",
        "Pairing each tangent with its own input (`x_dot * x + y_dot * y`): the tangent of `x` is scaled by "
        "the *other* factor.",
        "Summing to the input shapes out of VJP habit: the output tangent has the output's (broadcast) shape.",
    ),
    hint="`x_dot * y + x * y_dot`, and nothing else.",
)

EXP = jvp_op(
    "exp", torch.exp, ("x",), unary_cases(),
    summary="The JVP of `exp(x)`: $\\dot{\\mathrm{out}} = e^{x} \\odot \\dot x$.",
    sections=(
        ("The rule", (
            r"$$\mathrm{out} = e^{x} \quad\Longrightarrow\quad \dot{\mathrm{out}} = e^{x} \odot \dot x.$$"
            "\n\nThe Jacobian is diagonal, $J = \\operatorname{diag}(e^x)$, so $J\\dot x$ multiplies each tangent "
            "entry by the slope at its own point."
        )),
        ("Compared with the VJP", (
            r"For an elementwise op the Jacobian is diagonal, hence symmetric: the JVP and the VJP are the same "
            r"formula, $e^x \odot \dot x$ versus $e^x \odot \bar{\mathrm{out}}$. Only the meaning of the vector "
            r"changes: a direction in input space that is pushed forward, versus a gradient in output space "
            r"that is pulled back. Non-elementwise ops (matmul, softmax, sum) break the symmetry."
        )),
    ),
    mistakes=(
        "Returning `x.exp()` alone (the derivative, not the derivative applied to the tangent).",
        "Exponentiating the tangent (`x_dot.exp()`).",
        "Applying the power rule (`x * x_dot`): $x$ is the exponent, not the base.",
    ),
    hint="Multiply the tangent by the slope $e^x$.",
)

MATMUL_JVP = jvp_op(
    "matmul", torch.matmul, ("a", "b"), MATMUL.cases,
    summary="The JVP of `a @ b`: $\\dot{\\mathrm{out}} = \\dot a\\, b + a\\, \\dot b$, with the rules of "
            "`torch.matmul`.",
    sections=(
        ("The rule", (
            r"$$\mathrm{out} = a\,b \quad\Longrightarrow\quad \dot{\mathrm{out}} = \dot a\, b + a\, \dot b.$$"
            "\n\nThe product rule again, with the factors kept **in order** (matrices do not commute). And "
            "because the formula is made of the same `@` as the forward, every rule of `torch.matmul` applies "
            "to it unchanged: 1-D promotion (a 1-D `a` is a row, a 1-D `b` a column, the added dimension "
            "removed) and batch broadcasting."
        )),
        ("Compared with the VJP", (
            r"The VJP needed transposes and sums: $\bar a = \bar{\mathrm{out}}\, b^\top$, $\bar b = a^\top "
            r"\bar{\mathrm{out}}$, then $\operatorname{sum\_to}$ over broadcast batch dimensions, and special "
            r"care for 1-D operands. The JVP needs none of it: no transpose (the tangent goes the same way as the "
            r"data), no sum (broadcasting is forward), no promotion by hand (`@` does it). Forward rules of "
            r"linear and bilinear ops are often simpler than their reverse rules."
        )),
    ),
    mistakes=(
        "Dropping one term: `a_dot @ b` alone ignores a moving `b`.",
        "Swapping the order (`b @ a_dot`): wrong shape for non-square matrices, wrong numbers for square ones.",
        "Transposing out of VJP habit (`a_dot @ b.mT`).",
    ),
    hint="`a_dot @ b + a @ b_dot`.",
)


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


SOFTMAX = jvp_op(
    "softmax", lambda x, *, dim: torch.softmax(x, dim=dim), ("x",), _softmax_cases, params=("dim",),
    summary="The JVP of `softmax(x, dim)`: $\\dot s = s \\odot (\\dot x - \\langle s, \\dot x\\rangle)$ along `dim`.",
    sections=(
        ("The rule", (
            r"$$s = \operatorname{softmax}(x), \quad s_i = \frac{e^{x_i}}{\sum_k e^{x_k}} \quad\Longrightarrow"
            r"\quad \dot s = s \odot \Big(\dot x - \sum_k s_k \dot x_k\Big),$$"
            "\n\nwith the sum along `dim` (kept as a size-1 dimension so it broadcasts back). The Jacobian is "
            r"$J = \operatorname{diag}(s) - s s^\top$ for each slice along `dim`: moving every $x_k$ by the "
            r"same amount changes nothing ($J\mathbf 1 = 0$), which is why the rule subtracts the "
            r"$s$-weighted mean of the tangent."
        )),
        ("Compared with the VJP", (
            r"$J$ is symmetric, so the VJP is the same formula with $\bar s$ in place of $\dot x$: "
            r"$\bar x = s \odot (\bar s - \langle s, \bar s\rangle)$. Compute $s$ with `torch.softmax` (it "
            r"subtracts the maximum first, so large inputs do not overflow); calling the forward op is fine, "
            r"only autograd is refused."
        )),
    ),
    mistakes=(
        "Forgetting the subtraction (`s * x_dot`): that is the diagonal of $J$ only.",
        "Subtracting the plain mean of the tangent instead of the $s$-weighted one.",
        "Summing over every dimension (or the wrong one) instead of `dim`, or dropping `keepdim=True` so the "
        "sum does not broadcast back.",
        "Computing $s$ as `x.exp() / x.exp().sum(...)`: inf / inf = NaN for large inputs.",
    ),
    hint="`s = torch.softmax(x, dim)`, then `s * (x_dot - (s * x_dot).sum(dim, keepdim=True))`.",
)

SUM = jvp_op(
    "sum", lambda x, *, dim, keepdim: torch.sum(x, dim=dim, keepdim=keepdim), ("x",),
    reduction_cases((*DIM_KEEPDIM, EMPTY_DIM)), params=("dim", "keepdim"),
    summary="The JVP of `x.sum(dim, keepdim)`: the same sum, applied to the tangent.",
    sections=(
        ("The rule", (
            r"$$\mathrm{out} = \sum_{\text{dim}} x \quad\Longrightarrow\quad \dot{\mathrm{out}} = "
            r"\sum_{\text{dim}} \dot x.$$"
            "\n\nA linear op is its own derivative: its JVP is the op applied to the tangent, with the same `dim` "
            "and `keepdim` (`dim` may be `None`, an int, a negative int or a list)."
        )),
        ("Compared with the VJP", (
            r"The VJP of a sum is a broadcast: the gradient of each output is copied back to every input that "
            r"fed it, after unsqueezing the reduced dimensions. The JVP is the sum itself. The two are adjoint "
            r"(transposes of each other), as the JVP and VJP of every linear op are: reverse mode turns sums "
            r"into copies and copies into sums."
        )),
    ),
    mistakes=(
        "Broadcasting the tangent back to `x`'s shape, as in the VJP.",
        "Ignoring `dim` (summing everything) or `keepdim`.",
        "Returning `x.sum(...)`, the primal, instead of the tangent's sum.",
    ),
    hint="`x_dot.sum(dim=dim, keepdim=keepdim)`; `dim=None` means every dimension.",
)


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


JACOBIAN_BEST_MODE = Op(
    name="jacobian_best_mode",
    set="forward_mode",
    forward=lambda x, *, f: library.resolve(f)(x),
    args=("x",),
    functions=("f",),
    cases=_mode_cases,
    kind=MODES,
    expected=_expected_mode,
    outputs=("J",),
    measured=("forward mode used", "reverse mode used"),
    function_name="jacobian_best_mode",
    autograd_allowed=True,
    why={"forward mode used": "f has fewer inputs than outputs here (n < m): forward mode needs n passes, reverse "
                              "mode m, so the Jacobian should be built in forward mode (and only in it).",
         "reverse mode used": "f has fewer outputs than inputs here (m < n): reverse mode needs m passes, forward "
                              "mode n, so the Jacobian should be built in reverse mode (and only in it)."},
    summary="The full Jacobian of `f` at `x`, built in whichever mode needs fewer passes: forward when `f` has "
            "fewer inputs than outputs, reverse otherwise.",
    page=Page(
        sections=(
            ("The idea", (
                r"For $f: \mathbb{R}^n \to \mathbb{R}^m$, one reverse-mode pass (a VJP) gives one **row** of the "
                r"$m \times n$ Jacobian and one forward-mode pass (a JVP) gives one **column**. A full Jacobian "
                r"costs $m$ reverse passes or $n$ forward passes, each about as expensive as evaluating $f$. "
                r"So the shape decides: reverse mode when there are fewer outputs ($m < n$; a scalar loss, "
                r"$m = 1$, is the extreme case and the reason training uses backpropagation), forward mode when "
                r"there are fewer inputs ($n < m$; sensitivities of many outputs to a few parameters).\n\n"
                f"[Lesson 10]({LESSON}) measures it: `torch.func.jacfwd` against `torch.func.jacrev` as $n$ and "
                r"$m$ vary, with the crossover where $n = m$."
            )),
            ("What to do", (
                "Return `(J,)`, the Jacobian in the layout of `torch.autograd.functional.jacobian` (shape "
                "`f(x).shape + x.shape`), computed in forward mode when `x.numel() < f(x).numel()` and in reverse "
                "mode when `f(x).numel() < x.numel()` (the grader never passes a tie). Any tool is allowed: "
                "`torch.func.jacfwd` / `torch.func.jacrev`, your own "
                "[`jacobian_columns`](../semantics/jacobian_columns.md) / "
                "[`jacobian_rows`](../semantics/jacobian_rows.md), or `torch.autograd.functional.jacobian` "
                "with the right `strategy`. Evaluating `f(x)` once without tracking gradients to learn $m$ "
                "costs neither mode."
            )),
        ),
        mistakes=(
            "Always using `torch.autograd.functional.jacobian` with its defaults: that is reverse mode, one "
            "backward pass per output, the slow choice when outputs outnumber inputs.",
            "Deciding by `x.dim()` or `f(x).dim()` instead of the number of entries.",
            "Computing the Jacobian in both modes and returning one of them: both count as used.",
        ),
        testing=(
            "The grader passes functions with fewer outputs than inputs and with more, compares your `J` with "
            "`torch.autograd.functional.jacobian(f, x)`, and measures which modes your code used: the function "
            "it hands you ends in an identity op whose forward-mode rule and backward rule count their calls. "
            "The mode with fewer passes must be used, and only it."
        ),
        hint="`torch.func.jacfwd(f)(x) if x.numel() < m else torch.func.jacrev(f)(x)`.",
    ),
)

OPS: list[Op] = [MUL, EXP, MATMUL_JVP, SOFTMAX, SUM, JACOBIAN_BEST_MODE]

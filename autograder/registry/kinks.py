"""Set ``kinks``: elementwise ops with kinks (teaches: conventions at non-differentiable points)."""

from __future__ import annotations

import torch
import torch.nn.functional as F

from autograder.registry.cases import Case, Shape, normal, transposed, with_dtype
from autograder.registry.elementwise import unary_param_cases, wide
from autograder.registry.op import Convention, Op, Page

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


def mask_jacobian(where_one: str) -> str:
    """The Jacobian sentence of an op whose slope is 0 or 1 (a mask)."""
    return (
        r"Diagonal, and every diagonal entry is 1 or 0: $\partial\,\mathrm{out}_i/\partial x_i = 1$ "
        + where_one + r", and 0 elsewhere. Multiplying by such a Jacobian is masking: the gradient "
        r"passes where the entry is 1 and is blocked where it is 0."
    )


KINK_NOTE = (
    "At the kink itself the function has no derivative: the slopes on the left and on the right differ, and "
    "every value between them is a valid *subgradient*. Finite differences there return the average of the two "
    "one-sided slopes, which is not what torch returns; torch picks one value by convention, and the grader asks "
    "for exactly that value."
)

OPS = [
    Op(
        name="relu",
        set="kinks",
        forward=torch.relu,
        args=("x",),
        cases=unary_param_cases([({}, normal)], points=KINK_POINTS),
        summary="Rectified linear unit: out = max(x, 0).",
        page=Page(
            math=r"\mathrm{out} = \max(x, 0)",
            jacobian=mask_jacobian(r"where $x_i > 0$") + " " + KINK_NOTE,
            vjp=(
                r"$\bar x = \bar{\mathrm{out}} \odot \mathbb{1}[x > 0]$: `grad` where the input was positive, "
                r"0 elsewhere."
            ),
            mistakes=(
                "Using `x >= 0` as the mask: that gives `grad` at $x = 0$, where torch gives 0.",
                "Returning the mask itself, `(x > 0).to(x.dtype)`: right only when `grad` is all ones.",
                "Multiplying by a float64 mask, `grad * (x > 0).double()`: a float32 gradient comes back as "
                "float64. Convert the mask to `grad.dtype`, or use `torch.where`.",
            ),
            hint=(
                "A boolean mask and `torch.where(mask, grad, 0)` (which keeps `grad`'s dtype) is all it takes; "
                "decide on which side of the comparison 0 falls."
            ),
        ),
        convention=(
            r"$\mathrm{relu}'(0) = 0$, for $x = +0$ and $x = -0$ alike: torch's backward lets the gradient through "
            r"where the output is positive, and the output at 0 is 0. It is the smallest subgradient, and it keeps "
            r"dead units dead. Note that `torch.maximum(x, torch.zeros_like(x))` computes the same function but "
            r"gives $\tfrac12$ at 0, because `maximum` splits ties: a convention belongs to an op's implementation, "
            r"not to the mathematical function."
        ),
        conventions=(Convention("relu'(0) = 0", ([-1.0, 0.0, -0.0, 1.0],), ([0.0, 0.0, 0.0, 1.0],)),),
    ),
    Op(
        name="leaky_relu",
        set="kinks",
        forward=lambda x, *, negative_slope: F.leaky_relu(x, negative_slope),
        args=("x",),
        params=("negative_slope",),
        cases=unary_param_cases([({"negative_slope": 0.01}, normal), ({"negative_slope": 0.2}, normal)],
                                points=KINK_POINTS),
        summary="Leaky ReLU: x for x > 0, negative_slope * x otherwise.",
        page=Page(
            math=(
                r"\mathrm{out} = \begin{cases} x & x > 0 \\ \alpha\,x & x \le 0 \end{cases}"
                r"\qquad \alpha = \texttt{negative\_slope}"
            ),
            jacobian=(
                r"Diagonal, with entries 1 where $x_i > 0$ and $\alpha$ where $x_i < 0$: a mask whose blocked "
                r"side leaks a fraction $\alpha$ of the gradient instead of none. " + KINK_NOTE
            ),
            vjp=r"$\bar x = \bar{\mathrm{out}}$ where $x > 0$, and $\alpha\,\bar{\mathrm{out}}$ elsewhere.",
            mistakes=(
                r"Using `x >= 0` as the test: that gives slope 1 at $x = 0$ (JAX's choice), torch gives $\alpha$.",
                r"Putting $\alpha$ on the wrong side: the positive side is the identity.",
                "Returning 0 on the negative side, as relu does: the negative side leaks.",
            ),
            hint=r"`torch.where(x > 0, grad, negative_slope * grad)`, or the same with a mask.",
        ),
        convention=(
            r"At $x = 0$ torch takes the negative branch: $\mathrm{leaky\_relu}'(0) = \alpha$ (0.01 for the "
            r"default slope), because its backward tests $x > 0$. JAX's `leaky_relu` gives 1 there; both are "
            r"valid subgradients, but the grader follows torch."
        ),
        conventions=(
            Convention("leaky_relu'(0) = negative_slope = 0.1", ([-1.0, 0.0, 1.0],), ([0.1, 0.1, 1.0],),
                       {"negative_slope": 0.1}),
            Convention("leaky_relu'(0) = negative_slope = 0.01, also at -0", ([0.0, -0.0],), ([0.01, 0.01],),
                       {"negative_slope": 0.01}),
        ),
    ),
    Op(
        name="abs",
        set="kinks",
        forward=torch.abs,
        args=("x",),
        cases=unary_param_cases([({}, normal)], points=KINK_POINTS),
        summary="Absolute value: out = |x|.",
        page=Page(
            math=r"\mathrm{out} = |x|",
            jacobian=(
                r"Diagonal, with entries $\operatorname{sign}(x_i)$: $+1$ where $x_i > 0$, $-1$ where $x_i < 0$. "
                + KINK_NOTE + r" Here the subgradients at 0 fill the whole interval $[-1, 1]$."
            ),
            vjp=r"$\bar x = \bar{\mathrm{out}} \odot \operatorname{sign}(x)$, with $\operatorname{sign}(0) = 0$.",
            mistakes=(
                "`torch.where(x >= 0, grad, -grad)`: gives `grad` at 0, where torch gives 0.",
                "Returning `grad` unchanged: the negative side flips the sign of the gradient.",
                r"Multiplying by $|x|$ or by $x$ instead of by the slope $\operatorname{sign}(x)$.",
            ),
            hint=r"`torch.sign` already has $\operatorname{sign}(0) = 0$.",
        ),
        convention=(
            r"$|x|'(0) = 0$: torch multiplies `grad` by $\operatorname{sgn}(x)$, which is 0 at $\pm 0$. It is the "
            r"subgradient of smallest size, the one that makes 0 a stationary point of $|x|$. JAX chooses 1 instead."
        ),
        conventions=(Convention("abs'(0) = 0", ([-2.0, 0.0, -0.0, 2.0],), ([-1.0, 0.0, 0.0, 1.0],)),),
    ),
    Op(
        name="clamp",
        set="kinks",
        forward=lambda x, *, min, max: torch.clamp(x, min, max),
        args=("x",),
        params=("min", "max"),
        cases=unary_param_cases([
            ({"min": -0.5, "max": 0.5}, normal),
            ({"min": 0.0, "max": None}, normal),
            ({"min": None, "max": 1.0}, normal),
            ({"min": -1.0, "max": 2.0}, wide),
        ], points=(-1.0, -0.5, 0.0, 0.5, 1.0, 2.0)),
        summary="Clamp to scalar bounds min and max (either may be None).",
        page=Page(
            math=(
                r"\mathrm{out} = \min\bigl(\max(x, \texttt{min}), \texttt{max}\bigr)"
                r"\qquad (\text{a bound that is None is no bound})"
            ),
            jacobian=mask_jacobian(r"where $\texttt{min} < x_i < \texttt{max}$ (the identity part)")
            + r" Below `min` and above `max` the output is a constant. " + KINK_NOTE,
            vjp=(
                r"$\bar x = \bar{\mathrm{out}} \odot \mathbb{1}[\texttt{min} \le x \le \texttt{max}]$ on torch "
                r"2.13.0, both ends included, and a comparison only for a bound that is not None."
            ),
            mistakes=(
                "Strict comparisons, `min < x < max`: 0 at the bounds, which is torch 2.14's convention, not "
                "the pinned 2.13.0's.",
                "Comparing with a bound that is None: `x >= None` raises a TypeError.",
                "Passing the gradient outside the bounds and blocking it inside (an inverted mask).",
            ),
            hint=(
                "Start from an all-true mask, `torch.ones_like(x, dtype=torch.bool)`, and `&` one comparison "
                "into it for each bound that is not None."
            ),
        ),
        convention=(
            r"On the pinned torch 2.13.0 the gradient **passes at a bound**: $\mathrm{clamp}' = 1$ at "
            r"$x = \texttt{min}$ and at $x = \texttt{max}$ (the rule since 2018). **torch 2.14 changed it to 0** "
            r"at the bounds, so this page and its test will change when the course moves to 2.14. If "
            r"$\texttt{min} > \texttt{max}$, torch documents that every output is `max`: the output is constant "
            r"and the gradient is 0 everywhere, which the inclusive mask gives by itself. Compare `hardtanh`: the "
            r"same function, with 0 at the bounds."
        ),
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
    ),
    Op(
        name="clamp_tensor",
        set="kinks",
        forward=torch.clamp,
        args=("x", "lo", "hi"),
        cases=clamp_tensor_cases,
        summary="Clamp to tensor bounds lo and hi, all three broadcast together; every input gets a gradient.",
        page=Page(
            math=(
                r"\mathrm{out} = \min\bigl(\max(x, \mathrm{lo}), \mathrm{hi}\bigr)"
                r"\qquad (x,\ \mathrm{lo},\ \mathrm{hi} \text{ broadcast to a common shape})"
            ),
            jacobian=(
                r"Each output element is a copy of exactly one of $x_i$, $\mathrm{lo}_i$, $\mathrm{hi}_i$, so "
                r"each of the three Jacobians is a 0/1 selection and, away from ties, they add up to the "
                r"identity: the gradient of every output element goes to exactly one input. A bound that was "
                r"broadcast feeds several outputs, so its Jacobian column has several ones and its gradient is a "
                r"sum, as in `mul`. At a tie ($x = \mathrm{lo}$ or $x = \mathrm{hi}$) the output is a copy of "
                r"two inputs at once, and a convention decides who gets the gradient."
            ),
            vjp=(
                r"With $m_x = \mathbb{1}[\mathrm{lo} \le x \le \mathrm{hi}]$, "
                r"$m_{\mathrm{lo}} = \mathbb{1}[x < \mathrm{lo} \text{ and } \mathrm{lo} < \mathrm{hi}]$ and "
                r"$m_{\mathrm{hi}} = \mathbb{1}[x > \mathrm{hi} \text{ or } \mathrm{hi} < \mathrm{lo}]$ "
                r"(computed on the broadcast shape): "
                r"$\bar x = \operatorname{sum\_to}(\bar{\mathrm{out}} \odot m_x)$, "
                r"$\overline{\mathrm{lo}} = \operatorname{sum\_to}(\bar{\mathrm{out}} \odot m_{\mathrm{lo}})$, "
                r"$\overline{\mathrm{hi}} = \operatorname{sum\_to}(\bar{\mathrm{out}} \odot m_{\mathrm{hi}})$, "
                r"each summed down to its own input's shape."
            ),
            mistakes=(
                "Not summing a broadcast bound's gradient back to its shape (a 0-d `lo` needs a 0-d gradient).",
                r"Splitting ties $\tfrac12$/$\tfrac12$ between $x$ and the bound: that is what `torch.maximum` "
                "does, and what torch 2.14 does here, but on 2.13.0 a tie goes entirely to $x$.",
                "Giving a tie to the bound (`x > lo` for x, `x <= lo` for lo).",
                r"Forgetting the case $\mathrm{lo} > \mathrm{hi}$: the output is then $\mathrm{hi}$ and all the "
                r"gradient belongs to $\mathrm{hi}$.",
            ),
            hint=(
                "Compute the three boolean masks exactly as written above, then `torch.where(mask, grad, 0)` "
                "for each, then sum each one down to its input's shape (your `sum_to` from `mul`)."
            ),
        ),
        convention=(
            r"Measured on the pinned torch 2.13.0: at a tie the **whole gradient goes to $x$** (consistent with "
            r"scalar `clamp`, whose gradient is 1 at a bound). The masks above also decide the odd cases: if "
            r"$\mathrm{lo} > \mathrm{hi}$ the output is $\mathrm{hi}$ (as documented) and $\mathrm{hi}$ gets "
            r"everything; if $\mathrm{lo} = \mathrm{hi}$ and $x < \mathrm{lo}$, no mask fires and **no input** gets "
            r"the gradient. torch 2.14 changed ties to a $\tfrac12$/$\tfrac12$ split between $x$ and the bound. "
            r"(torch 2.13.0's own backward raises a RuntimeError for some broadcast patterns, such as $x$ of shape "
            r"(3, 1) with lo (1, 4) and hi (): the grader uses only patterns where torch has an answer.)"
        ),
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
    ),
    Op(
        name="hardtanh",
        set="kinks",
        forward=lambda x, *, min_val, max_val: F.hardtanh(x, min_val, max_val),
        args=("x",),
        params=("min_val", "max_val"),
        cases=unary_param_cases([({"min_val": -1.0, "max_val": 1.0}, normal),
                                 ({"min_val": 0.0, "max_val": 6.0}, wide)],
                                points=(-2.0, -1.0, 0.0, 1.0, 6.0, 7.0)),
        summary="Hardtanh: clamp to [min_val, max_val], with torch's other convention at the bounds.",
        page=Page(
            math=(
                r"\mathrm{out} = \min\bigl(\max(x, \texttt{min\_val}), \texttt{max\_val}\bigr)"
                r"\qquad (\text{defaults } {-1} \text{ and } 1;\ \mathrm{relu6} = \mathrm{hardtanh}(x, 0, 6))"
            ),
            jacobian=mask_jacobian(r"where $\texttt{min\_val} < x_i < \texttt{max\_val}$") + " " + KINK_NOTE,
            vjp=(
                r"$\bar x = \bar{\mathrm{out}} \odot \mathbb{1}[\texttt{min\_val} < x < \texttt{max\_val}]$, "
                r"both comparisons strict."
            ),
            mistakes=(
                "Inclusive bounds, as for `clamp` on torch 2.13.0: hardtanh gives 0 at the bounds.",
                r"Hard-coding the default bounds $\pm 1$ instead of using `min_val` and `max_val`.",
                "Returning the mask without multiplying by `grad`.",
            ),
            hint="One mask with two strict comparisons, then `torch.where`.",
        ),
        convention=(
            r"$\mathrm{hardtanh}' = 0$ at both bounds: torch's backward blocks the gradient where "
            r"$x \le \texttt{min\_val}$ or $x \ge \texttt{max\_val}$. On torch 2.13.0 this is the **opposite** of "
            r"`clamp(x, min_val, max_val)`, the same function, which gives 1 at the bounds. `relu6` is "
            r"`hardtanh(x, 0, 6)` and has gradient 0 at 0 and at 6."
        ),
        conventions=(
            Convention("bounds -1 and 1: gradient 0 at both bounds", ([-2.0, -1.0, 0.0, 1.0, 2.0],),
                       ([0.0, 0.0, 1.0, 0.0, 0.0],), {"min_val": -1.0, "max_val": 1.0}),
            Convention("bounds 0 and 6 (relu6): gradient 0 at 0 and at 6", ([0.0, 3.0, 6.0],), ([0.0, 1.0, 0.0],),
                       {"min_val": 0.0, "max_val": 6.0}),
        ),
    ),
    Op(
        name="sign",
        set="kinks",
        forward=torch.sign,
        args=("x",),
        cases=unary_param_cases([({}, normal)], points=KINK_POINTS),
        summary="Sign: -1, 0 or 1. Its gradient is zero everywhere.",
        page=Page(
            math=r"\mathrm{out} = \operatorname{sign}(x) \in \{-1, 0, 1\}",
            jacobian=(
                r"The zero matrix: the output is piecewise constant, so every slope is 0, except at $x = 0$ "
                r"where the function jumps and has no derivative at all (not even a subgradient; a jump has "
                r"no finite slope)."
            ),
            vjp=(
                r"$\bar x = 0$: a tensor of zeros with the shape and dtype of `x`. `grad` plays no role, "
                r"because zero times anything is zero."
            ),
            mistakes=(
                "Passing `grad` through unchanged (the *straight-through estimator*): a deliberate replacement "
                "of the gradient used to train quantized networks, not the gradient of sign.",
                "Returning `None`: in this course `None` means *this input takes no gradient* (an index "
                "tensor); `x` does take one, and it is zero.",
                "`torch.zeros(x.shape)` without a dtype: that is float32 even when `x` is float64.",
            ),
            hint="`torch.zeros_like(x)` has the right shape and dtype.",
        ),
        convention=(
            r"torch returns 0 everywhere, including at $x = 0$ where the function jumps. Gradient descent "
            r"therefore cannot learn through `sign`; tricks that do (straight-through estimators) substitute "
            r"another gradient on purpose."
        ),
        conventions=(Convention("sign'(x) = 0 everywhere, also at 0", ([-1.0, 0.0, -0.0, 2.0],),
                                ([0.0, 0.0, 0.0, 0.0],)),),
    ),
    Op(
        name="floor",
        set="kinks",
        forward=torch.floor,
        args=("x",),
        cases=unary_param_cases([({}, wide)], points=(-2.0, -1.5, -0.0, 0.0, 0.5, 1.0, 2.0)),
        summary="Floor: the largest integer <= x. Its gradient is zero everywhere.",
        page=Page(
            math=r"\mathrm{out} = \lfloor x \rfloor",
            jacobian=(
                r"The zero matrix: $\lfloor x \rfloor$ is a staircase, flat between integers, with a jump at "
                r"every integer, where there is no derivative."
            ),
            vjp=r"$\bar x = 0$, a tensor of zeros with the shape and dtype of `x`.",
            mistakes=(
                r"Passing `grad` through (the straight-through estimator, $\lfloor x \rfloor \approx x$): a "
                "training trick, not the gradient.",
                "Returning `None` instead of a zero tensor.",
                "`torch.zeros(x.shape)` without a dtype: float32 even when `x` is float64.",
            ),
            hint="`torch.zeros_like(x)` has the right shape and dtype.",
        ),
        convention=(
            r"torch returns 0 everywhere, including at the integers where the staircase jumps. The same holds "
            r"for `ceil`, `round` and `trunc`."
        ),
        conventions=(Convention("floor'(x) = 0 everywhere, also at integers", ([-1.0, 0.0, 0.5, 2.0],),
                                ([0.0, 0.0, 0.0, 0.0],)),),
    ),
]

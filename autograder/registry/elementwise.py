"""Set ``elementwise``: smooth elementwise unary ops (teaches: the VJP of an elementwise op is grad * f'(x))."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import torch
import torch.nn.functional as F

from autograder.registry.cases import Case, Sampler, normal, positive, unary_cases, with_dtype
from autograder.registry.op import Convention, Op, Page

Tensor = torch.Tensor
Setting = tuple[dict[str, Any], Sampler]


def wide(shape: tuple[int, ...], gen: torch.Generator) -> Tensor:
    """Normal values scaled by 3: several periods of sin and cos."""
    return normal(shape, gen) * 3


def away_from_zero(shape: tuple[int, ...], gen: torch.Generator) -> Tensor:
    """Values with 0.2 <= |x| < 3.2 and random signs: both branches of 1/x, never its pole."""
    signs = torch.randint(0, 2, shape, generator=gen).to(torch.float64) * 2 - 1
    return positive(shape, gen) * signs


def unary_param_cases(settings: Sequence[Setting], points: Sequence[float] = ()) -> Callable[
        [torch.Generator], list[Case]]:
    """``unary_cases`` once per parameter setting (each with its own sampler), labelled with the params.

    The exact ``points`` (saturation, kinks, bounds) come in float64 and float32 for every setting.
    """

    def make(gen: torch.Generator) -> list[Case]:
        cases = []
        for params, sample in settings:
            made = unary_cases(sample, points)(gen)
            if points:
                made += with_dtype([c for c in made if "points" in c.label], torch.float32)
            where = ", ".join(f"{k}={v}" for k, v in params.items())
            cases += [Case(f"{c.label}, {where}" if where else c.label, c.inputs, dict(params)) for c in made]
        return cases

    return make


def diagonal(entry: str) -> str:
    """The Jacobian sentence every elementwise op shares, with its own diagonal entry."""
    return (
        r"Diagonal: $\mathrm{out}_i$ depends on $x_i$ alone, so $\partial\,\mathrm{out}_i/\partial x_j = 0$ "
        r"for $i \ne j$ and $\partial\,\mathrm{out}_i/\partial x_i = " + entry + r"$. For an input of $n$ elements "
        r"the Jacobian is an $n \times n$ matrix with only its diagonal filled, so nobody builds it: the "
        r"product with it is an elementwise multiplication."
    )


IGNORES_GRAD = (
    "Returning the local derivative $f'(x)$ alone, without multiplying by `grad`: that is the VJP only for "
    "an all-ones `grad` (a loss `out.sum()`). In a real graph `grad` carries everything downstream of the op."
)
NEEDS_TUPLE = (
    "Returning a bare tensor: a backward returns a tuple with one gradient per input, here `(grad_x,)` with "
    "the trailing comma."
)

OPS = [
    Op(
        name="neg",
        set="elementwise",
        forward=torch.neg,
        args=("x",),
        cases=unary_cases(),
        summary="Negation: out = -x.",
        page=Page(
            math=r"\mathrm{out} = -x",
            jacobian=diagonal("-1") + r" Here the whole Jacobian is $-I$, minus the identity.",
            vjp=(
                r"$\bar x = J^\top \bar{\mathrm{out}} = -\bar{\mathrm{out}}$, where $\bar{\mathrm{out}}$ is "
                r"`grad` and $\bar x$ is what you return. Multiplying by $-I^\top$ negates the vector, nothing more."
            ),
            mistakes=(
                "Returning `-torch.ones_like(x)`: the slope is −1, but the VJP multiplies `grad` by it; the "
                "ones version is right only when `grad` is all ones.",
                "Returning `grad` unchanged: the sign is the entire content of this op.",
                NEEDS_TUPLE,
            ),
            hint="The answer is one expression. A one-element tuple is written `(value,)`.",
        ),
    ),
    Op(
        name="exp",
        set="elementwise",
        forward=torch.exp,
        args=("x",),
        cases=unary_cases(),
        summary="Exponential: out = e^x.",
        page=Page(
            math=r"\mathrm{out} = e^{x}",
            jacobian=diagonal(r"e^{x_i}")
            + r" The diagonal is the output itself: $J = \operatorname{diag}(\mathrm{out})$.",
            vjp=(
                r"$\bar x = \bar{\mathrm{out}} \odot e^{x} = \bar{\mathrm{out}} \odot \mathrm{out}$. torch saves "
                r"the output in the forward pass and multiplies by it; your function receives only `x`, so "
                r"recompute `x.exp()`. When the forward overflows ($x > 709$ in float64, $x > 88$ in float32) the "
                r"output is inf and so is the gradient: torch does the same."
            ),
            mistakes=(
                IGNORES_GRAD,
                "Adding instead of multiplying (`grad + x.exp()`): the chain rule multiplies the incoming "
                "gradient by the local slope.",
                r"Applying the power rule to $e^x$ (`x * torch.exp(x - 1)`): $x$ is the exponent here, not the base.",
            ),
            hint="The derivative of $e^x$ is $e^x$. Multiply it elementwise by `grad`.",
        ),
    ),
    Op(
        name="log",
        set="elementwise",
        forward=torch.log,
        args=("x",),
        cases=unary_cases(positive),
        summary="Natural logarithm on x > 0, plus the boundary x = 0.",
        page=Page(
            math=r"\mathrm{out} = \ln x, \qquad x > 0",
            jacobian=diagonal(r"1/x_i") + " The slope is large near 0 and flattens out as $x$ grows.",
            vjp=r"$\bar x = \bar{\mathrm{out}} / x$ (elementwise division).",
            mistakes=(
                "Multiplying by the function instead of its derivative: `grad * torch.log(x)`.",
                r"Mixing up $\ln x$ and $1/x$: `-grad / x**2` is the VJP of the reciprocal, not of the log.",
                "Guarding the boundary with `torch.where(x == 0, 0, grad / x)` or `grad / (x + eps)`: torch "
                "returns infinity at 0, and the grader compares infinities exactly.",
            ),
            hint=r"`grad / x` is the whole answer; let the division by zero make the infinity by itself.",
        ),
        convention=(
            r"The grader samples $x$ in $[0.2, 3.2)$ and adds the boundary $x = 0$, where the forward is $-\infty$. "
            r"torch still applies the formula there: $\bar x = \bar{\mathrm{out}}/0$, which is $+\infty$ for a "
            r"positive `grad` and $-\infty$ for a negative one. (For negative $x$ the forward is NaN but torch's "
            r"backward still returns `grad / x`, e.g. $-1$ at $x = -1$; the grader does not go there.)"
        ),
        conventions=(Convention("log'(0) = +inf", ([0.0, 1.0],), ([math.inf, 1.0],)),),
    ),
    Op(
        name="sqrt",
        set="elementwise",
        forward=torch.sqrt,
        args=("x",),
        cases=unary_cases(positive),
        summary="Square root on x > 0, plus the boundary x = 0.",
        page=Page(
            math=r"\mathrm{out} = \sqrt{x}, \qquad x \ge 0",
            jacobian=diagonal(r"\frac{1}{2\sqrt{x_i}} = \frac{1}{2\,\mathrm{out}_i}"),
            vjp=(
                r"$\bar x = \bar{\mathrm{out}} / (2\sqrt{x})$. torch writes it with the saved output, "
                r"`grad / (2 * out)`: one division, no second square root."
            ),
            mistakes=(
                r"Forgetting the 2: `grad / torch.sqrt(x)` is twice the right gradient.",
                r"Using the wrong power: $\tfrac12 x^{+1/2}$ instead of $\tfrac12 x^{-1/2}$.",
                "Adding an epsilon to avoid the infinity at 0 (`sqrt(x) + 1e-12`): the gradient there becomes "
                "huge but finite, which is not what torch returns.",
            ),
            hint="Compute `out = x.sqrt()` first, then divide.",
        ),
        convention=(
            r"$\sqrt{x}$ has a vertical tangent at 0. torch extends the formula by continuity, "
            r"$1/(2\sqrt 0) = +\infty$, so at $x = 0$ the gradient is `grad` times $+\infty$: $\pm\infty$ with the "
            r"sign of `grad`. Return exactly that."
        ),
        conventions=(Convention("sqrt'(0) = +inf", ([0.0, 4.0],), ([math.inf, 0.25],)),),
    ),
    Op(
        name="reciprocal",
        set="elementwise",
        forward=torch.reciprocal,
        args=("x",),
        cases=unary_cases(away_from_zero),
        summary="Reciprocal: out = 1/x, on both sides of the pole, plus x = 0 itself.",
        page=Page(
            math=r"\mathrm{out} = \frac{1}{x}",
            jacobian=diagonal(r"-\frac{1}{x_i^2} = -\mathrm{out}_i^2")
            + " The slope is negative on both sides of 0: $1/x$ decreases on each branch.",
            vjp=(
                r"$\bar x = -\bar{\mathrm{out}} \odot \mathrm{out}^2 = -\bar{\mathrm{out}} / x^2$. torch uses the "
                r"first form, with the output it saved."
            ),
            mistakes=(
                "Dropping the minus sign.",
                r"Forgetting to square: `-grad / x` is $\bar{\mathrm{out}}\cdot(-1/x)$, the slope of $-\ln|x|$.",
                IGNORES_GRAD,
            ),
            hint="Compute `out = 1 / x`, then `-grad * out * out`.",
        ),
        convention=(
            r"At $x = 0$ the output is $\pm\infty$ and $\mathrm{out}^2 = +\infty$ for $x = +0$ and $x = -0$ alike, "
            r"so the gradient is $-\infty$ for a positive `grad` (and $+\infty$ for a negative one)."
        ),
        conventions=(Convention("(1/x)' at 0 = -inf, for +0 and -0", ([0.0, -0.0, 2.0],),
                                ([-math.inf, -math.inf, -0.25],)),),
    ),
    Op(
        name="pow_scalar",
        set="elementwise",
        forward=lambda x, *, p: torch.pow(x, p),
        args=("x",),
        params=("p",),
        cases=unary_param_cases([
            ({"p": 2.0}, normal),
            ({"p": 3.0}, normal),
            ({"p": 0.5}, positive),
            ({"p": -1.0}, positive),
            ({"p": 0.0}, normal),
        ]),
        summary="Power with a fixed real exponent: out = x ** p.",
        page=Page(
            math=r"\mathrm{out} = x^{p}, \qquad p \in \mathbb{R} \text{ a fixed number (a parameter, not an input)}",
            jacobian=diagonal(r"p\,x_i^{\,p-1}")
            + " The exponent is a parameter, so there is no gradient for it: only `x` gets one.",
            vjp=(
                r"$\bar x = \bar{\mathrm{out}} \odot p\,x^{p-1}$ for $p \ne 0$, and $\bar x = 0$ for $p = 0$ "
                r"(the output is the constant 1)."
            ),
            mistakes=(
                "Off by one in the exponent: `p * x ** p`.",
                "Forgetting the factor `p` in front.",
                r"No special case for $p = 0$: the formula gives $0 \cdot 0^{-1} = 0 \cdot \infty = \mathrm{NaN}$ "
                r"at $x = 0$, where torch returns 0.",
                r"Going through logarithms, `exp((p - 1) * log(x))`: NaN for negative $x$, even when $p$ is an "
                r"integer and $x^p$ is perfectly defined.",
            ),
            hint=(
                "`p` is a Python number, so `p * x ** (p - 1)` keeps `x`'s dtype. Handle `p == 0` with an `if` "
                "before anything else."
            ),
        ),
        convention=(
            r"The grader uses $p \in \{2, 3, 0.5, -1, 0\}$ ($x > 0$ for $p = 0.5$ and $p = -1$) and checks $x = 0$ "
            r"for each. There torch applies $p\,x^{p-1}$, except for $p = 0$, where it returns exactly 0: "
            r"$p = 2, 3$ give 0, $p = 0.5$ gives $+\infty$, $p = -1$ gives $-\infty$ (times `grad`), $p = 0$ gives 0."
        ),
        conventions=(
            Convention("p = 2: gradient 0 at x = 0", ([0.0, 1.5],), ([0.0, 3.0],), {"p": 2.0}),
            Convention("p = 3: gradient 0 at x = 0", ([0.0, -2.0],), ([0.0, 12.0],), {"p": 3.0}),
            Convention("p = 0.5: gradient +inf at x = 0", ([0.0, 4.0],), ([math.inf, 0.25],), {"p": 0.5}),
            Convention("p = -1: gradient -inf at x = 0", ([0.0, 2.0],), ([-math.inf, -0.25],), {"p": -1.0}),
            Convention("p = 0: gradient 0 at x = 0, not NaN", ([0.0, 3.0],), ([0.0, 0.0],), {"p": 0.0}),
        ),
    ),
    Op(
        name="sin",
        set="elementwise",
        forward=torch.sin,
        args=("x",),
        cases=unary_cases(wide),
        summary="Sine: out = sin x.",
        page=Page(
            math=r"\mathrm{out} = \sin x",
            jacobian=diagonal(r"\cos x_i"),
            vjp=r"$\bar x = \bar{\mathrm{out}} \odot \cos x$.",
            mistakes=(
                r"A sign error: $(\sin x)' = +\cos x$; the minus sign belongs to $(\cos x)' = -\sin x$.",
                r"Multiplying by $\sin x$ (the function) instead of $\cos x$ (its derivative).",
                IGNORES_GRAD,
            ),
            hint="One expression with `torch.cos`.",
        ),
    ),
    Op(
        name="cos",
        set="elementwise",
        forward=torch.cos,
        args=("x",),
        cases=unary_cases(wide),
        summary="Cosine: out = cos x.",
        page=Page(
            math=r"\mathrm{out} = \cos x",
            jacobian=diagonal(r"-\sin x_i"),
            vjp=r"$\bar x = -\bar{\mathrm{out}} \odot \sin x$.",
            mistakes=(
                r"Forgetting the minus sign: $(\cos x)' = -\sin x$.",
                r"Multiplying by $\cos x$ (the function) instead of its derivative.",
                IGNORES_GRAD,
            ),
            hint="One expression with `torch.sin`, and a minus sign.",
        ),
    ),
    Op(
        name="tanh",
        set="elementwise",
        forward=torch.tanh,
        args=("x",),
        cases=unary_param_cases([({}, normal)], points=(-400.0, -30.0, 0.0, 30.0, 400.0)),
        summary="Hyperbolic tangent, including saturated inputs.",
        page=Page(
            math=r"\mathrm{out} = \tanh x = \frac{e^{x} - e^{-x}}{e^{x} + e^{-x}}",
            jacobian=diagonal(r"1 - \tanh^2 x_i = 1 - \mathrm{out}_i^2"),
            vjp=(
                r"$\bar x = \bar{\mathrm{out}} \odot (1 - \mathrm{out}^2)$ with $\mathrm{out} = \tanh x$. "
                r"Written with the output, the derivative cannot overflow: $\tanh$ stays in $[-1, 1]$."
            ),
            mistakes=(
                r"Forgetting the square: `grad * (1 - torch.tanh(x))`.",
                r"Differentiating the exponential form: $4e^{2x}/(e^{2x}+1)^2$ is correct on paper, but "
                r"$e^{2x}$ overflows for $x > 355$ and the result is $\infty/\infty = \mathrm{NaN}$, where torch "
                r"returns 0.",
                r"A sign slip: $1 + \tanh^2 x$.",
                IGNORES_GRAD,
            ),
            hint=r"Compute `out = torch.tanh(x)` and use $1 - \mathrm{out}^2$.",
        ),
        convention=(
            r"Smooth everywhere. For $|x| \gtrsim 19$ (float64) $\tanh x$ rounds to $\pm 1$ and torch's gradient "
            r"is exactly 0: a saturated unit passes no gradient, and never a NaN. The grader checks "
            r"$x = \pm 30$ and $\pm 400$."
        ),
    ),
    Op(
        name="sigmoid",
        set="elementwise",
        forward=torch.sigmoid,
        args=("x",),
        cases=unary_param_cases([({}, normal)], points=(-800.0, -30.0, 0.0, 30.0, 800.0)),
        summary="Logistic sigmoid, including saturated inputs.",
        page=Page(
            math=r"\mathrm{out} = \sigma(x) = \frac{1}{1 + e^{-x}}",
            jacobian=diagonal(r"\sigma(x_i)\,(1 - \sigma(x_i)) = \mathrm{out}_i(1 - \mathrm{out}_i)")
            + r" The largest slope is $1/4$, at $x = 0$.",
            vjp=r"$\bar x = \bar{\mathrm{out}} \odot \mathrm{out} \odot (1 - \mathrm{out})$.",
            mistakes=(
                r"Forgetting the $(1 - \sigma)$ factor: `grad * torch.sigmoid(x)`.",
                r"Differentiating the formula literally, $e^{-x}/(1+e^{-x})^2$: at $x = -800$, $e^{800}$ overflows "
                r"and you get $\infty/\infty = \mathrm{NaN}$; torch gets 0.",
                IGNORES_GRAD,
            ),
            hint=r"Compute `s = torch.sigmoid(x)` once; the derivative is a polynomial in `s`.",
        ),
        convention=(
            r"Smooth everywhere. Saturated inputs give tiny or zero gradients, never NaN: in float64, "
            r"$\sigma'(\pm 30) \approx 9.4 \cdot 10^{-14}$ and $\sigma'(\pm 800) = 0$ exactly. The grader checks "
            r"$x = 0, \pm 30, \pm 800$."
        ),
    ),
    Op(
        name="gelu",
        set="elementwise",
        forward=F.gelu,
        args=("x",),
        cases=unary_param_cases([({}, normal)], points=(-30.0, -3.0, 0.0, 3.0, 30.0)),
        summary="GELU, the exact form with the Gaussian CDF (erf), not the tanh approximation.",
        page=Page(
            math=r"\mathrm{out} = x\,\Phi(x), \qquad \Phi(x) = \tfrac12\left(1 + \operatorname{erf}(x/\sqrt2)\right)",
            jacobian=diagonal(r"\Phi(x_i) + x_i\,\varphi(x_i)")
            + r" Here $\varphi(x) = e^{-x^2/2}/\sqrt{2\pi}$ is the standard normal density, the derivative of $\Phi$.",
            vjp=(
                r"$\bar x = \bar{\mathrm{out}} \odot \left(\Phi(x) + x\,\varphi(x)\right)$: the product rule on "
                r"$x \cdot \Phi(x)$. The slope is $\tfrac12$ at 0 and tends to 1 for large $x$, but it "
                r"is negative for $x < -0.75$ (down to $-0.13$ at $x = -\sqrt2$): GELU dips before it rises."
            ),
            mistakes=(
                r"Dropping the product rule's second term and returning `grad * Phi(x)`.",
                r"Using the tanh approximation $\tfrac12 x\,(1 + \tanh(\sqrt{2/\pi}(x + 0.044715x^3)))$: the op "
                r"here is the exact `F.gelu` (`approximate='none'`), and the two differ by about $10^{-3}$.",
                r"Losing the constant in $\varphi$: $e^{-x^2/2}$ without $1/\sqrt{2\pi}$.",
            ),
            hint=r"`torch.erf` gives $\Phi$; write $\varphi$ with `torch.exp` and `math.sqrt(2 * math.pi)`.",
        ),
        convention=(
            r"Smooth everywhere, with $\mathrm{gelu}'(0) = \tfrac12$. The grader also checks $x = \pm 3$ and "
            r"$\pm 30$, where the slope is 0 or 1 up to a tiny remainder."
        ),
    ),
    Op(
        name="silu",
        set="elementwise",
        forward=F.silu,
        args=("x",),
        cases=unary_param_cases([({}, normal)], points=(-800.0, -30.0, 0.0, 30.0, 800.0)),
        summary="SiLU (swish): out = x * sigmoid(x), including saturated inputs.",
        page=Page(
            math=r"\mathrm{out} = x\,\sigma(x) = \frac{x}{1 + e^{-x}}",
            jacobian=diagonal(r"\sigma(x_i)\,\bigl(1 + x_i\,(1 - \sigma(x_i))\bigr)"),
            vjp=(
                r"$\bar x = \bar{\mathrm{out}} \odot \sigma(x)\,\bigl(1 + x(1 - \sigma(x))\bigr)$. It is the "
                r"product rule, $\sigma(x) + x\,\sigma(x)(1 - \sigma(x))$, with $\sigma(x)$ factored out."
            ),
            mistakes=(
                r"Forgetting the product rule: `grad * torch.sigmoid(x)` is the derivative of $\int\sigma$, "
                r"not of $x\sigma(x)$.",
                r"Writing $\sigma'$ with exponentials, $e^{-x}/(1+e^{-x})^2$: NaN at $x = -800$ where torch "
                r"gives 0.",
                IGNORES_GRAD,
            ),
            hint="Compute `s = torch.sigmoid(x)` once and build the derivative from `s` and `x`.",
        ),
        convention=(
            r"Smooth everywhere, with $\mathrm{silu}'(0) = \tfrac12$. Saturated inputs give 0 and 1, never NaN; "
            r"the grader checks $x = 0, \pm 30, \pm 800$."
        ),
    ),
    Op(
        name="softplus",
        set="elementwise",
        forward=lambda x, *, beta: F.softplus(x, beta=beta),
        args=("x",),
        params=("beta",),
        cases=unary_param_cases([({"beta": 1.0}, normal), ({"beta": 2.0}, normal), ({"beta": 0.5}, wide)],
                                points=(-800.0, -20.0, 0.0, 20.0, 800.0)),
        summary="Softplus with sharpness beta, a smooth ReLU; linear above torch's threshold.",
        page=Page(
            math=(
                r"\mathrm{out} = \frac{1}{\beta}\ln\!\left(1 + e^{\beta x}\right)"
                r"\quad (\text{torch returns } x \text{ itself where } \beta x > 20)"
            ),
            jacobian=diagonal(r"\sigma(\beta x_i) = \frac{1}{1 + e^{-\beta x_i}}")
            + r" The $\beta$ of the chain rule cancels the $1/\beta$ in front.",
            vjp=(
                r"$\bar x = \bar{\mathrm{out}} \odot \sigma(\beta x)$, and exactly $\bar{\mathrm{out}}$ where "
                r"$\beta x > 20$: there torch's forward switches to the identity to avoid overflowing "
                r"$e^{\beta x}$, and its backward follows. The two agree to within $\sigma(20) - 1 \approx "
                r"-2\cdot10^{-9}$, well inside the tolerance."
            ),
            mistakes=(
                r"Ignoring $\beta$: `grad * torch.sigmoid(x)` is right only for $\beta = 1$.",
                r"Keeping both $\beta$ factors: `beta * sigmoid(beta * x)` forgets the $1/\beta$ in front of the log.",
                r"Writing $e^{\beta x}/(1 + e^{\beta x})$: at $\beta x = 800$ that is $\infty/\infty = \mathrm{NaN}$.",
            ),
            hint=r"The derivative of $\ln(1 + e^{z})$ is $\sigma(z)$; use `torch.sigmoid`, which does not overflow.",
        ),
        convention=(
            r"Smooth everywhere: $\mathrm{softplus}'(0) = \tfrac12$ for every $\beta$. For large $\beta x$ the "
            r"gradient is exactly 1 and for very negative $\beta x$ exactly 0; the grader checks "
            r"$x = 0, \pm 20, \pm 800$ with $\beta \in \{1, 2, 0.5\}$."
        ),
    ),
]

"""Set ``reductions``: reductions with dim, keepdim and dim=None (teaches: expanding the gradient back)."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import torch

from autograder.registry.cases import Case, Sampler, Shape, expanded, normal, transposed, with_dtype
from autograder.registry.op import Convention, Op, Page

Tensor = torch.Tensor
NAN = float("nan")
INF = float("inf")
Spec = tuple[Shape, str, dict[str, Any]]
"""One case to draw: the input's shape, its kind (``""``, ``"transposed"``, ``"expanded"``, ``"large"``), the
params."""
Point = tuple[Any, dict[str, Any]]
"""One fixed input (nested lists) with its params: planted ties, zeros, constants."""


def spec(shape: Shape, layout: str = "", **params: Any) -> Spec:
    return shape, layout, params


def _params_text(params: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in params.items())


def _large(shape: Shape, gen: torch.Generator) -> Tensor:
    """Values around ±1000: exp overflows (and underflows) in float64, and far sooner in float32."""
    return normal(shape, gen) * 400 + 1000 * torch.sign(normal(shape, gen))


def _drawn(s: Spec, sample: Sampler, gen: torch.Generator) -> Case:
    shape, layout, params = s[0], s[1], copy.deepcopy(s[2])  # a case owns its params (dims may be lists)
    if layout == "transposed":
        return Case(f"transposed (non-contiguous) input of shape {shape}, {_params_text(params)}",
                    (transposed(sample(shape, gen)),), dict(params))
    if layout == "expanded":
        return Case(f"expanded (stride-0 along dim 0) input of shape {shape}, {_params_text(params)}",
                    (expanded(sample((1, *shape[1:]), gen), shape),), dict(params))
    if layout == "large":
        return Case(f"large-magnitude inputs (about ±1000) of shape {shape}, {_params_text(params)}",
                    (_large(shape, gen),), dict(params))
    return Case(f"shape {shape}, {_params_text(params)}", (sample(shape, gen),), dict(params))


def reduction_cases(specs: Sequence[Spec], sample: Sampler = normal, points: Sequence[Point] = (),
                    float32: Sequence[int] = (2, 4)) -> Callable[[torch.Generator], list[Case]]:
    """Cases for a reduction: each spec drawn from ``sample``, fixed points, and float32 copies of a few specs."""

    def make(gen: torch.Generator) -> list[Case]:
        cases = [_drawn(s, sample, gen) for s in specs]
        cases += [Case(f"at the points {values}, {_params_text(params)}",
                       (torch.tensor(values, dtype=torch.float64),), dict(params)) for values, params in points]
        return cases + with_dtype([cases[i] for i in float32], torch.float32)

    return make


def _quiet(forward: Callable[..., Tensor]) -> Callable[..., Tensor]:
    """The forward without torch's 'degrees of freedom <= 0' warning: the n=1 case is planted on purpose."""

    def call(*args: Any, **kwargs: Any) -> Tensor:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=".*degrees of freedom")
            return forward(*args, **kwargs)

    return call


DIM_KEEPDIM: tuple[Spec, ...] = (
    spec((2, 3, 4), dim=None, keepdim=False),
    spec((2, 3, 4), dim=None, keepdim=True),
    spec((2, 3, 4), dim=0, keepdim=False),
    spec((2, 3, 4), dim=-1, keepdim=True),
    spec((2, 3, 4), dim=[0, 2], keepdim=False),
    spec((2, 3, 4), dim=[0, 2], keepdim=True),
    spec((), dim=None, keepdim=False),
    spec((), dim=0, keepdim=True),
    spec((5,), dim=0, keepdim=False),
    spec((3, 1), dim=1, keepdim=False),
    spec((2, 3), dim=-2, keepdim=False),
    spec((0, 3), dim=1, keepdim=False),
    spec((3, 4), "transposed", dim=0, keepdim=False),
    spec((3, 4), "expanded", dim=1, keepdim=True),
)
"""dim None / int / negative / a list (it arrives as a list over the wire anyway), keepdim both ways,
0-d, size-1 and empty inputs, and two layouts."""

EMPTY_DIM = spec((0, 3), dim=0, keepdim=True)
"""Reducing over an empty dimension: sum gives zeros, mean gives NaN; the gradient is empty either way."""

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

EXPAND_BACK = (
    r"A reduction maps many inputs to one output, so its VJP copies each output's gradient back to every "
    r"input that fed it. In code that is two steps: put the reduced dimensions back as size-1 dimensions "
    r"(`unsqueeze` them, unless `keepdim=True` already kept them), then broadcast against `x`."
)
KEEPDIM_MISTAKE = (
    "Broadcasting `grad` against `x` without putting the reduced dimensions back when `keepdim=False`: a "
    "`(2, 4)` gradient from reducing dim 1 of a `(2, 3, 4)` input fails to broadcast, and a `(3, 4)` one from "
    "reducing dim 0 only broadcasts by luck. Unsqueeze every reduced dimension, in increasing order."
)
DIM_FORMS = (
    "`dim` comes in every form torch accepts: `None` (all dimensions), an int, a negative int, or a list of "
    "ints (a tuple in your own code arrives as a list in the grader's). Normalise it once, with `d % x.dim()`, "
    "into a sorted tuple of non-negative dimensions. A 0-d input has nothing to unsqueeze."
)
GRAD_ONES = "Ignoring `grad` (assuming it is all ones): true only for `out.sum().backward()`."

OPS = [
    Op(
        name="sum",
        set="reductions",
        forward=lambda x, *, dim, keepdim: torch.sum(x, dim=dim, keepdim=keepdim),
        args=("x",),
        params=("dim", "keepdim"),
        cases=reduction_cases((*DIM_KEEPDIM, EMPTY_DIM)),
        summary="Sum over some dimensions (or all of them), with or without keepdim.",
        page=Page(
            math=r"\mathrm{out}_{j} = \sum_{i \in \text{reduced}} x_{j,i}"
                 r"\qquad(\mathrm{out} = \textstyle\sum_i x_i \text{ for } \mathtt{dim=None})",
            jacobian=(
                r"Every entry of $x$ adds into exactly one output, with coefficient 1: "
                r"$\partial\,\mathrm{out}_j/\partial x_{j',i} = [j = j']$. For a full sum the Jacobian is a "
                r"single row of ones, $J = \mathbf 1^\top$; in general it is a 0/1 matrix with one 1 per "
                r"column. Its transpose copies: it is the Jacobian of broadcasting."
            ),
            vjp=(
                r"$\bar x_{j,i} = \bar{\mathrm{out}}_j$ for every reduced index $i$: "
                r"$\bar x = \operatorname{expand}(\operatorname{unsqueeze}(\bar{\mathrm{out}}),\ "
                r"\text{shape of } x)$. " + EXPAND_BACK + " Summing and broadcasting are each other's "
                r"adjoints, which is why `sum_to` in the binary set and this VJP mirror each other."
            ),
            mistakes=(
                KEEPDIM_MISTAKE,
                "Returning `torch.ones_like(x)`: the gradient of each entry is the incoming `grad` of its "
                "output, not 1.",
                "Unsqueezing the wrong dimension for a negative `dim` (for example `unsqueeze(-1)` after "
                "reducing dim -2): normalise negative dims first.",
                "Treating `dim=None` as dim 0, or forgetting that `keepdim=True` with `dim=None` keeps every "
                "dimension as size 1.",
            ),
            hint=(
                DIM_FORMS + " Then `g = grad`; for each reduced `d` (only when `keepdim` is false) "
                "`g = g.unsqueeze(d)`; finally `g.expand(x.shape)`. Write that unsqueeze-and-expand once in "
                "`exercises/helpers.py`: every op in this set uses it."
            ),
        ),
        convention="`sum` is linear, so it is differentiable everywhere, including over an empty dimension "
                   "(the output is 0 and the gradient is empty).",
    ),
    Op(
        name="mean",
        set="reductions",
        forward=lambda x, *, dim, keepdim: torch.mean(x, dim=dim, keepdim=keepdim),
        args=("x",),
        params=("dim", "keepdim"),
        cases=reduction_cases((*DIM_KEEPDIM, EMPTY_DIM)),
        summary="Mean over some dimensions (or all of them), with or without keepdim.",
        page=Page(
            math=r"\mathrm{out}_{j} = \frac1N \sum_{i \in \text{reduced}} x_{j,i},"
                 r"\qquad N = \text{number of entries reduced into each output}",
            jacobian=(
                r"The Jacobian of `sum` scaled by $1/N$: $\partial\,\mathrm{out}_j/\partial x_{j',i} = "
                r"[j = j']/N$. $N$ is the product of the sizes of the reduced dimensions, not `x.numel()` "
                r"(unless every dimension is reduced)."
            ),
            vjp=(
                r"$\bar x = \operatorname{expand}(\operatorname{unsqueeze}(\bar{\mathrm{out}}))/N$. "
                + EXPAND_BACK
            ),
            mistakes=(
                "Dividing by `x.numel()` when only some dimensions are reduced: $N$ counts the entries that "
                "feed one output.",
                "Dividing by `grad.numel()` (the number of outputs) instead of the number of inputs per output.",
                KEEPDIM_MISTAKE,
                "Forgetting the $1/N$ altogether (that is the gradient of `sum`).",
            ),
            hint=(
                DIM_FORMS + " Then $N$ is `math.prod(x.shape[d] for d in dims)` (1 for a 0-d input), and the "
                "gradient is the `sum` gradient divided by $N$."
            ),
        ),
        convention="`mean` is linear and differentiable everywhere. The mean over an empty dimension is "
                   "NaN (0/0) and its gradient is empty.",
    ),
    Op(
        name="prod",
        set="reductions",
        forward=lambda x, *, dim, keepdim: torch.prod(x) if dim is None else torch.prod(x, dim, keepdim=keepdim),
        args=("x",),
        params=("dim", "keepdim"),
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
        summary="Product over one dimension (or all of them): the gradient must survive zeros.",
        page=Page(
            math=r"\mathrm{out}_{j} = \prod_{i} x_{j,i}"
                 r"\qquad(\text{over dim, or over every entry for } \mathtt{dim=None})",
            jacobian=(
                r"$\partial\,\mathrm{out}_j/\partial x_{j,i} = \prod_{k \neq i} x_{j,k}$: the product of "
                r"all the other entries of the same slice. Each output depends on its whole slice, so the "
                r"Jacobian is block-structured (one dense row per output)."
            ),
            vjp=(
                r"$\bar x_{j,i} = \bar{\mathrm{out}}_j \prod_{k \neq i} x_{j,k}$. The tempting shortcut "
                r"$\prod_{k \neq i} x_{j,k} = \mathrm{out}_j / x_{j,i}$ breaks at zeros: with one zero in a "
                r"slice, the zero's own entry is $0/0$ although the product of the others is perfectly "
                r"finite. Compute the products of the others without dividing: the exclusive cumulative "
                r"product from the left times the exclusive cumulative product from the right. "
                + EXPAND_BACK
            ),
            mistakes=(
                "Writing `grad * out / x`: NaN at every zero of `x` (and inf for the others if you "
                "patch it with a tiny epsilon). One zero in a slice must give that entry the product of the "
                "others; two zeros make the whole slice's gradient 0.",
                KEEPDIM_MISTAKE,
                "Treating `dim=None` as a reduction over dim 0: flatten first, then reshape back.",
                GRAD_ONES,
            ),
            hint=(
                "Along dimension `d` of size `n`: `left = cat([ones, x[:n-1]]).cumprod(d)` holds the product "
                "of the entries before each one, `right = cat([x[1:], ones]).flip(d).cumprod(d).flip(d)` the "
                "product of those after it, and `left * right` is the product of all the others, with no "
                "division. Use `narrow` to slice along `d`. With `dim=None` (the grader then always passes "
                "`keepdim=False`) do this on `x.reshape(-1)`."
            ),
        ),
        convention=(
            "`prod` is smooth, but the division shortcut is not: the gradient of a slice with exactly one zero "
            "is the product of the other entries at the zero and 0 elsewhere; with two or more zeros it is 0 "
            "everywhere. That is the true derivative, and what torch computes."
        ),
        conventions=(
            Convention("one zero: [0, 2, 3]", ([0.0, 2.0, 3.0],), ([6.0, 0.0, 0.0],),
                       {"dim": None, "keepdim": False}),
            Convention("two zeros: [0, 2, 0]", ([0.0, 2.0, 0.0],), ([0.0, 0.0, 0.0],),
                       {"dim": None, "keepdim": False}),
            Convention("one zero per row, dim=1", ([[0.0, 2.0, 3.0], [4.0, 0.5, 0.0]],),
                       ([[6.0, 0.0, 0.0], [0.0, 0.0, 2.0]],), {"dim": 1, "keepdim": False}),
        ),
    ),
    Op(
        name="amax",
        set="reductions",
        forward=lambda x, *, dim, keepdim: torch.amax(x, dim=dim, keepdim=keepdim),
        args=("x",),
        params=("dim", "keepdim"),
        cases=reduction_cases(
            (*DIM_KEEPDIM, spec((3, 4), "expanded", dim=0, keepdim=False)),
            points=(
                ([[3.0, 3.0, 1.0], [2.0, 2.0, 2.0]], {"dim": 1, "keepdim": False}),
                ([[1.0, 3.0], [3.0, 0.0]], {"dim": None, "keepdim": True}),
                ([[5.0, -1.0, 5.0], [5.0, 4.0, -2.0]], {"dim": [0, 1], "keepdim": False}),
            ),
        ),
        summary="Maximum over some dimensions (or all of them); ties share the gradient evenly.",
        page=Page(
            math=r"\mathrm{out}_{j} = \max_{i \in \text{reduced}} x_{j,i}",
            jacobian=(
                r"Where the maximum of a slice is unique, $\partial\,\mathrm{out}_j/\partial x_{j,i}$ is 1 at "
                r"the winning entry and 0 elsewhere: a selection, like an indexing op. Where several entries "
                r"tie for the maximum there is a kink and no derivative; `amax` spreads the gradient evenly "
                r"over the tied entries (any weights summing to 1 are valid subgradients; this is the "
                r"symmetric one)."
            ),
            vjp=(
                r"With the mask $m_{j,i} = [x_{j,i} = \mathrm{out}_j]$ and the count "
                r"$c_j = \sum_i m_{j,i}$ of entries that reach the maximum: "
                r"$\bar x_{j,i} = \bar{\mathrm{out}}_j\, m_{j,i} / c_j$. " + EXPAND_BACK
            ),
            mistakes=(
                "Giving the full gradient to every tied entry (mask without dividing by the count): at a tie "
                "the gradient is counted twice.",
                "Giving it all to the first maximum (`argmax`): that is the rule of `max(x, dim)`, a different "
                "op with a different convention.",
                "Comparing `x` with an output that was not unsqueezed back (`keepdim=False`): the comparison "
                "broadcasts along the wrong dimensions or fails.",
                GRAD_ONES,
            ),
            hint=(
                DIM_FORMS + " Recompute the maximum with `keepdim=True` (`x.amax(dims, keepdim=True)`), "
                "build `mask = (x == m)`, count it with the same `dims` and `keepdim=True`, and return "
                "`g * mask / count` with `g` the unsqueezed `grad`. Convert the mask to `grad.dtype`."
            ),
        ),
        convention="At a tie the gradient is split evenly among the tied maxima. Note that `torch.max(x)` "
                   "(no dim) follows the same rule, but `torch.max(x, dim)` does not: see `max_dim`.",
        conventions=(
            Convention("[3, 3, 1]: two tied maxima", ([3.0, 3.0, 1.0],), ([0.5, 0.5, 0.0],),
                       {"dim": None, "keepdim": False}),
            Convention("a row of three equal entries, dim=1", ([[3.0, 3.0, 1.0], [1.0, 1.0, 1.0]],),
                       ([[0.5, 0.5, 0.0], [1 / 3, 1 / 3, 1 / 3]],), {"dim": 1, "keepdim": False}),
        ),
    ),
    Op(
        name="max_dim",
        set="reductions",
        forward=lambda x, *, dim, keepdim: torch.max(x, dim=dim, keepdim=keepdim).values,
        args=("x",),
        params=("dim", "keepdim"),
        cases=reduction_cases(
            (*SINGLE_DIM, spec((3, 4), "expanded", dim=0, keepdim=True)),
            points=(
                ([[3.0, 3.0, 1.0], [1.0, 2.0, 2.0]], {"dim": 1, "keepdim": False}),
                ([[2.0, 5.0], [2.0, 1.0], [0.0, 5.0]], {"dim": 0, "keepdim": True}),
            ),
            float32=(0, 1),
        ),
        summary="The values of `torch.max(x, dim, keepdim)`: the gradient goes to the returned index.",
        page=Page(
            math=r"\mathrm{out}_{j} = x_{j,\,k_j},\qquad k_j = \text{the index } \mathtt{torch.max(x, dim)} "
                 r"\text{ returns (the first maximum along dim)}",
            jacobian=(
                r"A selection: $\partial\,\mathrm{out}_j/\partial x_{j,i} = [i = k_j]$, exactly one 1 per "
                r"output. Unlike `amax`, `torch.max(x, dim)` also returns the indices, and the gradient "
                r"follows the index it returned, even at a tie. On CPU that index is the first maximum."
            ),
            vjp=(
                r"$\bar x_{j,i} = \bar{\mathrm{out}}_j\,[i = k_j]$: a zero tensor with each output's "
                r"gradient scattered to its index. With the indices kept as a size-1 dimension "
                r"(`keepdim=True`), this is `zeros_like(x).scatter(dim, indices, g)` where `g` is `grad` with "
                r"`dim` unsqueezed back."
            ),
            mistakes=(
                "Using the mask `x == max` (every tied entry gets the full gradient) or splitting it evenly "
                "(the `amax` rule): `torch.max(x, dim)` sends it all to the one index it returned.",
                "Scattering without unsqueezing `grad` and the indices when `keepdim=False`: `scatter` needs "
                "index and source with as many dimensions as `x`.",
                "Computing the index with `argmax` over the last dimension instead of `dim`.",
                GRAD_ONES,
            ),
            hint=(
                "Call `torch.max(x, dim, keepdim=True).indices` (a forward call, not autograd), unsqueeze "
                "`grad` at `dim` if `keepdim` is false, and scatter it into `torch.zeros_like(x)`. A 0-d "
                "input works too: `dim` is then 0 or -1 and scatter handles it."
            ),
        ),
        convention=(
            "At a tie the whole gradient goes to the index that `torch.max(x, dim)` returns, which on CPU is "
            "the first maximum along `dim`. This differs from `amax` and from `torch.max(x)` without a dim "
            "(both split ties evenly): the overload decides the convention."
        ),
        conventions=(
            Convention("[3, 3, 1]: two tied maxima", ([3.0, 3.0, 1.0],), ([1.0, 0.0, 0.0],),
                       {"dim": 0, "keepdim": False}),
        ),
    ),
    Op(
        name="logsumexp",
        set="reductions",
        forward=lambda x, *, dim, keepdim: torch.logsumexp(x, dim=dim, keepdim=keepdim),
        args=("x",),
        params=("dim", "keepdim"),
        cases=reduction_cases(
            (
                spec((2, 3, 4), "large", dim=-1, keepdim=False),
                spec((2, 3, 4), dim=[0, 2], keepdim=False),
                spec((2, 3, 4), dim=[0, 1, 2], keepdim=True),
                *SINGLE_DIM,
            ),
            float32=(0, 1),
        ),
        summary="log of the sum of exponentials over some dimensions: a smooth maximum, computed stably.",
        page=Page(
            math=r"\mathrm{out}_{j} = \log \sum_{i \in \text{reduced}} e^{x_{j,i}}",
            jacobian=(
                r"$\partial\,\mathrm{out}_j/\partial x_{j,i} = e^{x_{j,i}} / \sum_k e^{x_{j,k}} "
                r"= e^{x_{j,i} - \mathrm{out}_j}$: the softmax of the slice. Each output's row of the "
                r"Jacobian is a probability vector (positive, summing to 1), which is why logsumexp is "
                r"called a smooth maximum."
            ),
            vjp=(
                r"$\bar x = \operatorname{unsqueeze}(\bar{\mathrm{out}}) \odot "
                r"\exp\!\left(x - \operatorname{unsqueeze}(\mathrm{out})\right)$. Written this way it is "
                r"stable: $x - \mathrm{out} \le 0$, so the exponential never overflows. " + EXPAND_BACK
            ),
            mistakes=(
                "Computing `exp(x) / exp(x).sum(dim)`: `exp(1000)` is inf in float64 (and `exp(89)` in "
                "float32), giving inf/inf = NaN; `exp(-1000)` underflows to 0/0. The grader includes inputs "
                "around ±1000. Subtract the logsumexp (or the maximum) before exponentiating.",
                "Forgetting to unsqueeze the reduced dimensions of both `grad` and the logsumexp when "
                "`keepdim=False`, so that `x - out` broadcasts along the wrong axis.",
                "Using `torch.softmax(x, dim)` with a list of dims: softmax takes one dim; "
                "`exp(x - logsumexp(x, dims, keepdim=True))` takes any.",
                GRAD_ONES,
            ),
            hint=(
                "Call `torch.logsumexp(x, dim, keepdim=True)` in your backward (a forward computation is "
                "allowed; autograd is not), then `g * torch.exp(x - lse)` with `g` the unsqueezed `grad`. "
                "`dim` is an int or a list of ints here, never `None` (torch's logsumexp needs a dim)."
            ),
        ),
        convention=(
            "logsumexp is smooth. Entries of $-\\infty$ are allowed and get gradient 0 (their softmax weight); "
            "a slice that is entirely $-\\infty$ has output $-\\infty$ and gradient NaN, because "
            "$x - \\mathrm{out}$ is $-\\infty - (-\\infty)$."
        ),
        conventions=(
            Convention("one entry is -inf", ([-INF, 0.0],), ([0.0, 1.0],), {"dim": 0, "keepdim": False}),
            Convention("every entry is -inf", ([-INF, -INF],), ([NAN, NAN],), {"dim": 0, "keepdim": False}),
        ),
    ),
    Op(
        name="var",
        set="reductions",
        forward=_quiet(lambda x, *, dim, correction, keepdim: torch.var(x, dim=dim, correction=correction,
                                                                        keepdim=keepdim)),
        args=("x",),
        params=("dim", "correction", "keepdim"),
        cases=reduction_cases(CORRECTION),
        summary="Variance over some dimensions, with a correction (0: population, 1: Bessel's).",
        page=Page(
            math=r"\mathrm{out}_j = \frac{1}{N - c} \sum_{i} \left(x_{j,i} - \mu_j\right)^2,"
                 r"\qquad \mu_j = \frac1N \sum_i x_{j,i}",
            jacobian=(
                r"$\partial\,\mathrm{out}_j/\partial x_{j,i} = \frac{2}{N - c}\,(x_{j,i} - \mu_j)$. The "
                r"mean depends on every entry too, but its contribution vanishes: "
                r"$\partial \mu_j/\partial x_{j,i} = 1/N$ multiplies $\sum_i (x_{j,i} - \mu_j) = 0$. Each "
                r"output's Jacobian row is the centred slice, scaled."
            ),
            vjp=(
                r"$\bar x = \frac{2}{N - c}\,\operatorname{unsqueeze}(\bar{\mathrm{out}}) \odot "
                r"(x - \mu)$ with $\mu$ the mean over the same dimensions, kept as size-1 dimensions, and $N$ "
                r"the number of entries per output. " + EXPAND_BACK
            ),
            mistakes=(
                "Dividing by $N$ whatever the `correction`: the forward divides by $N - c$, and so does the "
                "gradient.",
                "Taking $N$ as `x.numel()` when only some dimensions are reduced.",
                "Adding a term for the mean's dependence on $x$: it sums to zero, so the simple formula is "
                "already exact (and an extra term is wrong).",
                KEEPDIM_MISTAKE,
            ),
            hint=(
                DIM_FORMS + " Compute `mu = x.mean(dims, keepdim=True)` and `n = math.prod(x.shape[d] for d "
                "in dims)`, then `g * 2 * (x - mu) / (n - correction)` with `g` the unsqueezed `grad`. Divide "
                "a tensor by `n - correction` (never compute `2 / (n - correction)` in Python: that raises "
                "ZeroDivisionError where torch gives NaN)."
            ),
        ),
        convention=(
            "`var` is smooth. When the correction uses up every degree of freedom ($N - c = 0$, e.g. one "
            "entry with `correction=1`) the variance is $0/0$ = NaN, and so is its gradient."
        ),
        conventions=(
            Convention("n = 1 with correction=1", ([[2.0]],), ([[NAN]],),
                       {"dim": 1, "correction": 1, "keepdim": False}),
            Convention("n = 1 with correction=0", ([[2.0]],), ([[0.0]],),
                       {"dim": 1, "correction": 0, "keepdim": False}),
        ),
    ),
    Op(
        name="std",
        set="reductions",
        forward=_quiet(lambda x, *, dim, correction, keepdim: torch.std(x, dim=dim, correction=correction,
                                                                        keepdim=keepdim)),
        args=("x",),
        params=("dim", "correction", "keepdim"),
        cases=reduction_cases(CORRECTION),
        summary="Standard deviation over some dimensions, with a correction; zero spread needs care.",
        page=Page(
            math=r"\mathrm{out}_j = \sigma_j = \sqrt{\frac{1}{N - c} \sum_{i} \left(x_{j,i} - "
                 r"\mu_j\right)^2}",
            jacobian=(
                r"By the chain rule through the square root, $\partial\sigma_j/\partial x_{j,i} = "
                r"\frac{1}{2\sigma_j} \cdot \frac{2 (x_{j,i} - \mu_j)}{N - c} = "
                r"\frac{x_{j,i} - \mu_j}{(N - c)\,\sigma_j}$. At a constant slice ($\sigma_j = 0$) the "
                r"square root has a vertical tangent and the formula is $0/0$."
            ),
            vjp=(
                r"$\bar x = \operatorname{unsqueeze}(\bar{\mathrm{out}}) \odot (x - \mu) \oslash "
                r"\big((N - c)\,\operatorname{unsqueeze}(\sigma)\big)$, replaced by 0 wherever "
                r"$\sigma = 0$. " + EXPAND_BACK
            ),
            mistakes=(
                r"Not handling $\sigma = 0$: a constant slice gives $0/0$ = NaN, where torch gives 0.",
                "Forgetting the chain rule through the square root (returning the `var` gradient), or getting "
                r"its factor wrong: $\frac{d}{dv}\sqrt v = \frac{1}{2\sqrt v}$, and that 2 cancels the 2 in the "
                "variance's gradient.",
                "Dividing by $N$ instead of $N - c$.",
                KEEPDIM_MISTAKE,
            ),
            hint=(
                "Reuse your `var` reasoning: compute `sigma = torch.std(x, dim, correction=correction, "
                "keepdim=True)` and `mu`, then `torch.where(sigma == 0, 0, g * (x - mu) / ((n - correction) "
                "* sigma))`. The `where` masks the 0/0 entries; it is safe here because nothing "
                "differentiates through it."
            ),
        ),
        convention=(
            "Torch sets the gradient to 0 where the standard deviation is 0 (a constant slice), instead of "
            "$0/0$. When $N - c = 0$ (one entry with `correction=1`) the output itself is NaN, and so is the "
            "gradient."
        ),
        conventions=(
            Convention("a constant row, correction=1", ([[2.0, 2.0, 2.0]],), ([[0.0, 0.0, 0.0]],),
                       {"dim": 1, "correction": 1, "keepdim": False}),
            Convention("n = 1 with correction=1", ([[2.0]],), ([[NAN]],),
                       {"dim": 1, "correction": 1, "keepdim": False}),
        ),
    ),
    Op(
        name="norm",
        set="reductions",
        forward=lambda x, *, dim, keepdim: torch.linalg.vector_norm(x, dim=dim, keepdim=keepdim),
        args=("x",),
        params=("dim", "keepdim"),
        cases=reduction_cases(
            DIM_KEEPDIM,
            points=(([[0.0, 0.0, 0.0], [3.0, 0.0, -4.0]], {"dim": -1, "keepdim": True}),
                    ([[0.0, 0.0], [0.0, 0.0]], {"dim": None, "keepdim": False})),
        ),
        summary="Euclidean (2-)norm over some dimensions, `torch.linalg.vector_norm`.",
        page=Page(
            math=r"\mathrm{out}_j = \lVert x_{j,:} \rVert_2 = \sqrt{\textstyle\sum_{i} x_{j,i}^2}",
            jacobian=(
                r"$\partial\,\mathrm{out}_j/\partial x_{j,i} = x_{j,i} / \lVert x_{j,:}\rVert_2$: the row "
                r"of each output is the unit vector in the direction of its slice. At $x = 0$ the norm has a "
                r"cone-shaped kink and no derivative; every vector of length at most 1 is a subgradient."
            ),
            vjp=(
                r"$\bar x = \operatorname{unsqueeze}(\bar{\mathrm{out}}) \odot x \oslash "
                r"\operatorname{unsqueeze}(\mathrm{out})$, replaced by 0 where the norm is 0. " + EXPAND_BACK
            ),
            mistakes=(
                "Not handling a zero slice: $0/0$ = NaN, where torch gives 0 (the smallest subgradient).",
                "Using the gradient of the squared norm, `2 * x`: the square root's chain rule divides by "
                "the norm.",
                "Dividing by a norm that was not unsqueezed back (`keepdim=False`): it broadcasts along the "
                "wrong dimensions.",
                GRAD_ONES,
            ),
            hint=(
                "Compute `n = torch.linalg.vector_norm(x, dim=dim, keepdim=True)`, then "
                "`torch.where(n == 0, 0, g * x / n)` with `g` the unsqueezed `grad`. `dim` may be `None`, an "
                "int or a list of ints; `vector_norm` accepts all three as they come."
            ),
        ),
        convention=(
            "At $x = 0$ (the whole reduced slice zero) torch gives gradient 0: the minimum-norm subgradient. "
            "Other libraries differ (JAX gives NaN), so this is a convention, not a theorem."
        ),
        conventions=(
            Convention("x = 0", ([0.0, 0.0],), ([0.0, 0.0],), {"dim": None, "keepdim": False}),
            Convention("one zero row, dim=1", ([[0.0, 0.0], [3.0, 4.0]],), ([[0.0, 0.0], [0.6, 0.8]],),
                       {"dim": 1, "keepdim": False}),
        ),
    ),
    Op(
        name="cumsum",
        set="reductions",
        forward=lambda x, *, dim: torch.cumsum(x, dim=dim),
        args=("x",),
        params=("dim",),
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
        summary="Cumulative sum along one dimension (a scan: the output has the input's shape).",
        page=Page(
            math=r"\mathrm{out}_{k} = \sum_{i \le k} x_{i}\qquad\text{(along dim, for every other index)}",
            jacobian=(
                r"$\partial\,\mathrm{out}_k/\partial x_i = [i \le k]$: along the dimension, the Jacobian "
                r"is the lower-triangular matrix of ones. Its transpose is upper-triangular: input $i$ "
                r"feeds every output from $i$ to the end."
            ),
            vjp=(
                r"$\bar x_i = \sum_{k \ge i} \bar{\mathrm{out}}_k$: a cumulative sum of "
                r"$\bar{\mathrm{out}}$ taken from the end, i.e. `grad.flip(dim).cumsum(dim).flip(dim)`. "
                r"Equivalently $\bar x_i = \sum_k \bar{\mathrm{out}}_k - \sum_{k < i} "
                r"\bar{\mathrm{out}}_k$."
            ),
            mistakes=(
                r"Returning `grad.cumsum(dim)`: that multiplies by $J$ instead of $J^\top$ (a forward "
                "cumulative sum where a reverse one is needed).",
                "Flipping or accumulating along the wrong dimension, or along dim 0 whatever `dim` says.",
                "Returning `grad` unchanged: each input feeds many outputs, and their gradients add up.",
                GRAD_ONES,
            ),
            hint=(
                "Transpose the lower-triangular matrix in your head: entry $i$ collects the gradients of "
                r"outputs $i, i+1, \ldots$. Flip `grad` along `dim`, take `cumsum` along `dim`, flip back."
            ),
        ),
        convention="`cumsum` is linear, so it is differentiable everywhere.",
    ),
]

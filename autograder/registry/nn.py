"""Set ``nn``: neural-network composites (teaches: fused VJPs of softmax, losses, norms, conv, pooling).

Each of these ops is a small graph of primitives that torch differentiates as one node with a hand-written
("fused") backward. The student writes that fused backward: shorter and more stable than chaining the VJPs
of the primitives.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from autograder.registry.cases import Case, Shape, expanded, normal, transposed, with_dtype
from autograder.registry.op import Convention, Op, Page

Tensor = torch.Tensor
INF = float("inf")


def _ties(shape: Shape, gen: torch.Generator) -> Tensor:
    """Small integers: many equal values, so windows have tied maxima."""
    return torch.randint(0, 3, shape, generator=gen).to(torch.float64)


# --- softmax and log_softmax --------------------------------------------------------------------------------


def _softmax_cases(gen: torch.Generator) -> list[Case]:
    """Both softmaxes share their cases: dims of every kind, huge logits, and masked (-inf) logits."""
    cases = [
        Case("shape (5,), dim=0", (normal((5,), gen),), {"dim": 0}),
        Case("shape (3, 4), dim=1", (normal((3, 4), gen),), {"dim": 1}),
        Case("shape (3, 4), dim=0 (columns)", (normal((3, 4), gen),), {"dim": 0}),
        Case("shape (2, 3, 4), dim=-1", (normal((2, 3, 4), gen),), {"dim": -1}),
        Case("shape (2, 3, 4), dim=1 (a middle dimension)", (normal((2, 3, 4), gen),), {"dim": 1}),
        Case("0-d input, dim=0", (normal((), gen),), {"dim": 0}),
        Case("a single class: shape (3, 1), dim=1", (normal((3, 1), gen),), {"dim": 1}),
        Case("empty: shape (0, 3), dim=1", (normal((0, 3), gen),), {"dim": 1}),
        Case("transposed (non-contiguous) input, dim=-1", (transposed(normal((3, 4), gen)),), {"dim": -1}),
        Case("expanded input, equal logits along dim", (expanded(normal((3, 1), gen), (3, 4)),), {"dim": 1}),
    ]
    big = normal((2, 5), gen) * 3 + torch.tensor([[1000.0], [-1000.0]], dtype=torch.float64)
    cases.append(Case("large logits (around +1000 and -1000): exp overflows unless the max is subtracted first",
                      (big,), {"dim": -1}))
    masked = normal((3, 4), gen)
    masked[0, 1] = masked[1, 3] = masked[2, 0] = masked[2, 2] = -INF
    cases.append(Case("masked logits: -inf at some points", (masked,), {"dim": -1}))
    return cases + with_dtype([cases[1], cases[3], cases[10]], torch.float32)


def _softmax(x: Tensor, *, dim: int) -> Tensor:
    return torch.softmax(x, dim=dim)


def _log_softmax(x: Tensor, *, dim: int) -> Tensor:
    return torch.log_softmax(x, dim=dim)


STABLE_SOFTMAX = (
    "Computing the softmax as `x.exp() / x.exp().sum(dim, keepdim=True)`: with logits around 1000, `exp` "
    "overflows to `inf` and the result is `inf / inf = nan`; around -1000 every `exp` is 0 and it is `0 / 0`. "
    "Subtract `x.amax(dim, keepdim=True)` first: softmax does not change when a constant is added along `dim`."
)

SOFTMAX = Op(
    name="softmax",
    set="nn",
    forward=_softmax,
    args=("x",),
    params=("dim",),
    cases=_softmax_cases,
    summary="Softmax along one dimension: positive values that sum to 1.",
    page=Page(
        math=r"s_i = \operatorname{softmax}(x)_i = \frac{e^{x_i}}{\sum_j e^{x_j}}"
             r"\quad\text{(independently for every slice along } \texttt{dim}\text{)}",
        jacobian=(
            r"Every output depends on every input of its slice: $\partial s_i/\partial x_j = s_i(\delta_{ij} - "
            r"s_j)$, so each slice along `dim` has the dense Jacobian $\operatorname{diag}(s) - s s^\top$ "
            r"(symmetric), and different slices do not interact. Its rows sum to 0: adding a constant to "
            r"every logit of a slice leaves the softmax unchanged."
        ),
        vjp=(
            r"$\bar x_j = \sum_i \bar s_i\, s_i(\delta_{ij} - s_j) = s_j\big(\bar s_j - \sum_i \bar s_i s_i\big)$, "
            r"that is `s * (grad - (grad * s).sum(dim, keepdim=True))`. It needs only the output $s$, "
            r"never the $n\times n$ Jacobian: one product, one sum along `dim`, one more product."
        ),
        mistakes=(
            STABLE_SOFTMAX,
            "Keeping only the diagonal of the Jacobian (`grad * s * (1 - s)`, the sigmoid rule): every "
            "output of the slice depends on every input, so the term $-s_j \\sum_i \\bar s_i s_i$ is needed.",
            "Summing over the wrong dimension, or over the whole tensor (`(grad * s).sum()`): slices along "
            "`dim` are independent, so the sum runs along `dim` only, with `keepdim=True` to broadcast back.",
            "Testing only with `grad` all ones: then the right answer is exactly 0 everywhere, and so is the "
            "answer of many wrong formulas.",
        ),
        hint=(
            "Recompute the softmax stably, then apply the VJP formula; no Jacobian is ever built:\n\n"
            "```python\n"
            "e = (x - x.amax(dim, keepdim=True)).exp()\n"
            "s = e / e.sum(dim, keepdim=True)\n"
            "return (s * (grad - (grad * s).sum(dim, keepdim=True)),)\n"
            "```"
        ),
    ),
    convention=(
        "A logit of $-\\infty$ (a masked position) has probability exactly 0, and its gradient is 0: the "
        "factor $s_j = 0$ multiplies it. With the max subtracted first this comes out by itself; a slice that "
        "is entirely $-\\infty$ has no softmax at all (torch gives NaN) and is not graded."
    ),
    conventions=(
        Convention("a -inf logit gets gradient 0", ([[0.0, -INF, 0.0]],), ([[0.0, 0.0, 0.0]],), {"dim": 1}),
    ),
)

LOG_SOFTMAX = Op(
    name="log_softmax",
    set="nn",
    forward=_log_softmax,
    args=("x",),
    params=("dim",),
    cases=_softmax_cases,
    summary="Log of the softmax along one dimension, computed stably.",
    page=Page(
        math=r"y_i = \log\operatorname{softmax}(x)_i = x_i - \log\sum_j e^{x_j}",
        jacobian=(
            r"Dense within each slice along `dim`: $\partial y_i/\partial x_j = \delta_{ij} - s_j$ with "
            r"$s = \operatorname{softmax}(x) = e^{y}$, i.e. $I - \mathbf 1 s^\top$ (not symmetric). Slices do "
            r"not interact."
        ),
        vjp=(
            r"$\bar x_j = \sum_i \bar y_i(\delta_{ij} - s_j) = \bar y_j - s_j \sum_i \bar y_i$, that is "
            r"`grad - s * grad.sum(dim, keepdim=True)`. This is the backward of every classification loss: "
            r"with $\bar y = -\text{one-hot}$ it becomes $s - \text{one-hot}$."
        ),
        mistakes=(
            STABLE_SOFTMAX.replace("Computing the softmax", "Computing $s$"),
            "Reusing the softmax rule `s * (grad - (grad * s).sum(...))`: the Jacobian of the log is "
            "$I - \\mathbf 1 s^\\top$, so the sum is of `grad` alone and it multiplies $s$.",
            "Forgetting the identity part (returning `-s * grad.sum(dim, keepdim=True)`): $y_i$ contains $x_i$ "
            "itself.",
            "Writing the softmax as `torch.log(s)` in the forward and differentiating through `log`: "
            "`1 / s` is infinite where $s$ underflows to 0.",
        ),
        hint=(
            "Recompute $s = \\operatorname{softmax}(x)$ stably (subtract the max along `dim`), then:\n\n"
            "```python\n"
            "return (grad - s * grad.sum(dim, keepdim=True),)\n"
            "```"
        ),
    ),
    convention=(
        "A logit of $-\\infty$ has $s_j = 0$, so its gradient is $\\bar y_j$ itself, not 0: its output "
        "$y_j = -\\infty$ still moves one for one with the identity part of the Jacobian. (Notes that say "
        "\"0 for that entry\" are wrong for torch 2.13: measure.)"
    ),
    conventions=(
        Convention("a -inf logit gets its own grad (here 1), the others grad - s * sum(grad)",
                   ([[0.0, -INF, 0.0]],), ([[-0.5, 1.0, -0.5]],), {"dim": 1}),
    ),
)


# --- cross_entropy ------------------------------------------------------------------------------------------


def _cross_entropy(logits: Tensor, target: Tensor, *, reduction: str, ignore_index: int) -> Tensor:
    return F.cross_entropy(logits, target, reduction=reduction, ignore_index=ignore_index)


def _labels(n: int, c: int, gen: torch.Generator, ignored: tuple[int, ...] = (), ignore_index: int = -100) -> Tensor:
    target = torch.randint(0, c, (n,), generator=gen)
    target[list(ignored)] = ignore_index
    return target


def _cross_entropy_cases(gen: torch.Generator) -> list[Case]:
    def ce(label: str, logits: Tensor, target: Tensor, reduction: str = "mean", ignore_index: int = -100) -> Case:
        return Case(label, (logits, target), {"reduction": reduction, "ignore_index": ignore_index})

    cases = [
        ce("shape (4, 3), reduction='mean'", normal((4, 3), gen), _labels(4, 3, gen)),
        ce("shape (4, 3), reduction='sum'", normal((4, 3), gen), _labels(4, 3, gen), "sum"),
        ce("shape (4, 3), reduction='none'", normal((4, 3), gen), _labels(4, 3, gen), "none"),
        ce("one row: shape (1, 5)", normal((1, 5), gen), _labels(1, 5, gen)),
        ce("one class: shape (3, 1)", normal((3, 1), gen), _labels(3, 1, gen)),
        ce("two rows ignored (target -100), mean over the 4 others", normal((6, 3), gen),
           _labels(6, 3, gen, (1, 4))),
        ce("two rows ignored, reduction='sum'", normal((6, 3), gen), _labels(6, 3, gen, (0, 5)), "sum"),
        ce("two rows ignored, reduction='none'", normal((5, 3), gen), _labels(5, 3, gen, (2, 3)), "none"),
        ce("ignore_index=1, a real class: rows of class 1 are ignored", normal((5, 4), gen),
           torch.tensor([1, 0, 3, 1, 2]), ignore_index=1),
        ce("empty batch: shape (0, 3), reduction='sum'", normal((0, 3), gen), _labels(0, 3, gen), "sum"),
        ce("empty batch: shape (0, 3), reduction='none'", normal((0, 3), gen), _labels(0, 3, gen), "none"),
        ce("transposed (non-contiguous) logits", transposed(normal((4, 3), gen)), _labels(4, 3, gen)),
        ce("expanded logits: every row the same", expanded(normal((1, 3), gen), (4, 3)), _labels(4, 3, gen),
           "sum"),
        ce("large logits (around 1000)", normal((3, 4), gen) * 3 + 1000, _labels(3, 4, gen)),
    ]
    return cases + with_dtype([cases[0], cases[5], cases[13]], torch.float32)


CROSS_ENTROPY = Op(
    name="cross_entropy",
    set="nn",
    forward=_cross_entropy,
    args=("logits", "target"),
    params=("reduction", "ignore_index"),
    differentiable=(True, False),
    cases=_cross_entropy_cases,
    summary="Softmax cross-entropy of logits (N, C) against integer class targets (N,).",
    page=Page(
        math=r"\ell_n = -\log\operatorname{softmax}(z_n)_{t_n} = \log\sum_c e^{z_{nc}} - z_{n t_n},\qquad"
             r"\mathrm{out} = \begin{cases}\frac{1}{|V|}\sum_{n\in V}\ell_n & \texttt{mean}\\"
             r"\sum_{n\in V}\ell_n & \texttt{sum}\\ (\ell_n)_n,\ \ell_n = 0 \text{ for } n\notin V"
             r" & \texttt{none}\end{cases}"
             r"\qquad V = \{n : t_n \ne \mathtt{ignore\_index}\}",
        jacobian=(
            r"Row $n$ of the loss depends only on row $n$ of the logits: $\partial\ell_n/\partial z_{nc} = "
            r"s_{nc} - [c = t_n]$, with $s_n = \operatorname{softmax}(z_n)$. For `mean` and `sum` the output "
            r"is one number, so the Jacobian is a single row of length $N C$; for `none` it is block diagonal "
            r"with one $1\times C$ block per row. Ignored rows contribute nothing: their blocks are 0. The "
            r"integer `target` has no gradient."
        ),
        vjp=(
            r"$\bar z_{nc} = w_n\,(s_{nc} - [c = t_n])$ for $n \in V$ and $0$ for ignored rows, where "
            r"$w_n = \overline{\mathrm{out}}/|V|$ for `mean` (the count of rows that are **not** ignored), "
            r"$w_n = \overline{\mathrm{out}}$ for `sum`, and $w_n = \overline{\mathrm{out}}_n$ for `none`. Return "
            r"`(grad_logits, None)`."
        ),
        mistakes=(
            "Dividing by `N` for `mean` when some rows are ignored: torch divides by the number of rows whose "
            "target is not `ignore_index`.",
            "Building the one-hot with the raw targets: `ignore_index` (-100 by default) is not a class, so "
            "replace ignored targets by any valid class before `one_hot`/`scatter`, then zero those rows.",
            "Multiplying every row by the whole `grad` for `reduction='none'`: there `grad` has shape (N,) "
            "and row $n$ is scaled by `grad[n]` (use `grad[:, None]`).",
            "Using the logits where the softmax belongs (`logits - one_hot`), or an unstable softmax that "
            "returns NaN for logits around 1000.",
            "Returning a tensor for `target`: it is an index tensor; its gradient is `None`.",
        ),
        hint=(
            "Mask the ignored rows before and after the one-hot:\n\n"
            "```python\n"
            "keep = target != ignore_index\n"
            "onehot = F.one_hot(torch.where(keep, target, 0), logits.shape[1])\n"
            "d = (softmax(logits, dim=1) - onehot) * keep[:, None]   # a stable softmax\n"
            "# mean: d * grad / max(keep.sum(), 1)   sum: d * grad   none: d * grad[:, None]\n"
            "```"
        ),
    ),
    convention=(
        "Ignored rows get gradient 0 and do not count in the `mean`. When every row is ignored, torch's "
        "`mean` loss is NaN ($0/0$), but its gradient is 0, not NaN: divide by the count clamped to at least 1."
    ),
    conventions=(
        Convention("an ignored row gets 0, and mean divides by the 1 row that counts",
                   ([[0.0, 0.0], [0.0, 0.0]], torch.tensor([0, -100])), ([[-0.5, 0.5], [0.0, 0.0]], None),
                   {"reduction": "mean", "ignore_index": -100}),
        Convention("every row ignored: the mean loss is NaN but its gradient is 0",
                   ([[1.0, 2.0, 3.0]], torch.tensor([-100])), ([[0.0, 0.0, 0.0]], None),
                   {"reduction": "mean", "ignore_index": -100}),
    ),
)


# --- layer_norm ---------------------------------------------------------------------------------------------


def _layer_norm(x: Tensor, weight: Tensor, bias: Tensor, *, normalized_shape: list[int], eps: float) -> Tensor:
    return F.layer_norm(x, list(normalized_shape), weight, bias, eps)


def _layer_norm_cases(gen: torch.Generator) -> list[Case]:
    def ln(label: str, x: Tensor, shape: Shape, eps: float = 1e-5, w: Tensor | None = None) -> Case:
        weight = normal(shape, gen) if w is None else w
        return Case(label, (x, weight, normal(shape, gen)), {"normalized_shape": list(shape), "eps": eps})

    constant = normal((2, 1), gen).expand(2, 4).contiguous()
    cases = [
        ln("shape (2, 4), normalized over the last dim", normal((2, 4), gen), (4,)),
        ln("1-d input: shape (5,)", normal((5,), gen), (5,)),
        ln("shape (2, 3, 4), normalized over (4,)", normal((2, 3, 4), gen), (4,)),
        ln("shape (2, 3, 4), normalized over the last two dims (3, 4)", normal((2, 3, 4), gen), (3, 4)),
        ln("large eps=0.5: where eps goes matters", normal((3, 2), gen), (2,), eps=0.5),
        ln("one feature: shape (3, 1), the normalized x is 0", normal((3, 1), gen), (1,)),
        ln("constant rows (variance 0): only eps keeps 1/sqrt(var + eps) finite", constant, (4,), eps=1e-3),
        ln("empty batch: shape (0, 4)", normal((0, 4), gen), (4,)),
        ln("transposed (non-contiguous) x", transposed(normal((4, 3), gen)), (3,)),
        ln("expanded x and weight (stride 0)", expanded(normal((1, 4), gen), (3, 4)), (4,),
           w=expanded(normal((1,), gen), (4,))),
        ln("mean far from 0 (around 100)", normal((2, 5), gen) + 100, (5,)),
    ]
    return cases + with_dtype([cases[0], cases[3], cases[10]], torch.float32)


LAYER_NORM = Op(
    name="layer_norm",
    set="nn",
    forward=_layer_norm,
    args=("x", "weight", "bias"),
    params=("normalized_shape", "eps"),
    cases=_layer_norm_cases,
    summary="Layer normalization over the last dimension(s), with an elementwise affine weight and bias.",
    page=Page(
        math=r"\mu = \frac1n\sum_i x_i,\quad \sigma^2 = \frac1n\sum_i (x_i-\mu)^2,\quad "
             r"\hat x_i = \frac{x_i-\mu}{\sqrt{\sigma^2+\varepsilon}},\quad y_i = w_i\hat x_i + b_i",
        jacobian=(
            r"Each group of $n$ elements (a slice over the `normalized_shape` dimensions) is normalized on its "
            r"own, so the Jacobian for `x` is block diagonal with dense $n\times n$ blocks: "
            r"$\partial\hat x_i/\partial x_j = \frac{1}{\sigma_\varepsilon}\big(\delta_{ij} - \frac1n - "
            r"\frac1n\hat x_i\hat x_j\big)$ with $\sigma_\varepsilon = \sqrt{\sigma^2+\varepsilon}$: the "
            r"$-\frac1n$ comes from $\mu$, the $\hat x_i\hat x_j$ term from $\sigma$. `weight` and `bias` are "
            r"shared by every group, so their Jacobians sum over the groups."
        ),
        vjp=(
            r"With $\bar{\hat x} = \bar y \odot w$ and means $\langle\cdot\rangle$ over the normalized "
            r"dimensions: $\bar x = \frac{1}{\sigma_\varepsilon}\big(\bar{\hat x} - \langle\bar{\hat x}\rangle "
            r"- \hat x\,\langle\bar{\hat x}\odot\hat x\rangle\big)$, $\bar w = \sum_{\text{groups}} \bar y\odot"
            r"\hat x$, $\bar b = \sum_{\text{groups}}\bar y$ (summed over the leading, non-normalized "
            r"dimensions)."
        ),
        mistakes=(
            "Treating $\\mu$ and $\\sigma$ as constants (`grad * weight / sigma`): both depend on every "
            "element of the group, which gives the two subtracted mean terms.",
            "Using the unbiased variance (dividing by $n-1$): layer norm uses the biased one, divided by $n$.",
            "Putting eps outside the square root ($\\sigma + \\varepsilon$): the forward uses "
            "$\\sqrt{\\sigma^2 + \\varepsilon}$, which differs a lot when eps is large or the variance is 0.",
            "Returning `grad * x_hat` for `weight` without summing over the leading dimensions: `weight` has "
            "shape `normalized_shape`.",
            "Summing with `t.sum(lead)` when `lead` is the empty tuple (a 1-d `x`): `sum(())` sums over "
            "**every** dimension, so check for it and sum nothing.",
            "Forgetting the weight in the `x` gradient: the normalized value is scaled by $w$ before it "
            "reaches the output.",
        ),
        hint=(
            "Recompute the normalized $\\hat x$, then use the formula (`normalized_shape` arrives as a list):\n\n"
            "```python\n"
            "dims = tuple(range(-len(normalized_shape), 0))   # normalized dims\n"
            "lead = tuple(range(x.dim() - len(dims)))          # the others\n"
            "mu = x.mean(dims, keepdim=True)\n"
            "r = ((x - mu).pow(2).mean(dims, keepdim=True) + eps).rsqrt()\n"
            "xh, gxh = (x - mu) * r, grad * weight\n"
            "gx = r * (gxh - gxh.mean(dims, keepdim=True) - xh * (gxh * xh).mean(dims, keepdim=True))\n"
            "return gx, (grad * xh).sum(lead), grad.sum(lead)   # but sum nothing if lead == ()\n"
            "```"
        ),
    ),
    convention=(
        "Layer norm is smooth everywhere because $\\varepsilon > 0$: for a constant group $\\hat x = 0$ and the "
        "gradient for `x` is $(\\bar{\\hat x} - \\langle\\bar{\\hat x}\\rangle)/\\sqrt{\\varepsilon}$, large but "
        "finite. With a single normalized element ($n = 1$) the gradient for `x` is 0 (up to rounding)."
    ),    # float32: with a mean around 100, x - mean cancels about 7 bits, so x̂ carries absolute errors near
    # ulp(100) = 8e-6; torch's float32 kernel and a correct float32 backward then differ by up to 4e-4
    # (measured over 60 seeds), far above the default atol of 1e-5. float64 keeps the default.
    atol={torch.float64: 1e-9, torch.float32: 1e-3},
)


# --- conv2d -------------------------------------------------------------------------------------------------


def _conv2d(x: Tensor, weight: Tensor, bias: Tensor, *, stride: int, padding: int) -> Tensor:
    return F.conv2d(x, weight, bias, stride=stride, padding=padding)


def _conv2d_cases(gen: torch.Generator) -> list[Case]:
    def conv(label: str, x: Shape, w: Shape, stride: int = 1, padding: int = 0) -> Case:
        return Case(label, (normal(x, gen), normal(w, gen), normal((w[0],), gen)),
                    {"stride": stride, "padding": padding})

    cases = [
        conv("x (1, 1, 4, 4), 3x3 kernel, 2 output channels", (1, 1, 4, 4), (2, 1, 3, 3)),
        conv("x (1, 2, 3, 3), 2x2 kernel, padding=1", (1, 2, 3, 3), (2, 2, 2, 2), padding=1),
        conv("stride 2 leaves the last row and column out", (1, 1, 5, 5), (1, 1, 2, 2), stride=2),
        conv("batch of 2, padding=1", (2, 2, 4, 4), (3, 2, 3, 3), padding=1),
        conv("stride 2 and padding 1", (1, 2, 5, 5), (2, 2, 3, 3), stride=2, padding=1),
        conv("1x1 kernel", (2, 3, 3, 3), (2, 3, 1, 1)),
        conv("empty batch: x (0, 1, 4, 4)", (0, 1, 4, 4), (2, 1, 3, 3), padding=1),
    ]
    x = transposed(normal((2, 1, 4, 5), gen))
    cases.append(Case("transposed (non-contiguous) x", (x, normal((2, 1, 2, 3), gen), normal((2,), gen)),
                      {"stride": 1, "padding": 0}))
    x = normal((2, 3, 3, 3), gen).contiguous(memory_format=torch.channels_last)
    bias = expanded(normal((1,), gen), (2,))
    cases.append(Case("channels-last x, expanded bias", (x, normal((2, 3, 2, 2), gen), bias),
                      {"stride": 2, "padding": 1}))
    return cases + with_dtype([cases[3], cases[4]], torch.float32)


CONV2D = Op(
    name="conv2d",
    set="nn",
    forward=_conv2d,
    args=("x", "weight", "bias"),
    params=("stride", "padding"),
    cases=_conv2d_cases,
    summary="2-D convolution (cross-correlation) of x (N, C, H, W) with weight (O, C, kH, kW), plus a bias (O,).",
    page=Page(
        math=r"\mathrm{out}_{n,o,i,j} = b_o + \sum_{c}\sum_{p<k_H}\sum_{q<k_W} w_{o,c,p,q}\;"
             r"x^{\text{pad}}_{n,\,c,\,s i + p,\,s j + q}",
        jacobian=(
            r"Linear in `x` and in `weight` separately, and sparse: an output pixel depends on one "
            r"$C\times k_H\times k_W$ window of `x`. Cutting every window into a column (*im2col*, "
            r"`F.unfold`) turns the convolution into a matrix product, "
            r"$\mathrm{out}_n = W\,X_n + b$ with $W$ of shape $(O, C k_H k_W)$ and $X_n$ of shape "
            r"$(C k_H k_W, L)$, $L$ the number of output pixels. The Jacobian for `x` is $W$ composed with "
            r"the (0/1) im2col matrix; windows overlap, so one input pixel feeds several outputs."
        ),
        vjp=(
            r"With $G_n$ the cotangent reshaped to $(O, L)$: $\bar W = \sum_n G_n X_n^\top$ (reshaped to the "
            r"weight's shape), $\bar b_o = \sum_{n,i,j}\overline{\mathrm{out}}_{n,o,i,j}$, and "
            r"$\bar x = \text{col2im}(W^\top G_n)$: `F.fold` adds every column back into its window, "
            r"summing where windows overlap and dropping the padding. Equivalently, $\bar x$ is a transposed "
            r"convolution (`F.conv_transpose2d`) of the cotangent with the same weight: a correlation of the padded "
            r"cotangent with the kernel rotated by 180 degrees."
        ),
        mistakes=(
            "Correlating the padded cotangent with the kernel without flipping it: the adjoint of a "
            "cross-correlation is a convolution, i.e. a correlation with the kernel rotated by 180 degrees.",
            "Summing the bias gradient over the spatial dimensions but not over the batch (or the reverse): "
            "the bias is added at every $(n, i, j)$.",
            "Using only the first sample of the batch for the weight gradient: the same kernel is used for every "
            "sample, so their contributions add up.",
            "Forgetting the pixels no window reaches when the stride does not divide the size: their gradient "
            "is 0 and `x`'s gradient keeps the full shape (H, W). `F.fold` with `output_size=(H, W)` "
            "handles it.",
        ),
        hint=(
            "Turn the convolution into a matrix product with `F.unfold`, and back with `F.fold`:\n\n"
            "```python\n"
            "cols = F.unfold(x, (kH, kW), padding=padding, stride=stride)   # (N, C*kH*kW, L)\n"
            "g = grad.flatten(2)                                           # (N, O, L)\n"
            "gw = torch.einsum('nol,nkl->ok', g, cols).reshape(weight.shape)\n"
            "gx = F.fold(weight.flatten(1).T @ g, (H, W), (kH, kW), padding=padding, stride=stride)\n"
            "gb = grad.sum((0, 2, 3))\n"
            "```"
        ),
    ),
)


# --- max_pool2d and avg_pool2d ------------------------------------------------------------------------------


def _max_pool2d(x: Tensor, *, kernel_size: int, stride: int | None) -> Tensor:
    return F.max_pool2d(x, kernel_size, stride)


def _avg_pool2d(x: Tensor, *, kernel_size: int, stride: int | None, padding: int) -> Tensor:
    return F.avg_pool2d(x, kernel_size, stride, padding)


def _max_pool2d_cases(gen: torch.Generator) -> list[Case]:
    def pool(label: str, x: Tensor, k: int, s: int | None = None) -> Case:
        return Case(label, (x,), {"kernel_size": k, "stride": s})

    cases = [
        pool("x (1, 1, 4, 4), 2x2 windows (stride = kernel)", normal((1, 1, 4, 4), gen), 2),
        pool("overlapping windows: kernel 2, stride 1", normal((1, 2, 3, 3), gen), 2, 1),
        pool("kernel 3, stride 2 (overlap of one row and column)", normal((1, 2, 5, 5), gen), 3, 2),
        pool("kernel 3, stride 1: most windows share a maximum", normal((1, 1, 5, 5), gen), 3, 1),
        pool("size not divisible: the last row is in no window", normal((2, 1, 5, 4), gen), 2),
        pool("unbatched input (C, H, W)", normal((2, 4, 4), gen), 2),
        pool("empty batch: x (0, 1, 4, 4)", normal((0, 1, 4, 4), gen), 2),
        pool("transposed (non-contiguous) x", transposed(normal((1, 2, 4, 6), gen)), 2),
        pool("expanded x", expanded(normal((1, 1, 4, 4), gen), (2, 3, 4, 4)), 2),
        pool("ties at points of equal value (the first in the window wins)", _ties((1, 2, 4, 4), gen), 2),
        pool("ties at points of equal value in overlapping windows", _ties((1, 1, 4, 4), gen), 2, 1),
    ]
    return cases + with_dtype([cases[2], cases[9]], torch.float32)


MAX_POOL2D = Op(
    name="max_pool2d",
    set="nn",
    forward=_max_pool2d,
    args=("x",),
    params=("kernel_size", "stride"),
    cases=_max_pool2d_cases,
    summary="2-D max pooling over square windows (stride None means stride = kernel_size).",
    page=Page(
        math=r"\mathrm{out}_{n,c,i,j} = \max_{0\le p,q<k} x_{n,\,c,\,s i+p,\,s j+q}",
        jacobian=(
            r"Very sparse: each output is a copy of one input, the maximum of its window, so its Jacobian row "
            r"has a single 1 (at the argmax) and zeros elsewhere. When windows overlap, one input can be the "
            r"maximum of several windows and its column has several 1s; an input that is nobody's maximum "
            r"has an all-zero column."
        ),
        vjp=(
            r"Route each output's cotangent to the position of its window's maximum and **add** it there: "
            r"$\bar x_{n,c,a,b} = \sum_{(i,j):\ \operatorname{argmax}(i,j) = (a,b)}"
            r" \overline{\mathrm{out}}_{n,c,i,j}$. "
            r"With `F.unfold`: take the argmax over each window's $k^2$ entries, scatter the cotangent into a "
            r"zero tensor of the unfolded shape, then `F.fold` adds the windows back together."
        ),
        mistakes=(
            "Giving the cotangent to every tied maximum (a mask `x == max`), or splitting it among them: "
            "torch gives all of it to the first one in the window (row-major order).",
            "Overwriting instead of adding when windows overlap (`scatter` or index assignment instead of "
            "`scatter_add`/`fold`): an input that is the maximum of two windows gets both cotangents.",
            "Assuming the stride equals the kernel size when a stride is given.",
            "Assuming the size is a multiple of the stride: rows and columns outside every window get 0.",
        ),
        hint=(
            "Unfold the windows, route the cotangent to each window's argmax, fold back (fold adds overlaps):\n\n"
            "```python\n"
            "s = stride or kernel_size; C, k2 = x.shape[-3], kernel_size ** 2\n"
            "cols = F.unfold(x, kernel_size, stride=s).unflatten(-2, (C, k2))   # (N, C, k*k, L)\n"
            "first = cols.argmax(-2, keepdim=True)        # the first of tied maxima\n"
            "routed = torch.zeros_like(cols).scatter(-2, first, grad.flatten(-2).unsqueeze(-2))\n"
            "gx = F.fold(routed.flatten(-3, -2), x.shape[-2:], kernel_size, stride=s)\n"
            "```"
        ),
    ),
    convention=(
        "When several elements of a window are tied for the maximum, the first one in the window (in "
        "row-major order) gets the whole cotangent and the others get 0. With overlapping windows each window "
        "applies this rule on its own, and the amounts add up."
    ),
    conventions=(
        Convention("an all-equal 2x2 window gives everything to its first element",
                   ([[[[1.0, 1.0], [1.0, 1.0]]]],), ([[[[1.0, 0.0], [0.0, 0.0]]]],),
                   {"kernel_size": 2, "stride": None}),
        Convention("all equal, kernel 2, stride 1: each of the 4 windows picks its own first element",
                   ([[[[2.0, 2.0, 2.0], [2.0, 2.0, 2.0], [2.0, 2.0, 2.0]]]],),
                   ([[[[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 0.0]]]],), {"kernel_size": 2, "stride": 1}),
    ),
)


def _avg_pool2d_cases(gen: torch.Generator) -> list[Case]:
    def pool(label: str, x: Tensor, k: int, s: int | None = None, p: int = 0) -> Case:
        return Case(label, (x,), {"kernel_size": k, "stride": s, "padding": p})

    cases = [
        pool("x (1, 1, 4, 4), 2x2 windows (stride = kernel)", normal((1, 1, 4, 4), gen), 2),
        pool("overlapping windows: kernel 2, stride 1", normal((1, 2, 3, 3), gen), 2, 1),
        pool("kernel 3, stride 1, padding 1: border windows count the zero padding", normal((1, 1, 4, 4), gen),
             3, 1, 1),
        pool("kernel 3, stride 2, padding 1", normal((1, 2, 5, 5), gen), 3, 2, 1),
        pool("kernel 2, stride 2, padding 1", normal((2, 1, 3, 3), gen), 2, 2, 1),
        pool("size not divisible: the last row is in no window", normal((2, 1, 5, 4), gen), 2),
        pool("unbatched input (C, H, W)", normal((2, 4, 4), gen), 2),
        pool("empty batch: x (0, 1, 4, 4)", normal((0, 1, 4, 4), gen), 2),
        pool("transposed (non-contiguous) x", transposed(normal((1, 2, 4, 6), gen)), 2),
        pool("expanded x", expanded(normal((1, 1, 4, 4), gen), (2, 3, 4, 4)), 2, 1, 1),
    ]
    return cases + with_dtype([cases[2], cases[3]], torch.float32)


AVG_POOL2D = Op(
    name="avg_pool2d",
    set="nn",
    forward=_avg_pool2d,
    args=("x",),
    params=("kernel_size", "stride", "padding"),
    cases=_avg_pool2d_cases,
    summary="2-D average pooling over square windows, zero padding counted in the average.",
    page=Page(
        math=r"\mathrm{out}_{n,c,i,j} = \frac{1}{k^2}\sum_{0\le p,q<k} x^{\text{pad}}_{n,\,c,\,s i+p-\pi,"
             r"\,s j+q-\pi}\quad(\pi = \texttt{padding},\ \text{padded entries are } 0)",
        jacobian=(
            r"Linear and sparse: an output's row has $1/k^2$ at each in-bounds element of its window (padding "
            r"positions are not inputs, they only lower the average). An input's column has $1/k^2$ once per "
            r"window that covers it: 0, 1 or several times."
        ),
        vjp=(
            r"Spread each output's cotangent evenly over its window and add where windows overlap: "
            r"$\bar x_{n,c,a,b} = \frac{1}{k^2}\sum_{(i,j):\ (a,b)\in\text{window}(i,j)}"
            r" \overline{\mathrm{out}}_{n,c,i,j}$. "
            r"In code: repeat `grad / k**2` over the $k^2$ positions of each window and `F.fold` it back "
            r"with the same stride and padding (fold drops what lands on the padding)."
        ),
        mistakes=(
            "Dividing by the number of in-bounds elements in border windows: that is "
            "`count_include_pad=False`. The default (used here) always divides by $k^2$, padding included.",
            "Forgetting the $1/k^2$ (copying the cotangent to every position of the window).",
            "Writing instead of adding where windows overlap (stride smaller than the kernel).",
            "Returning the padded shape: the gradient has exactly `x`'s shape; whatever lands on the padding "
            "is dropped.",
        ),
        hint=(
            "Copy `grad / k**2` to every position of each window, then fold back (fold adds overlaps and drops "
            "the padding):\n\n"
            "```python\n"
            "s = stride or kernel_size; k2 = kernel_size ** 2\n"
            "g = (grad.flatten(-2) / k2).unsqueeze(-2)               # (N, C, 1, L)\n"
            "cols = g.expand(*g.shape[:-2], k2, g.shape[-1]).flatten(-3, -2)\n"
            "gx = F.fold(cols, x.shape[-2:], kernel_size, stride=s, padding=padding)\n"
            "```"
        ),
    ),
)


# --- dropout_with_mask --------------------------------------------------------------------------------------


def _dropout_with_mask(x: Tensor, mask: Tensor, *, p: float) -> Tensor:
    return x * mask / (1 - p)


def _keep(shape: Shape, p: float, gen: torch.Generator) -> Tensor:
    return (torch.rand(shape, generator=gen, dtype=torch.float64) >= p).to(torch.float64)


def _dropout_cases(gen: torch.Generator) -> list[Case]:
    def drop(label: str, shape: Shape, p: float) -> Case:
        return Case(label, (normal(shape, gen), _keep(shape, p, gen)), {"p": p})

    cases = [
        drop("shape (3, 4), p=0.5", (3, 4), 0.5),
        drop("shape (2, 3, 4), p=0.2", (2, 3, 4), 0.2),
        drop("shape (6,), p=0.9: the kept entries are scaled by 10", (6,), 0.9),
        drop("p=0: nothing dropped, no scaling", (3, 4), 0.0),
        drop("0-d input, p=0.3", (), 0.3),
        drop("empty: shape (0, 3), p=0.5", (0, 3), 0.5),
    ]
    mask = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]], dtype=torch.float64)
    cases.append(Case("a given mask with p=0: the mask still multiplies", (normal((2, 3), gen), mask), {"p": 0.0}))
    cases.append(Case("transposed (non-contiguous) x and mask",
                      (transposed(normal((3, 4), gen)), transposed(_keep((3, 4), 0.5, gen))), {"p": 0.5}))
    cases.append(Case("expanded x and mask (stride 0)",
                      (expanded(normal((1, 4), gen), (3, 4)), expanded(_keep((1, 4), 0.5, gen), (3, 4))), {"p": 0.25}))
    return cases + with_dtype([cases[0], cases[2]], torch.float32)


DROPOUT_WITH_MASK = Op(
    name="dropout_with_mask",
    set="nn",
    forward=_dropout_with_mask,
    args=("x", "mask"),
    params=("p",),
    differentiable=(True, False),
    cases=_dropout_cases,
    summary="Inverted dropout with a given 0/1 mask: kept entries are scaled by 1/(1-p).",
    page=Page(
        math=r"\mathrm{out} = \frac{x\odot m}{1-p},\qquad m\in\{0,1\}^{\text{shape of }x}\ \text{(given)}",
        jacobian=(
            r"Diagonal: $\partial\,\mathrm{out}_i/\partial x_i = m_i/(1-p)$, which is $1/(1-p)$ where the "
            r"entry was kept and $0$ where it was dropped. The mask is data drawn at random in the forward "
            r"pass, not a parameter: it gets no gradient."
        ),
        vjp=(
            r"$\bar x = \overline{\mathrm{out}}\odot m/(1-p)$: the backward reuses the **same** mask as the forward, "
            r"so a dropped unit passes no gradient, and the kept ones are scaled by the same $1/(1-p)$ that "
            r"keeps the expected activation unchanged. Return `(grad_x, None)`."
        ),
        mistakes=(
            "Forgetting the $1/(1-p)$ scale in the backward: the forward applied it, so the Jacobian "
            "contains it.",
            "Scaling by $1/p$ or by $(1-p)$: `p` is the probability of dropping, $1-p$ of keeping.",
            "Ignoring the mask (only scaling): dropped units must get gradient 0.",
            "Drawing a new random mask in the backward: the gradient must use the mask the forward used.",
            "Returning a gradient for the mask: it is an input the exercise declares non-differentiable "
            "(return `None`).",
        ),
        hint="Return (grad * mask / (1 - p), None). With p=0 this is grad * mask.",
    ),
    convention=(
        "`p` is in $[0, 1)$: at $p = 0$ nothing is scaled (the given mask still multiplies). $p = 1$ drops "
        "everything and divides by 0; the forward is then undefined, and it is not graded."
    ),
)


OPS: list[Op] = [SOFTMAX, LOG_SOFTMAX, CROSS_ENTROPY, LAYER_NORM, CONV2D, MAX_POOL2D, AVG_POOL2D, DROPOUT_WITH_MASK]

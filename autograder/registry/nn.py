"""Set ``nn``: neural-network composites (teaches: fused VJPs of softmax, losses, norms, conv, pooling).

Each of these ops is a small graph of primitives that torch differentiates as one node with a hand-written
("fused") backward. The student writes that fused backward: shorter and more stable than chaining the VJPs
of the primitives.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from autograder.registry import declare
from autograder.registry.cases import Case, Shape, expanded, normal, transposed, with_dtype
from autograder.registry.op import Convention, Op

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


SOFTMAX = declare.vjp(
    name="softmax", set="nn", forward=_softmax, args=("x",), params=("dim",), cases=_softmax_cases,
    conventions=(
        Convention("a -inf logit gets gradient 0", ([[0.0, -INF, 0.0]],), ([[0.0, 0.0, 0.0]],), {"dim": 1}),
    ),
)

LOG_SOFTMAX = declare.vjp(
    name="log_softmax", set="nn", forward=_log_softmax, args=("x",), params=("dim",), cases=_softmax_cases,
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


CROSS_ENTROPY = declare.vjp(
    name="cross_entropy", set="nn", forward=_cross_entropy, args=("logits", "target"),
    params=("reduction", "ignore_index"), differentiable=(True, False), cases=_cross_entropy_cases,
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


LAYER_NORM = declare.vjp(
    name="layer_norm", set="nn", forward=_layer_norm, args=("x", "weight", "bias"), params=("normalized_shape", "eps"),
    cases=_layer_norm_cases,
    # float32: with a mean around 100, x - mean cancels about 7 bits, so x̂ carries absolute errors near
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


CONV2D = declare.vjp(
    name="conv2d", set="nn", forward=_conv2d, args=("x", "weight", "bias"), params=("stride", "padding"),
    cases=_conv2d_cases,
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


MAX_POOL2D = declare.vjp(
    name="max_pool2d", set="nn", forward=_max_pool2d, args=("x",), params=("kernel_size", "stride"),
    cases=_max_pool2d_cases,
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


AVG_POOL2D = declare.vjp(
    name="avg_pool2d", set="nn", forward=_avg_pool2d, args=("x",), params=("kernel_size", "stride", "padding"),
    cases=_avg_pool2d_cases,
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


DROPOUT_WITH_MASK = declare.vjp(
    name="dropout_with_mask", set="nn", forward=_dropout_with_mask, args=("x", "mask"), params=("p",),
    differentiable=(True, False), cases=_dropout_cases,
)


OPS: list[Op] = [SOFTMAX, LOG_SOFTMAX, CROSS_ENTROPY, LAYER_NORM, CONV2D, MAX_POOL2D, AVG_POOL2D, DROPOUT_WITH_MASK]

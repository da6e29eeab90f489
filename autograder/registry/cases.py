"""Test cases and the shape families they are drawn from.

A case is one call of a student's backward: its tensor inputs (any dtype, any layout, possibly
non-contiguous views), its keyword parameters and a label that says in words what is special about it.
Cases are generated from a seeded ``torch.Generator``, so the same seed always gives the same cases.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

Tensor = torch.Tensor
Shape = tuple[int, ...]
Sampler = Callable[[Shape, torch.Generator], Tensor]
Setting = tuple[dict[str, Any], Sampler]
"""Parameters of an op and the sampler of its inputs for them."""


@dataclass(frozen=True)
class Case:
    label: str
    inputs: tuple[Tensor, ...]
    params: dict[str, Any] = field(default_factory=dict)
    rank: int | None = None
    """Where to report this case among its op's failures, when input size is not the right measure (graph
    programs: the named behaviours before random graphs); None means by size."""

    @property
    def size(self) -> int:
        """How big the case is, to report the smallest failing one first."""
        if self.rank is not None:
            return self.rank
        return sum(t.numel() for t in self.inputs) + len(self.inputs)

    @property
    def empty(self) -> bool:
        """Cases with empty tensors are reported last: they explain least."""
        return any(t.numel() == 0 for t in self.inputs)

    def shapes(self) -> str:
        return ", ".join(str(tuple(t.shape)) for t in self.inputs)


CaseMaker = Callable[[torch.Generator], list[Case]]


def domain(words: str) -> Callable[[Sampler], Sampler]:
    """Marks a sampler with what its values are, for pages: ``words`` with ``{v}`` for the input's name."""

    def mark(sample: Sampler) -> Sampler:
        sample.domain = words  # type: ignore[attr-defined]
        return sample

    return mark


def described(make: CaseMaker, **words: str) -> CaseMaker:
    """The case maker, carrying the words its op's page fills ``{{name}}`` fields with."""
    make.words = words  # type: ignore[attr-defined]
    return make


def spec_text(make: CaseMaker, field: str) -> str:
    """The words for the page field ``{{field}}`` from an op's case maker (see :func:`described`)."""
    words = getattr(make, "words", {})
    if field not in words:
        raise KeyError(f"the page asks for {{{{{field}}}}} but the op's cases only describe {sorted(words)}")
    return words[field]


def sampled(sample: Sampler, v: str) -> str:
    return sample.domain.format(v=v)  # type: ignore[attr-defined]


def points_text(points: Sequence[float], v: str = "x") -> str:
    """Exact points for a page: ``$x = 0, \\pm 30, 800$``."""
    words = []
    for p in sorted({p + 0.0 for p in points}, key=lambda p: (abs(p), p)):  # + 0.0: -0.0 is said as 0
        if not (p < 0 and -p in points):  # said with its positive twin
            words.append(rf"\pm {p:g}" if p > 0 and -p in points else f"{p:g}")
    return f"${v} = {', '.join(words)}$"


def settings_text(settings: Sequence[Setting], v: str = "x") -> str:
    """Parameter settings for a page: ``$\\beta \\in \\{1, 2\\}$``, and the inputs' domain where it differs."""
    names = list(dict.fromkeys(n for params, _ in settings for n in params))
    values = [", ".join(_number(params.get(n)) for params, _ in settings) for n in names]
    text = ", ".join(rf"${_tex(n)} \in \{{{vals}\}}$" for n, vals in zip(names, values, strict=True))
    for sample in dict.fromkeys(s for _, s in settings if s is not settings[0][1]):
        which = " and ".join(", ".join(f"${_tex(n)} = {_number(params.get(n))}$" for n in names)
                             for params, s in settings if s is sample)
        text += f" ({sampled(sample, v)} for {which})"
    return text


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float | int) else str(value)


def _tex(name: str) -> str:
    return "\\" + name if name in ("alpha", "beta", "lambda") else name


@domain(r"${v}$ from the standard normal distribution")
def normal(shape: Shape, gen: torch.Generator) -> Tensor:
    return torch.randn(shape, generator=gen, dtype=torch.float64)


@domain(r"${v} \in [0.2, 3.2)$")
def positive(shape: Shape, gen: torch.Generator) -> Tensor:
    """Inside the domain of log, sqrt, 1/x and x**p."""
    return torch.rand(shape, generator=gen, dtype=torch.float64) * 3 + 0.2


BROADCAST_PAIRS: tuple[tuple[Shape, Shape], ...] = (
    ((3,), (3,)),
    ((2, 3), (2, 3)),
    ((), (3,)),
    ((3,), ()),
    ((3, 1), (1, 4)),
    ((2, 3, 4), (4,)),
    ((4,), (2, 3, 4)),
    ((2, 1, 4), (3, 1)),
    ((1,), (2, 3)),
    ((0, 3), (3,)),
)
"""Shape pairs for binary ops: equal shapes, 0-d, size-1 dims, prepended dims, both sides, empty."""

UNARY_SHAPES: tuple[Shape, ...] = ((), (1,), (5,), (3, 4), (2, 3, 4), (0, 3))


def transposed(t: Tensor) -> Tensor:
    """The same values in a non-contiguous (transposed) layout."""
    return t.mT.contiguous().mT if t.dim() >= 2 else t


def expanded(t: Tensor, shape: Shape) -> Tensor:
    """A stride-0 broadcast view of ``t`` with the given shape."""
    return t.expand(shape)


def with_dtype(cases: Sequence[Case], dtype: torch.dtype) -> list[Case]:
    """The same cases in another floating dtype (integer inputs, such as indices, are kept)."""
    out = []
    for case in cases:
        inputs = tuple(t.to(dtype) if t.is_floating_point() else t for t in case.inputs)
        out.append(Case(f"{case.label}, {str(dtype).removeprefix('torch.')}", inputs, dict(case.params)))
    return out


def unary_cases(sample: Sampler = normal, points: Sequence[float] = ()) -> CaseMaker:
    """Cases for an elementwise unary op: every shape family, two layouts, float32, and exact points."""

    def make(gen: torch.Generator) -> list[Case]:
        cases = [Case(f"shape {shape}", (sample(shape, gen),)) for shape in UNARY_SHAPES]
        cases.append(Case("transposed (non-contiguous) input", (transposed(sample((3, 4), gen)),)))
        cases.append(Case("expanded (stride-0) input", (expanded(sample((1, 4), gen), (3, 4)),)))
        if points:
            cases.append(Case(f"at the points {list(points)}", (torch.tensor(points, dtype=torch.float64),)))
        return cases + with_dtype(cases[2:4], torch.float32)

    return described(make, sampled=sampled(sample, "x"), **({"points": points_text(points)} if points else {}))


def binary_cases(sample_x: Sampler = normal, sample_y: Sampler = normal,
                 points: Sequence[tuple[float, float]] = ()) -> CaseMaker:
    """Cases for a broadcasting binary op: every pair in BROADCAST_PAIRS, layouts, float32, exact points."""

    def make(gen: torch.Generator) -> list[Case]:
        cases = [Case(f"shapes {sx} and {sy}", (sample_x(sx, gen), sample_y(sy, gen)))
                 for sx, sy in BROADCAST_PAIRS]
        cases.append(Case("transposed x, expanded y",
                          (transposed(sample_x((3, 4), gen)), expanded(sample_y((1, 4), gen), (3, 4)))))
        if points:
            xs, ys = zip(*points, strict=True)
            cases.append(Case(f"at the points {list(points)}",
                              (torch.tensor(xs, dtype=torch.float64), torch.tensor(ys, dtype=torch.float64))))
        return cases + with_dtype(cases[4:6], torch.float32)

    return described(make, sampled_x=sampled(sample_x, "x"), sampled_y=sampled(sample_y, "y"))


@domain(r"${v}$ normal with standard deviation 3")
def wide(shape: tuple[int, ...], gen: torch.Generator) -> Tensor:
    """Several periods of sin and cos."""
    return normal(shape, gen) * 3


@domain(r"${v}$ of either sign with $0.2 \le |{v}| < 3.2$")
def away_from_zero(shape: tuple[int, ...], gen: torch.Generator) -> Tensor:
    """Both branches of 1/x, never its pole."""
    signs = torch.randint(0, 2, shape, generator=gen).to(torch.float64) * 2 - 1
    return positive(shape, gen) * signs


def unary_param_cases(settings: Sequence[Setting], points: Sequence[float] = ()) -> CaseMaker:
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

    return described(make, sampled=sampled(settings[0][1], "x"), settings=settings_text(settings),
                     **({"points": points_text(points)} if points else {}))


Spec = tuple[Shape, str, dict[str, Any]]
"""One case to draw: the input's shape, its kind (``""``, ``"transposed"``, ``"expanded"``, ``"large"``), the
params."""
Point = tuple[Any, dict[str, Any]]
"""One fixed input (nested lists) with its params: planted ties, zeros, constants."""


def spec(shape: Shape, layout: str = "", **params: Any) -> Spec:
    return shape, layout, params


def _params_text(params: dict[str, Any]) -> str:
    return ", ".join(f"{k}={v!r}" for k, v in params.items())


@domain(r"${v}$ around $\pm 1000$")
def _large(shape: Shape, gen: torch.Generator) -> Tensor:
    """exp overflows (and underflows) in float64, and far sooner in float32."""
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
                    float32: Sequence[int] = (2, 4)) -> CaseMaker:
    """Cases for a reduction: each spec drawn from ``sample``, fixed points, and float32 copies of a few specs."""

    def make(gen: torch.Generator) -> list[Case]:
        cases = [_drawn(s, sample, gen) for s in specs]
        cases += [Case(f"at the points {values}, {_params_text(params)}",
                       (torch.tensor(values, dtype=torch.float64),), dict(params)) for values, params in points]
        return cases + with_dtype([cases[i] for i in float32], torch.float32)

    large = any(layout == "large" for _, layout, _ in specs)
    return described(make, sampled=sampled(sample, "x"), **({"large": sampled(_large, "x")} if large else {}))


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


def pair(label: str, a: Tensor, b: Tensor, **params: object) -> Case:
    return Case(label, (a, b), dict(params))


def matmul_cases(gen: torch.Generator) -> list[Case]:
    cases = [
        pair("(3,) @ (3,): a dot product", normal((3,), gen), normal((3,), gen)),
        pair("(3,) @ (3, 4): vector times matrix", normal((3,), gen), normal((3, 4), gen)),
        pair("(2, 3) @ (3,): matrix times vector", normal((2, 3), gen), normal((3,), gen)),
        pair("(2, 3) @ (3, 4)", normal((2, 3), gen), normal((3, 4), gen)),
        pair("(3, 3) @ (3, 3): square, not symmetric", normal((3, 3), gen), normal((3, 3), gen)),
        pair("(2, 2, 3) @ (3, 4): batched A, shared B", normal((2, 2, 3), gen), normal((3, 4), gen)),
        pair("(2, 3) @ (2, 3, 4): shared A, batched B", normal((2, 3), gen), normal((2, 3, 4), gen)),
        pair("(2, 1, 2, 3) @ (3, 3, 4): broadcast batch dims", normal((2, 1, 2, 3), gen), normal((3, 3, 4), gen)),
        pair("(3,) @ (2, 3, 4): vector times batched matrix", normal((3,), gen), normal((2, 3, 4), gen)),
        pair("(2, 2, 3) @ (3,): batched matrix times vector", normal((2, 2, 3), gen), normal((3,), gen)),
        pair("empty (0, 3) @ (3, 2)", normal((0, 3), gen), normal((3, 2), gen)),
        pair("(2, 0) @ (0, 3): an empty inner dimension", normal((2, 0), gen), normal((0, 3), gen)),
        pair("transposed (non-contiguous) A (2, 3) @ (3, 4)", transposed(normal((2, 3), gen)), normal((3, 4), gen)),
        pair("(2, 3) @ expanded (stride-0) B (2, 3, 4)", normal((2, 3), gen),
              expanded(normal((1, 3, 4), gen), (2, 3, 4))),
    ]
    return cases + with_dtype([cases[3], cases[7]], torch.float32)

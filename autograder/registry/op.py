"""What an op exercise is: one declaration holds everything every other part derives from."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import torch

from autograder.registry.cases import Case

Tensor = torch.Tensor
CaseMaker = Callable[[torch.Generator], list[Case]]


@dataclass(frozen=True)
class Page:
    """The teaching text of an op's exercise page (Markdown with MathJax)."""

    math: str
    """The forward function, as a formula."""
    jacobian: str
    """What the Jacobian looks like (diagonal, block, sparse...)."""
    vjp: str
    """The VJP formula the student should implement."""
    mistakes: Sequence[str] = ()
    hint: str = ""


@dataclass(frozen=True)
class Convention:
    """A measured fact at a kink or tie: with an all-ones ``grad`` at these inputs, the pinned torch gives
    these gradients. Pages print it, a test re-measures it (failing on drift), and it is a graded case."""

    says: str
    """In words, for the page: ``"relu'(0) = 0"``."""
    inputs: tuple[Any, ...]
    """Python numbers or nested lists (made float64 tensors), or tensors (used as they are)."""
    grads: tuple[Any, ...]
    """Expected gradient per input (``None`` for a non-differentiable input)."""
    params: dict[str, Any] = field(default_factory=dict)

    def case(self) -> Case:
        inputs = tuple(t if isinstance(t, torch.Tensor) else torch.tensor(t, dtype=torch.float64)
                       for t in self.inputs)
        return Case(f"at the special point where {self.says}", inputs, dict(self.params))


@dataclass(frozen=True)
class Op:
    """One op exercise: the student writes ``<name>_backward(grad, *inputs, **params)``.

    The forward is the torch op itself; the reference gradient is torch autograd's, in float64.
    """

    name: str
    set: str
    forward: Callable[..., Tensor]
    args: tuple[str, ...]
    """Names of the tensor inputs, in order: the stub's signature is ``(grad, *args, *params)``."""
    cases: CaseMaker
    """Makes the visible cases from a seeded generator; hidden cases call it again with another seed."""
    summary: str
    page: Page
    params: tuple[str, ...] = ()
    """Keyword-only, non-tensor parameters (``dim``, ``keepdim``...), passed by name."""
    differentiable: tuple[bool, ...] | None = None
    """Which inputs get a gradient; the others must come back as ``None`` (default: all of them)."""
    convention: str = ""
    """What the pinned torch does at kinks and ties, in words, for the page."""
    conventions: tuple[Convention, ...] = ()
    """Measured facts at kinks and ties; each is also a visible graded case."""
    points: float = 1.0
    rtol: dict[torch.dtype, float] = field(
        default_factory=lambda: {torch.float64: 1e-7, torch.float32: 1e-4}
    )
    atol: dict[torch.dtype, float] = field(
        default_factory=lambda: {torch.float64: 1e-9, torch.float32: 1e-5}
    )

    @property
    def function(self) -> str:
        return f"{self.name}_backward"

    @property
    def signature(self) -> str:
        params = "".join(f", {p}" for p in self.params) if self.params else ""
        star = ", *" if self.params else ""
        return f"{self.function}(grad, {', '.join(self.args)}{star}{params})"

    def is_differentiable(self, index: int) -> bool:
        return self.differentiable is None or self.differentiable[index]

    def page_url(self, base: str = "") -> str:
        return f"{base}exercises/{self.set}/{self.name}/"

    def describe(self, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """A JSON-able summary (for ``list --format json``)."""
        return {"op": self.name, "set": self.set, "signature": self.signature, "points": self.points,
                "summary": self.summary, **(extra or {})}

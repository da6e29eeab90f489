"""What an op exercise is: one declaration holds everything every other part derives from."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import torch

from autograder.common import settings
from autograder.kinds import VJP, Kind
from autograder.registry import text
from autograder.registry.cases import Case, CaseMaker, spec_text
from autograder.registry.text import Page

Tensor = torch.Tensor


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
    """One exercise. Usually an op's VJP: the student writes ``<name>_backward(grad, *inputs, **params)``, the
    forward is the torch op itself and the reference gradient is torch autograd's, in float64.

    Other kinds call ``function(*functions, *inputs, **params)`` or probe a class, and compare with
    ``expected(case)``: see :mod:`autograder.kinds`.
    """

    name: str
    set: str
    args: tuple[str, ...]
    """Names of the tensor inputs, in order: the stub's signature is ``(grad, *args, *params)``."""
    cases: CaseMaker
    """Makes the visible cases from a seeded generator; hidden cases call it again with another seed."""
    forward: Callable[..., Tensor] | None = None
    """The torch op whose VJP the student writes (VJP exercises); other kinds may use it to describe the function
    their cases are about."""
    params: tuple[str, ...] = ()
    """Keyword-only, non-tensor parameters (``dim``, ``keepdim``...), passed by name."""
    differentiable: tuple[bool, ...] | None = None
    """Which inputs get a gradient; the others must come back as ``None`` (default: all of them)."""
    conventions: tuple[Convention, ...] = ()
    """Measured facts at kinks and ties; each is also a visible graded case."""
    points: float = 1.0
    kind: Kind = VJP
    """How the child calls the student's function and how the result is judged and shown (:mod:`autograder.kinds`):
    ``VJP`` is ``f(grad, *inputs, **params)`` checked against torch autograd's VJP."""
    expected: Callable[[Case], list[Tensor | None]] | None = None
    """For ``call`` exercises: the right results for a case, computed in the grader process."""
    outputs: tuple[str, ...] = ()
    """For ``call`` exercises: names of the returned tensors (for messages)."""
    function_name: str = ""
    """The student's function, when it is not ``<name>_backward``."""
    autograd_allowed: bool = False
    """Exercises about backward() itself must call it; the policy check is off for them (but see ``forbidden``)."""
    forbidden: tuple[str, ...] = ()
    """Autograd entry points refused even when autograd is allowed (``"torch.autograd.functional.jacobian"``
    in an exercise about building Jacobians): names from :func:`autograder.sandbox.policy.names`."""
    policy_hint: str = "derive the gradient by hand"
    """What to do instead, said after a policy violation."""
    functions: tuple[str, ...] = ()
    """Leading parameters that are functions: each case names one of :mod:`autograder.library`
    (``params["f"] = "rosenbrock"``) and the student's function receives the function itself."""
    extra_inputs: tuple[str, ...] = ()
    """Tensors a driver uses besides the student's inputs (the cotangents of a probe), named for messages."""
    measured: tuple[str, ...] = ()
    """What a driver measures besides the student's results (``"forward mode used"``), compared like results."""
    why: dict[str, str] = field(default_factory=dict)
    """For exercises that are not VJPs: what it usually means when this result (named as in ``outputs`` or
    ``measured``) is the first one that is wrong; reported as the diagnosis."""
    takes: tuple[str, ...] = ()
    """When the student's function does not take the case's tensors (the engine exercises build a graph from
    them): its parameters as written, ``("root", "gradient=None", "*", "retain_graph=False")``."""
    explain: Callable[[Case, int, list[Tensor | None], list[Tensor | None]], list[str]] | None = None
    """For a failed visible case: lines saying what went wrong (given the index of the first wrong result, the
    expected and the actual results), in place of printing the case's tensors."""
    said: dict[str, str] = field(default_factory=dict)
    """With ``explain``: a one-line verdict per result name (``outputs``), the summary of a failed hidden case."""
    repro: Callable[[Case], str] | None = None
    """Code that reruns a case on the student's own machine, when the generic one would not."""
    rtol: dict[torch.dtype, float] = field(default_factory=lambda: dict(settings.RTOL))
    atol: dict[torch.dtype, float] = field(default_factory=lambda: dict(settings.ATOL))

    @property
    def page(self) -> Page:
        """The teaching text, from ``pages/<set>/<name>.md`` (:mod:`autograder.registry.text`)."""
        return text.page(self.set, self.name, lambda field: spec_text(self.cases, field))

    @property
    def summary(self) -> str:
        return self.page.summary

    @property
    def convention(self) -> str:
        """What the pinned torch does at kinks and ties, in words, for the page."""
        return self.page.convention

    @property
    def function(self) -> str:
        return self.function_name or f"{self.name}_backward"

    @property
    def driver(self) -> str:
        """The kind's name, which the child looks its driver up by."""
        return self.kind.name

    @property
    def takes_grad(self) -> bool:
        return self.kind.takes_grad

    @property
    def parameters(self) -> list[str]:
        """The student's function's parameter names, in order."""
        return self.kind.parameters(self)

    @property
    def inputs(self) -> tuple[str, ...]:
        """Names of the tensors sent with each case, in order (for messages)."""
        return self.kind.inputs(self)

    @property
    def returned(self) -> int:
        """How many tensors the student's function returns."""
        return self.kind.returned(self)

    @property
    def results(self) -> tuple[str, ...]:
        """What each compared tensor is, for messages (see :meth:`Kind.results`)."""
        return self.kind.results(self)

    @property
    def signature(self) -> str:
        return self.kind.signature(self)

    def tolerance(self, dtype: torch.dtype) -> tuple[float, float]:
        """(rtol, atol) for results of ``dtype``: see :func:`autograder.common.settings.tolerance`."""
        return settings.tolerance(dtype, self.rtol, self.atol)

    def is_differentiable(self, index: int) -> bool:
        return self.differentiable is None or self.differentiable[index]

    def page_url(self, base: str = "") -> str:
        return f"{base}exercises/{self.set}/{self.name}/"

    def describe(self, extra: dict[str, Any] | None = None) -> dict[str, Any]:
        """A JSON-able summary (for ``list --format json``)."""
        return {"op": self.name, "set": self.set, "signature": self.signature, "points": self.points,
                "summary": self.summary, **(extra or {})}

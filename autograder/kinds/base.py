"""What a kind of exercise is: how the child calls the student's code, and everything that follows from it.

An op's kind answers every question the grader, the comparison and the pages would otherwise ask with
"is this a VJP?": the student's parameters, what it returns and how each result is named in messages, whether
the child runs autograd, and how the call is shown. Each kind is declared once, in its own module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import torch

Tensor = torch.Tensor
Driver = Callable[[Any, list[Callable[..., Tensor]], list[Tensor], dict[str, Any]], tuple[Any, list[Tensor]]]
"""Runs in the child: ``drive(student_function, named_functions, tensors, params) -> (result, measured)``."""


class Exercise(Protocol):
    """The facts of an op a kind reads (see :class:`autograder.registry.Op`)."""

    name: str
    set: str
    args: tuple[str, ...]
    params: tuple[str, ...]
    functions: tuple[str, ...]
    extra_inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    measured: tuple[str, ...]
    takes: tuple[str, ...]
    autograd_allowed: bool

    @property
    def function(self) -> str: ...


@dataclass(frozen=True)
class Kind:
    """A kind of exercise. ``takes_grad``: the student's function gets the cotangent first and returns one
    gradient per input, checked against torch autograd's VJP; otherwise it returns ``outputs``, checked against
    the op's ``expected``."""

    name: str
    drive: Driver
    takes_grad: bool = False
    runs_autograd: bool = True
    """Whether the child may run autograd for this kind (so the zygote loads autograd's lazy parts first)."""
    as_class: bool = False
    """The student writes a ``torch.autograd.Function`` subclass, called as ``Class.apply(...)``."""

    def parameters(self, op: Exercise) -> list[str]:
        """The student's function's parameter names, in order."""
        if op.takes:
            return [p.split("=")[0] for p in op.takes if p != "*"]
        return [*(["grad"] if self.takes_grad else []), *op.functions, *op.args, *op.params]

    def inputs(self, op: Exercise) -> tuple[str, ...]:
        """Names of the tensors sent with each case, in order (for messages)."""
        return (*(("grad",) if self.takes_grad else ()), *op.args, *op.extra_inputs)

    def returned(self, op: Exercise) -> int:
        """How many tensors the student's function returns."""
        return len(op.args) if self.takes_grad else len(op.outputs)

    def returned_names(self, op: Exercise) -> list[str]:
        """The returned tensors as a student would name them: ``grad_x`` or the output's name."""
        return [f"grad_{a}" for a in op.args] if self.takes_grad else list(op.outputs)

    def results(self, op: Exercise) -> tuple[str, ...]:
        """What each compared tensor is, for messages: ``the gradient for `x```, ``the result `J``` or
        ``the measured `forward mode used```."""
        if self.takes_grad:
            return tuple(f"the gradient for `{a}`" for a in op.args)
        return (*(f"the result `{o}`" for o in op.outputs), *(f"the measured `{m}`" for m in op.measured))

    def signature(self, op: Exercise) -> str:
        if self.as_class:
            return f"{op.function}.apply({', '.join(op.args)})"
        if op.takes:
            return f"{op.function}({', '.join(op.takes)})"
        plain = [p for p in self.parameters(op) if p not in op.params]
        keywords = f", *, {', '.join(op.params)}" if op.params else ""
        return f"{op.function}({', '.join(plain)}{keywords})"

    def warms_autograd(self, op: Exercise) -> bool:
        """Whether the zygote should load autograd's lazy parts before forking this op's child."""
        return op.autograd_allowed or self.runs_autograd

    @property
    def author(self) -> str:
        """What the student wrote, in messages: "your backward modified its input"."""
        return "backward" if self.takes_grad else "function"

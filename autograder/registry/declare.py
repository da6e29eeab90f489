"""One constructor per kind of exercise, the way HIPS autograd has ``defvjp`` and JAX ``defjvp``: the kind says
which facts the exercise needs, so a declaration cannot miss one or give one that means nothing for its kind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch

from autograder.kinds import CALL, ENGINE, FUNCTION, MODES, VJP
from autograder.registry.cases import Case, CaseMaker
from autograder.registry.op import Op

Tensor = torch.Tensor
Expected = Callable[[Case], list[Tensor | None]]


def vjp(name: str, set: str, forward: Callable[..., Tensor], args: Sequence[str], cases: CaseMaker,
        **facts: Any) -> Op:
    """``<name>_backward(grad, *args, **params)``: the VJP of the torch op ``forward``, checked against torch
    autograd's in float64 with random cotangents."""
    return Op(name=name, set=set, forward=forward, args=tuple(args), cases=cases, kind=VJP, **facts)


def call(name: str, set: str, args: Sequence[str], cases: CaseMaker, expected: Expected, outputs: Sequence[str],
         **facts: Any) -> Op:
    """``function(*functions, *args, **params) -> outputs``, checked against ``expected(case)``."""
    return Op(name=name, set=set, args=tuple(args), cases=cases, expected=expected, outputs=tuple(outputs),
              kind=CALL, **facts)


def modes(name: str, set: str, args: Sequence[str], cases: CaseMaker, expected: Expected, outputs: Sequence[str],
          measured: Sequence[str], **facts: Any) -> Op:
    """A call, and which modes of autograd (forward, reverse) the student's code ran, ``measured``."""
    return Op(name=name, set=set, args=tuple(args), cases=cases, expected=expected, outputs=tuple(outputs),
              measured=tuple(measured), kind=MODES, **facts)


def function(name: str, set: str, args: Sequence[str], cases: CaseMaker, expected: Expected,
             outputs: Sequence[str], **facts: Any) -> Op:
    """A ``torch.autograd.Function`` subclass, probed through ``Class.apply``: its output, backward and the
    derivative of its backward."""
    return Op(name=name, set=set, args=tuple(args), cases=cases, expected=expected, outputs=tuple(outputs),
              kind=FUNCTION, **facts)


def engine(name: str, set: str, args: Sequence[str], cases: CaseMaker, expected: Expected, outputs: Sequence[str],
           **facts: Any) -> Op:
    """The student's own ``backward()`` on the engine's numpy tensors, run on graph programs and compared with
    the same programs in torch."""
    return Op(name=name, set=set, args=tuple(args), cases=cases, expected=expected, outputs=tuple(outputs),
              kind=ENGINE, **facts)

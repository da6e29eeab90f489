"""Hand-written backward rules as autograd nodes.

``as_function(forward, backward)`` pairs a torch forward with an ``<op>_backward(grad, *inputs, **params)``
written by hand (a student's, or a reference solution) into one ``torch.autograd.Function``. A graph built
from such ops is differentiated by ``loss.backward()`` as usual, but at each of these nodes autograd calls
the hand-written rule instead of torch's own: the student's VJPs drive training.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from autograder import registry

Tensor = torch.Tensor
Forward = Callable[..., Tensor]
Backward = Callable[..., tuple[Tensor | None, ...]]


class BackwardRuleError(RuntimeError):
    """A hand-written backward returned something autograd must not silently accept."""


def _checked(name: str, grads: Any, inputs: tuple[Tensor, ...], needed: tuple[bool, ...]) -> tuple[Tensor | None, ...]:
    """Exactly one gradient per input, each of its input's shape and dtype (torch itself would quietly
    sum a broadcastable gradient down and cast its dtype, hiding the very mistakes the exercises teach)."""
    if type(grads) is not tuple or len(grads) != len(inputs):
        got = f"a tuple of {len(grads)}" if type(grads) is tuple else type(grads).__name__
        raise BackwardRuleError(f"{name}_backward must return a tuple of {len(inputs)} gradients, got {got}")
    for i, (g, x, need) in enumerate(zip(grads, inputs, needed, strict=True)):
        if g is None:
            if need:
                raise BackwardRuleError(f"{name}_backward returned None for input {i}, which needs a gradient")
            continue
        if not isinstance(g, Tensor):
            raise BackwardRuleError(f"{name}_backward returned a {type(g).__name__} for input {i}, not a tensor")
        if g.shape != x.shape or g.dtype != x.dtype:
            raise BackwardRuleError(f"{name}_backward returned a gradient of shape {tuple(g.shape)} and dtype "
                                    f"{g.dtype} for input {i}, which has shape {tuple(x.shape)} and dtype {x.dtype}")
    return grads


class HandWritten:
    """A differentiable op whose backward is a hand-written rule: call it like the forward.

    ``op(*inputs, **params)`` returns ``forward(*inputs, **params)`` and records one node whose backward is
    ``backward(grad, *inputs, **params)``. Tensor inputs are positional, parameters keyword-only, as in the
    exercises. ``op.function`` is the underlying ``torch.autograd.Function`` subclass.
    """

    def __init__(self, forward: Forward, backward: Backward, name: str) -> None:
        self.forward, self.backward, self.name = forward, backward, name
        self.function = _function_class(forward, backward, name)

    def __call__(self, *inputs: Tensor, **params: Any) -> Tensor:
        return self.function.apply(params, *inputs)

    def __repr__(self) -> str:
        return f"HandWritten({self.name}, backward={getattr(self.backward, '__qualname__', self.backward)!r})"


def _function_class(forward: Forward, backward: Backward, name: str) -> type[torch.autograd.Function]:
    def forward_node(ctx: Any, params: dict[str, Any], *inputs: Tensor) -> Tensor:
        ctx.params = params
        ctx.save_for_backward(*inputs)
        return forward(*inputs, **params)

    def backward_node(ctx: Any, grad: Tensor) -> tuple[Tensor | None, ...]:
        inputs = ctx.saved_tensors
        grads = backward(grad, *inputs, **ctx.params)
        return (None, *_checked(name, grads, inputs, ctx.needs_input_grad[1:]))

    title = "".join(part.capitalize() for part in name.split("_"))
    return type(f"{title}HandWritten", (torch.autograd.Function,),
                {"forward": staticmethod(forward_node), "backward": staticmethod(backward_node)})


def as_function(forward: Forward, backward: Backward, *, name: str | None = None) -> HandWritten:
    """Make ``forward`` differentiable with ``backward`` as its VJP: ``backward(grad, *inputs, **params)``
    returns one gradient per tensor input (``None`` for an input that gets none)."""
    label = name or getattr(backward, "__name__", "op").removesuffix("_backward")
    return HandWritten(forward, backward, label)


def op_function(name: str, backward: Backward) -> HandWritten:
    """The registered op ``name`` (its torch forward, its parameters) with ``backward`` as its VJP."""
    return as_function(registry.OPS[name].forward, backward, name=name)

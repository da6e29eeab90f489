"""A tiny numpy tensor that records how it was made: the graph your own ``backward()`` walks.

Every operation on a :class:`Tensor` that requires grad returns a new tensor that keeps its inputs
(``parents``), the values its backward rule needs (saved, as torch saves them) and that rule (``vjp``). The rules
are given here; walking the graph is the exercise (``exercises/engine.py``)::

    x = Tensor([1.0, 2.0], requires_grad=True)
    out = (x * x).exp().sum()
    out.parents        # (the tensor exp(x * x),)
    out.vjp(1.0)       # the gradient of that parent: one array per parent, in the parent's shape

Arrays are float64. As in torch, an operation whose inputs all have ``requires_grad=False`` makes a constant
(a leaf without parents), and only the values an op saved can be freed: ``release()`` frees them, after which
``vjp`` raises torch's "Trying to backward through the graph a second time" error. ``add`` and ``sum`` save no
values (only shapes), so a graph made of them alone can be walked again, exactly as in torch.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

Array = np.ndarray
Rule = Callable[..., tuple[Array, ...]]

SECOND_TIME = (
    "Trying to backward through the graph a second time (or directly access saved tensors after they have already "
    "been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). "
    "Specify retain_graph=True if you need to backward through the graph a second time or if you need to access "
    "saved tensors after calling backward."
)
"""torch's message, raised by :meth:`Tensor.vjp` once the values it needs were released."""


class Tensor:
    """A float64 numpy array, a ``.grad`` slot, and (for results of operations) how to go back to the inputs."""

    def __init__(self, data: Any, requires_grad: bool = False) -> None:
        self.data: Array = np.array(data, dtype=np.float64)
        self.requires_grad = bool(requires_grad)
        self.grad: Array | None = None
        """Set by ``backward()``: on leaves that require grad, and on tensors marked with :meth:`retain_grad`."""
        self.parents: tuple[Tensor, ...] = ()
        """The inputs of the operation that made this tensor (empty for a leaf)."""
        self.op = ""
        """The name of that operation (``"mul"``...), ``""`` for a leaf."""
        self.retains_grad = False
        self._rule: Rule | None = None
        self._saved: tuple[Array, ...] | None = ()

    @property
    def shape(self) -> tuple[int, ...]:
        return self.data.shape

    @property
    def is_leaf(self) -> bool:
        """Made by you, not by an operation on tensors that require grad (torch's definition)."""
        return self._rule is None

    @property
    def freed(self) -> bool:
        """Whether the values saved for :meth:`vjp` were released."""
        return self._saved is None

    def retain_grad(self) -> None:
        """Ask ``backward()`` to store this tensor's gradient in ``.grad`` too (it does for leaves anyway)."""
        if not self.requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if not self.is_leaf:
            self.retains_grad = True

    def vjp(self, grad: Any) -> tuple[Array, ...]:
        """The gradients of ``parents``, given the gradient ``grad`` of this tensor (of this tensor's shape): one
        array per parent, in that parent's shape, whether the parent requires grad or not."""
        if self._rule is None:
            raise RuntimeError("a leaf has no backward rule: it was not made by an operation")
        if self._saved is None:
            raise RuntimeError(SECOND_TIME)
        return self._rule(np.asarray(grad, dtype=np.float64), *self._saved)

    def release(self) -> None:
        """Free the values saved for :meth:`vjp`, as torch does after a backward without ``retain_graph``."""
        if self._saved:
            self._saved = None

    def __add__(self, other: Tensor | float) -> Tensor:
        """out = self + other (broadcasting); saves nothing."""
        other = _tensor(other)
        a, b = self.shape, other.shape
        return _make("add", (self, other), self.data + other.data, (),
                     lambda grad: (_unbroadcast(grad, a), _unbroadcast(grad, b)))

    def __mul__(self, other: Tensor | float) -> Tensor:
        """out = self * other (broadcasting); saves both inputs."""
        other = _tensor(other)
        return _make("mul", (self, other), self.data * other.data, (self.data, other.data),
                     lambda grad, x, y: (_unbroadcast(grad * y, x.shape), _unbroadcast(grad * x, y.shape)))

    __radd__ = __add__
    __rmul__ = __mul__

    def exp(self) -> Tensor:
        """out = exp(self); saves out, since d out / d self = out."""
        out = np.exp(self.data)
        return _make("exp", (self,), out, (out,), lambda grad, out: (grad * out,))

    def tanh(self) -> Tensor:
        """out = tanh(self); saves out, since d out / d self = 1 - out²."""
        out = np.tanh(self.data)
        return _make("tanh", (self,), out, (out,), lambda grad, out: (grad * (1 - out * out),))

    def sum(self) -> Tensor:
        """out = the sum of every entry, a 0-d tensor; saves only the shape."""
        shape = self.shape
        return _make("sum", (self,), np.array(self.data.sum()), (),
                     lambda grad: (np.broadcast_to(grad, shape).copy(),))

    def __repr__(self) -> str:
        made = f", op={self.op}" if self.op else ""
        return f"Tensor({self.data.tolist()!r}, requires_grad={self.requires_grad}{made})"


def _tensor(value: Tensor | float) -> Tensor:
    return value if isinstance(value, Tensor) else Tensor(value)


def _make(op: str, parents: tuple[Tensor, ...], data: Array, saved: tuple[Array, ...], rule: Rule) -> Tensor:
    out = Tensor(data)
    if any(p.requires_grad for p in parents):  # otherwise a constant, as in torch
        out.requires_grad, out.parents, out.op, out._rule, out._saved = True, parents, op, rule, saved
    return out


def _unbroadcast(grad: Array, shape: tuple[int, ...]) -> Array:
    """Sum ``grad`` over the dimensions broadcasting added or stretched, back to ``shape``."""
    grad = grad.sum(axis=tuple(range(grad.ndim - len(shape)))) if grad.ndim > len(shape) else grad
    stretched = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    return grad.sum(axis=stretched, keepdims=True) if stretched else grad.copy()

"""Graph programs: a small computation graph and a few ``backward()`` calls, written down as data.

The engine exercises send a program (JSON, in the case's parameters) and its numbers (one flat float64 tensor:
the leaves' values, then each call's ``gradient``) to the sandboxed child, which runs it on
:class:`autograder.engine.Tensor` with the student's ``backward``; the grader runs the same program in torch.
Both sides go through :func:`run`, so both report the same things the same way:

- ``calls``: per ``backward()`` call, 0 if it returned, else the code of torch's error it raised (:data:`ERRORS`);
- ``has_grad`` and ``grads``: after each call, which watched tensors have a ``.grad`` and its values (zeros for
  none), all watched tensors flattened one after the other;
- ``freed``: per op result, whether the values it saved for backward were released (after the last call).

After a call that raised, the snapshot is all zeros and ``freed`` too: what an engine left half-done before
raising is not part of the contract.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from math import prod
from typing import Any, Protocol

import numpy as np
import torch

from autograder import engine

Tensor = torch.Tensor
Shape = tuple[int, ...]
Node = tuple[Any, ...]
"""An op result: ``(op name, operand index, ...)``."""
Ops = tuple[Node, ...]
Leaves = tuple[tuple[Shape, bool], ...]

UNARY = ("exp", "tanh", "sum")
BINARY = {"add": "+", "mul": "*"}
ERRORS: dict[int, str] = {
    1: "grad can be implicitly created only for scalar outputs",
    2: "Mismatch in shape",
    3: "Trying to backward through the graph a second time",
    4: "does not require grad and does not have a grad_fn",
}
"""The errors a ``backward()`` must raise (as ``RuntimeError``), by code, with the phrase its message contains."""


@dataclass(frozen=True)
class Call:
    root: int
    gradient: Shape | None
    """The shape of the ``gradient`` passed (its values come from the case's tensor), or None for none."""
    retain_graph: bool = False


@dataclass(frozen=True)
class Program:
    leaves: Leaves
    """(shape, requires_grad) of each leaf; tensor ``i`` is leaf ``i``, then op results follow."""
    ops: Ops = ()
    """(op name, operand index...) per op result, operands indexing earlier tensors."""
    calls: tuple[Call, ...] = ()
    retain: tuple[int, ...] = ()
    """Op results marked with ``retain_grad()`` before the first call."""
    watch: tuple[int, ...] | None = None
    """The tensors whose ``.grad`` is reported (None: every leaf that requires grad)."""
    judge_freed: bool = False

    @property
    def size(self) -> int:
        """How many numbers the program's tensor holds."""
        return sum(prod(shape) for shape, _ in self.leaves) + sum(prod(c.gradient) for c in self.calls
                                                                  if c.gradient is not None)

    @property
    def names(self) -> list[str]:
        return [f"x{i}" for i in range(len(self.leaves))] + [f"y{j}" for j in range(len(self.ops))]

    @property
    def watched(self) -> tuple[int, ...]:
        if self.watch is not None:
            return self.watch
        return tuple(i for i, (_, requires_grad) in enumerate(self.leaves) if requires_grad)

    def shapes(self) -> list[Shape]:
        """The shape of every tensor (leaves, then op results), by broadcasting."""
        shapes = [shape for shape, _ in self.leaves]
        for name, *operands in self.ops:
            if name == "sum":
                shapes.append(())
            else:
                shapes.append(tuple(np.broadcast_shapes(*(shapes[int(i)] for i in operands))))
        return shapes

    def requires_grad(self) -> list[bool]:
        flags = [requires_grad for _, requires_grad in self.leaves]
        for _, *operands in self.ops:
            flags.append(any(flags[int(i)] for i in operands))
        return flags

    def split(self, numbers: Tensor) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
        """The program's tensor cut into each leaf's values, then each call's ``gradient`` (None: not passed)."""
        flat = numbers.detach().to(torch.float64).reshape(-1).numpy().copy()
        offset = 0

        def take(shape: Shape) -> np.ndarray:
            nonlocal offset
            offset += prod(shape)
            return flat[offset - prod(shape):offset].reshape(shape)

        leaves = [take(shape) for shape, _ in self.leaves]
        return leaves, [None if c.gradient is None else take(c.gradient) for c in self.calls]

    def to_params(self) -> dict[str, Any]:
        return {"leaves": [[list(s), r] for s, r in self.leaves], "ops": [list(op) for op in self.ops],
                "calls": [[c.root, None if c.gradient is None else list(c.gradient), c.retain_graph]
                          for c in self.calls],
                "retain": list(self.retain), "watch": None if self.watch is None else list(self.watch),
                "judge_freed": self.judge_freed}

    @classmethod
    def from_params(cls, p: dict[str, Any]) -> Program:
        return cls(tuple((tuple(s), bool(r)) for s, r in p["leaves"]),
                   tuple((str(op[0]), *(int(i) for i in op[1:])) for op in p["ops"]),
                   tuple(Call(int(r), None if g is None else tuple(g), bool(k)) for r, g, k in p["calls"]),
                   tuple(p["retain"]), None if p["watch"] is None else tuple(p["watch"]), bool(p["judge_freed"]))


class Backend(Protocol):
    """How one side builds and differentiates a program's tensors."""

    def leaf(self, values: np.ndarray, requires_grad: bool) -> Any: ...
    def backward(self, root: Any, gradient: np.ndarray | None, retain_graph: bool) -> None: ...
    def grad(self, t: Any, name: str) -> np.ndarray | None: ...
    def freed(self, t: Any) -> bool: ...


def apply(name: str, operands: list[Any]) -> Any:
    """The op on torch tensors or engine tensors alike (they share these method names)."""
    if name in BINARY:
        a, b = operands
        return a + b if name == "add" else a * b
    (a,) = operands
    return getattr(a, name)()


def error_code(err: RuntimeError) -> int | None:
    text = str(err)
    return next((code for code, phrase in ERRORS.items() if phrase in text), None)


def run(program: Program, numbers: Tensor, backend: Backend) -> tuple[Tensor, Tensor, Tensor, Tensor]:
    """Build the program's graph with ``backend``, make its calls, and report what happened (module docstring)."""
    leaf_values, gradients = program.split(numbers)
    tensors = [backend.leaf(values, requires_grad)
               for values, (_, requires_grad) in zip(leaf_values, program.leaves, strict=True)]
    for name, *operands in program.ops:
        tensors.append(apply(name, [tensors[int(i)] for i in operands]))
    for i in program.retain:
        tensors[i].retain_grad()
    names, shapes, watched = program.names, program.shapes(), program.watched
    width = sum(prod(shapes[i]) for i in watched)
    codes, has_grad, grads = [], [], []
    for call, gradient in zip(program.calls, gradients, strict=True):
        try:
            backend.backward(tensors[call.root], gradient, call.retain_graph)
            code = 0
        except RuntimeError as err:
            code = error_code(err)
            if code is None or isinstance(err, NotImplementedError):
                raise
        codes.append(code)
        flags, values = [], []
        for i in watched:
            g = backend.grad(tensors[i], names[i]) if code == 0 else None
            if g is not None and g.shape != shapes[i]:
                raise ValueError(f"{names[i]}.grad has shape {g.shape}, but {names[i]} has shape {shapes[i]}: "
                                 "a gradient has the shape of its tensor")
            flags.append(float(g is not None))
            values.append(np.zeros(shapes[i]).reshape(-1) if g is None else g.reshape(-1))
        has_grad.append(flags)
        grads.append(np.concatenate(values) if values else np.zeros(0))
    ok = all(code == 0 for code in codes)
    freed = [float(ok and backend.freed(t)) for t in tensors[len(program.leaves):]]

    def as_tensor(rows: Any, shape: Shape) -> Tensor:
        return torch.tensor(np.asarray(rows, dtype=np.float64).reshape(shape), dtype=torch.float64)

    n = len(program.calls)
    return (as_tensor(codes, (n,)), as_tensor(has_grad, (n, len(watched))), as_tensor(grads, (n, width)),
            as_tensor(freed, (len(program.ops),)))


class TorchBackend:
    """The reference: the same graph in torch (float64), ``Tensor.backward`` for the calls."""

    def leaf(self, values: np.ndarray, requires_grad: bool) -> Tensor:
        return torch.tensor(values, dtype=torch.float64).requires_grad_(requires_grad)

    def backward(self, root: Tensor, gradient: np.ndarray | None, retain_graph: bool) -> None:
        grad = None if gradient is None else torch.tensor(gradient, dtype=torch.float64)
        root.backward(grad, retain_graph=retain_graph)

    def grad(self, t: Tensor, name: str) -> np.ndarray | None:
        with warnings.catch_warnings():  # reading .grad of a non-leaf warns
            warnings.simplefilter("ignore")
            return None if t.grad is None else t.grad.detach().numpy().copy()

    def freed(self, t: Tensor) -> bool:
        """Whether any tensor the node saved is gone: reading it then raises torch's "second time" error."""
        node = t.grad_fn
        if node is None:
            return False
        for attr in dir(node):
            if attr.startswith("_saved_"):
                try:
                    getattr(node, attr)
                except RuntimeError:
                    return True
        return False


class EngineBackend:
    """The student's side: :class:`autograder.engine.Tensor` and their ``backward(root, gradient, *,
    retain_graph)``."""

    def __init__(self, backward: Callable[..., Any]) -> None:
        self.function = backward

    def leaf(self, values: np.ndarray, requires_grad: bool) -> engine.Tensor:
        return engine.Tensor(values, requires_grad=requires_grad)

    def backward(self, root: engine.Tensor, gradient: np.ndarray | None, retain_graph: bool) -> None:
        if gradient is None:
            self.function(root, retain_graph=retain_graph)
        else:
            self.function(root, gradient, retain_graph=retain_graph)

    def grad(self, t: engine.Tensor, name: str) -> np.ndarray | None:
        g = t.grad
        if g is None:
            return None
        try:
            return np.array(g, dtype=np.float64)
        except (TypeError, ValueError) as err:
            raise TypeError(f"{name}.grad must be a numpy array, got {type(g).__name__}") from err

    def freed(self, t: engine.Tensor) -> bool:
        return t.freed


def source(program: Program, numbers: Tensor) -> str:
    """The program as Python a student can run (with ``exercises.engine.backward``)."""
    leaf_values, gradients = program.split(numbers)

    def literal(values: np.ndarray) -> object:
        return np.round(values, 4).tolist()

    lines = ["import numpy as np", "from autograder.engine import Tensor", "from exercises.engine import backward",
             ""]
    names = program.names
    for values, (_, requires_grad), name in zip(leaf_values, program.leaves, names, strict=False):
        lines.append(f"{name} = Tensor({literal(values)!r}{', requires_grad=True' if requires_grad else ''})")
    for (op, *operands), name in zip(program.ops, names[len(program.leaves):], strict=True):
        a = [names[int(i)] for i in operands]
        lines.append(f"{name} = {a[0]} {BINARY[op]} {a[1]}" if op in BINARY else f"{name} = {a[0]}.{op}()")
    lines += [f"{names[i]}.retain_grad()" for i in program.retain]
    for call, gradient in zip(program.calls, gradients, strict=True):
        args = [names[call.root]]
        if gradient is not None:
            args.append(f"np.array({literal(gradient)!r})")
        if call.retain_graph:
            args.append("retain_graph=True")
        lines.append(f"backward({', '.join(args)})")
    lines.append("print(" + ", ".join(f"{names[i]}.grad" for i in program.watched) + ")")
    return "\n".join(lines)

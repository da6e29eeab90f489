"""Reference solution of the ``engine`` set: torch's ``backward()`` semantics on :mod:`autograder.engine`."""

from __future__ import annotations

import numpy as np

from autograder.engine import Tensor


def _topological_order(root: Tensor) -> list[Tensor]:
    """Every node reachable from ``root`` that requires grad, each after all of its parents (iterative DFS:
    graphs can be deeper than Python's recursion limit)."""
    order: list[Tensor] = []
    seen: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack.append((node, True))
            stack += [(p, False) for p in node.parents if p.requires_grad]
    return order


def _root_gradient(root: Tensor, gradient: np.ndarray | None) -> np.ndarray:
    """The gradient the walk starts from, after torch's checks: 1 for a one-element root, else ``gradient``,
    which must have the root's shape exactly."""
    if not root.requires_grad:
        raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
    if gradient is None:
        if root.data.size != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        return np.ones_like(root.data)
    gradient = np.asarray(gradient, dtype=np.float64)
    if gradient.shape != root.shape:
        raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of {gradient.shape} and output[0] has "
                           f"a shape of {root.shape}.")
    return gradient


def backward(root: Tensor, gradient: np.ndarray | None = None, *, retain_graph: bool = False) -> None:
    """Add d(Σ gradient · root)/d(leaf) to leaf.grad for every leaf that requires grad, like root.backward()."""
    grads = {id(root): _root_gradient(root, gradient)}
    for node in reversed(_topological_order(root)):
        grad = grads.pop(id(node))  # complete: every consumer of node came earlier in this walk
        if node.is_leaf or node.retains_grad:
            node.grad = grad.copy() if node.grad is None else node.grad + grad
        if node.is_leaf:
            continue
        for parent, parent_grad in zip(node.parents, node.vjp(grad), strict=True):
            if parent.requires_grad:
                grads[id(parent)] = grads[id(parent)] + parent_grad if id(parent) in grads else parent_grad
        if not retain_graph:
            node.release()

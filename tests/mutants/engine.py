"""Known-wrong variants of the reference ``backward`` of the set ``engine``: realistic mistakes, one each.

Each is appended to ``solutions/engine.py``, so it may use that module's ``_topological_order``.
"""

from __future__ import annotations

from collections import deque

import numpy as np

from autograder.engine import Tensor


def _start(root: Tensor, gradient: np.ndarray | None) -> np.ndarray:
    """The reference's checks, shared by the mutants whose mistake is elsewhere."""
    if not root.requires_grad:
        raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
    if gradient is None:
        if root.data.size != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        return np.ones_like(root.data)
    gradient = np.asarray(gradient, dtype=np.float64)
    if gradient.shape != root.shape:
        raise RuntimeError("Mismatch in shape: grad_output[0] and output[0] differ")
    return gradient


def _store(node: Tensor, grad: np.ndarray) -> None:
    if node.is_leaf or node.retains_grad:
        node.grad = grad.copy() if node.grad is None else node.grad + grad


def backward__assigns_instead_of_adding(root: Tensor, gradient: np.ndarray | None = None, *,
                                        retain_graph: bool = False) -> None:
    grads = {id(root): _start(root, gradient)}
    for node in reversed(_topological_order(root)):  # noqa: F821 (defined by the solution module)
        grad = grads.pop(id(node))
        _store(node, grad)
        if node.is_leaf:
            continue
        for parent, parent_grad in zip(node.parents, node.vjp(grad), strict=True):
            if parent.requires_grad:
                grads[id(parent)] = parent_grad
        if not retain_graph:
            node.release()


def backward__breadth_first_without_waiting(root: Tensor, gradient: np.ndarray | None = None, *,
                                            retain_graph: bool = False) -> None:
    queue = deque([(root, _start(root, gradient))])
    while queue:
        node, grad = queue.popleft()
        _store(node, grad)
        if node.is_leaf:
            continue
        for parent, parent_grad in zip(node.parents, node.vjp(grad), strict=True):
            if parent.requires_grad:
                queue.append((parent, parent_grad))
        if not retain_graph:
            node.release()


def backward__recursive_search(root: Tensor, gradient: np.ndarray | None = None, *,
                               retain_graph: bool = False) -> None:
    order: list[Tensor] = []
    seen: set[int] = set()

    def visit(node: Tensor) -> None:
        if id(node) not in seen:
            seen.add(id(node))
            for parent in node.parents:
                if parent.requires_grad:
                    visit(parent)
            order.append(node)

    visit(root)
    grads = {id(root): _start(root, gradient)}
    for node in reversed(order):
        grad = grads.pop(id(node))
        _store(node, grad)
        if node.is_leaf:
            continue
        for parent, parent_grad in zip(node.parents, node.vjp(grad), strict=True):
            if parent.requires_grad:
                grads[id(parent)] = grads[id(parent)] + parent_grad if id(parent) in grads else parent_grad
        if not retain_graph:
            node.release()


def _walk(root: Tensor, grad: np.ndarray, retain_graph: bool, *, store: object = _store,
          to_constants: bool = False) -> None:
    """The reference walk, with the storing rule and the constants filter as knobs."""
    grads = {id(root): grad}
    for node in reversed(_topological_order(root)):  # noqa: F821
        grad = grads.pop(id(node))
        store(node, grad)
        if node.is_leaf:
            continue
        for parent, parent_grad in zip(node.parents, node.vjp(grad), strict=True):
            if parent.requires_grad or to_constants:
                grads[id(parent)] = grads[id(parent)] + parent_grad if id(parent) in grads else parent_grad
        if not retain_graph:
            node.release()


def backward__ones_for_any_root(root: Tensor, gradient: np.ndarray | None = None, *,
                                retain_graph: bool = False) -> None:
    grad = np.ones_like(root.data) if gradient is None else np.asarray(gradient, dtype=np.float64)
    if grad.shape != root.shape:
        raise RuntimeError("Mismatch in shape: grad_output[0] and output[0] differ")
    _walk(root, grad, retain_graph)


def backward__broadcasts_the_gradient(root: Tensor, gradient: np.ndarray | None = None, *,
                                      retain_graph: bool = False) -> None:
    if gradient is not None:
        gradient = np.broadcast_to(np.asarray(gradient, dtype=np.float64), root.shape).copy()
    _walk(root, _start(root, gradient), retain_graph)


def backward__ignores_the_gradient(root: Tensor, gradient: np.ndarray | None = None, *,
                                   retain_graph: bool = False) -> None:
    _start(root, gradient)
    _walk(root, np.ones_like(root.data), retain_graph)


def backward__never_frees(root: Tensor, gradient: np.ndarray | None = None, *, retain_graph: bool = False) -> None:
    _walk(root, _start(root, gradient), True)


def backward__frees_even_when_retaining(root: Tensor, gradient: np.ndarray | None = None, *,
                                        retain_graph: bool = False) -> None:
    _walk(root, _start(root, gradient), False)


def backward__own_used_flag(root: Tensor, gradient: np.ndarray | None = None, *, retain_graph: bool = False) -> None:
    if getattr(root, "used", False):
        raise RuntimeError("Trying to backward through the graph a second time")
    _walk(root, _start(root, gradient), retain_graph)
    root.used = not retain_graph


def backward__overwrites_grad(root: Tensor, gradient: np.ndarray | None = None, *, retain_graph: bool = False) -> None:
    def store(node: Tensor, grad: np.ndarray) -> None:
        if node.is_leaf or node.retains_grad:
            node.grad = grad.copy()

    _walk(root, _start(root, gradient), retain_graph, store=store)


def backward__grad_on_every_node(root: Tensor, gradient: np.ndarray | None = None, *,
                                 retain_graph: bool = False) -> None:
    def store(node: Tensor, grad: np.ndarray) -> None:
        node.grad = grad.copy() if node.grad is None else node.grad + grad

    _walk(root, _start(root, gradient), retain_graph, store=store)


def backward__grads_into_constants(root: Tensor, gradient: np.ndarray | None = None, *,
                                   retain_graph: bool = False) -> None:
    def store(node: Tensor, grad: np.ndarray) -> None:
        if node.is_leaf or node.retains_grad:
            node.grad = grad.copy() if node.grad is None else node.grad + grad

    grads = {id(root): _start(root, gradient)}
    order: list[Tensor] = []
    seen: set[int] = set()
    stack = [(root, False)]
    while stack:  # the search follows every parent, constants too
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack += [(node, True), *((p, False) for p in node.parents)]
    for node in reversed(order):
        grad = grads.pop(id(node))
        store(node, grad)
        if node.is_leaf:
            continue
        for parent, parent_grad in zip(node.parents, node.vjp(grad), strict=True):
            grads[id(parent)] = grads[id(parent)] + parent_grad if id(parent) in grads else parent_grad
        if not retain_graph:
            node.release()


def backward__retained_grads_overwritten(root: Tensor, gradient: np.ndarray | None = None, *,
                                        retain_graph: bool = False) -> None:
    def store(node: Tensor, grad: np.ndarray) -> None:
        if node.is_leaf:
            node.grad = grad.copy() if node.grad is None else node.grad + grad
        elif node.retains_grad:
            node.grad = grad.copy()

    _walk(root, _start(root, gradient), retain_graph, store=store)


def backward__ignores_retain_grad(root: Tensor, gradient: np.ndarray | None = None, *,
                                  retain_graph: bool = False) -> None:
    def store(node: Tensor, grad: np.ndarray) -> None:
        if node.is_leaf:
            node.grad = grad.copy() if node.grad is None else node.grad + grad

    _walk(root, _start(root, gradient), retain_graph, store=store)


def backward__no_requires_grad_check(root: Tensor, gradient: np.ndarray | None = None, *,
                                     retain_graph: bool = False) -> None:
    if not root.requires_grad:
        return
    _walk(root, _start(root, gradient), retain_graph)

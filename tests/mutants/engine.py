"""Known-wrong variants of the reference ``backward`` of the set ``engine``: realistic mistakes, one each.

Each is appended to ``solutions/engine.py``, so it may use that module's ``_root_gradient`` (torch's checks on
the root and ``gradient``) and ``_topological_order``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import numpy as np

from autograder.engine import Tensor


def _start(root: Tensor, gradient: np.ndarray | None) -> np.ndarray:
    """The reference's checks and starting gradient, for the mutants whose mistake is elsewhere."""
    return _root_gradient(root, gradient)  # noqa: F821 (defined by the solution module)


def _store(node: Tensor, grad: np.ndarray) -> None:
    if node.is_leaf or node.retains_grad:
        node.grad = grad.copy() if node.grad is None else node.grad + grad


def _walk(root: Tensor, grad: np.ndarray, retain_graph: bool, *, store: Callable[[Tensor, np.ndarray], None] = _store,
          order: Callable[[Tensor], list[Tensor]] = _topological_order,  # noqa: F821
          accumulate: bool = True, to_constants: bool = False) -> None:
    """The reference walk, with its parts as knobs: how ``.grad`` is stored, how the nodes are ordered, whether
    contributions add up, and whether gradients are sent into constants."""
    grads = {id(root): grad}
    for node in reversed(order(root)):
        grad = grads.pop(id(node))
        store(node, grad)
        if node.is_leaf:
            continue
        for parent, parent_grad in zip(node.parents, node.vjp(grad), strict=True):
            if parent.requires_grad or to_constants:
                add = accumulate and id(parent) in grads
                grads[id(parent)] = grads[id(parent)] + parent_grad if add else parent_grad
        if not retain_graph:
            node.release()


def backward__assigns_instead_of_adding(root: Tensor, gradient: np.ndarray | None = None, *,
                                        retain_graph: bool = False) -> None:
    _walk(root, _start(root, gradient), retain_graph, accumulate=False)


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


def _recursive_order(root: Tensor) -> list[Tensor]:
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
    return order


def backward__recursive_search(root: Tensor, gradient: np.ndarray | None = None, *,
                               retain_graph: bool = False) -> None:
    _walk(root, _start(root, gradient), retain_graph, order=_recursive_order)


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


def _order_with_constants(root: Tensor) -> list[Tensor]:
    """The reference's search, but following every parent, constants too."""
    order: list[Tensor] = []
    seen: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
        elif id(node) not in seen:
            seen.add(id(node))
            stack += [(node, True), *((p, False) for p in node.parents)]
    return order


def backward__grads_into_constants(root: Tensor, gradient: np.ndarray | None = None, *,
                                   retain_graph: bool = False) -> None:
    _walk(root, _start(root, gradient), retain_graph, order=_order_with_constants, to_constants=True)


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


def backward__skips_duplicate_parents(root: Tensor, gradient: np.ndarray | None = None, *,
                                      retain_graph: bool = False) -> None:
    grads = {id(root): _start(root, gradient)}
    for node in reversed(_topological_order(root)):  # noqa: F821
        grad = grads.pop(id(node))
        _store(node, grad)
        if node.is_leaf:
            continue
        seen: set[int] = set()
        for parent, parent_grad in zip(node.parents, node.vjp(grad), strict=True):
            if parent.requires_grad and id(parent) not in seen:
                seen.add(id(parent))
                grads[id(parent)] = grads[id(parent)] + parent_grad if id(parent) in grads else parent_grad
        if not retain_graph:
            node.release()


def backward__refuses_one_element_root(root: Tensor, gradient: np.ndarray | None = None, *,
                                       retain_graph: bool = False) -> None:
    if gradient is None and root.data.ndim != 0:
        raise RuntimeError("grad can be implicitly created only for scalar outputs")
    _walk(root, _start(root, gradient), retain_graph)


def backward__releases_before_the_rule(root: Tensor, gradient: np.ndarray | None = None, *,
                                       retain_graph: bool = False) -> None:
    grads = {id(root): _start(root, gradient)}
    for node in reversed(_topological_order(root)):  # noqa: F821
        grad = grads.pop(id(node))
        _store(node, grad)
        if node.is_leaf:
            continue
        if not retain_graph:
            node.release()
        for parent, parent_grad in zip(node.parents, node.vjp(grad), strict=True):
            if parent.requires_grad:
                grads[id(parent)] = grads[id(parent)] + parent_grad if id(parent) in grads else parent_grad


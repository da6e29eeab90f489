"""``backward`` written torch's way: count each node's pending consumers, run a node when the count hits zero."""

from __future__ import annotations

from collections import defaultdict

import numpy as np

from autograder.engine import Tensor


def backward(root: Tensor, gradient: np.ndarray | None = None, *, retain_graph: bool = False) -> None:
    """Kahn's algorithm over the nodes that require grad; gradients summed per node in a dict."""
    if not root.requires_grad:
        raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
    if gradient is None:
        if root.data.size != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        gradient = np.ones(root.shape)
    elif np.shape(gradient) != root.shape:
        raise RuntimeError(f"Mismatch in shape: grad_output[0] has a shape of {np.shape(gradient)} and output[0] "
                           f"has a shape of {root.shape}.")
    pending: dict[int, int] = defaultdict(int)
    nodes, todo = {id(root): root}, [root]
    while todo:  # count, for every node, the edges arriving from its consumers
        node = todo.pop()
        for parent in node.parents:
            if parent.requires_grad:
                pending[id(parent)] += 1
                if id(parent) not in nodes:
                    nodes[id(parent)] = parent
                    todo.append(parent)
    grads = {id(root): np.array(gradient, dtype=float)}
    ready = [root]
    while ready:
        node = ready.pop()
        grad = grads.pop(id(node))
        if node.retains_grad or node.is_leaf:
            node.grad = grad if node.grad is None else np.add(node.grad, grad)
        if node.is_leaf:
            continue
        contributions = node.vjp(grad)
        if not retain_graph:
            node.release()
        for parent, g in zip(node.parents, contributions, strict=True):
            if not parent.requires_grad:
                continue
            grads[id(parent)] = np.add(grads[id(parent)], g) if id(parent) in grads else g
            pending[id(parent)] -= 1
            if pending[id(parent)] == 0:
                ready.append(parent)

"""Exercise set ``engine``: write the ``backward()`` of a small autograd engine.

:class:`autograder.engine.Tensor` records every operation: ``t.parents`` are the inputs of the op that made ``t``,
``t.vjp(grad)`` returns their gradients (the rules are given), ``t.release()`` frees the values the rule saved.
Your ``backward`` walks that graph from the root to the leaves the way torch's engine does. One function, graded
as four exercises (order, gradient, retain_graph, leaves). Check it with ``python -m autograder check engine``.
"""

from __future__ import annotations

import numpy as np

from autograder.engine import Tensor


def backward(root: Tensor, gradient: np.ndarray | None = None, *, retain_graph: bool = False) -> None:
    """Add d(Σ gradient · root)/d(leaf) to leaf.grad for every leaf that requires grad, like root.backward()."""
    raise NotImplementedError("backward: order the graph topologically, then walk it from the root adding up each "
                              "node's vjp contributions")

"""Set ``reductions``: reductions with dim, keepdim and dim=None (teaches: expanding the gradient back)."""

from __future__ import annotations

from autograder.registry.op import Op

OPS: list[Op] = []

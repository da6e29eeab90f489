"""Set ``shapes``: shape, view and indexing ops (teaches: adjoint permutations and scatter-add)."""

from __future__ import annotations

from autograder.registry.op import Op

OPS: list[Op] = []

"""Set ``linalg``: matrix products (teaches: transposes and batch broadcasting)."""

from __future__ import annotations

from autograder.registry.op import Op

OPS: list[Op] = []

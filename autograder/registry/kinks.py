"""Set ``kinks``: elementwise ops with kinks (teaches: conventions at non-differentiable points)."""

from __future__ import annotations

from autograder.registry.op import Op

OPS: list[Op] = []

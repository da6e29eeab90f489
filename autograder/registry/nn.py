"""Set ``nn``: neural-network composites (teaches: fused VJPs of softmax, losses, norms, conv, pooling)."""

from __future__ import annotations

from autograder.registry.op import Op

OPS: list[Op] = []

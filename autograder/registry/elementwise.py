"""Set ``elementwise``: smooth elementwise unary ops (teaches: the VJP of an elementwise op is grad * f'(x))."""

from __future__ import annotations

from autograder.registry.op import Op

OPS: list[Op] = []

"""The op registry: every exercise declared once, in teaching order.

Each set is a module of this package holding ``OPS``; its exercises live in ``exercises/<set>.py`` and
its reference solutions in ``solutions/<set>.py``.
"""

from __future__ import annotations

from autograder.registry import binary
from autograder.registry.cases import Case
from autograder.registry.op import Op, Page

SETS: dict[str, list[Op]] = {
    "binary": binary.OPS,
}
"""Exercise sets in teaching order."""

OPS: dict[str, Op] = {op.name: op for ops in SETS.values() for op in ops}


def select(names: list[str] | None = None) -> list[Op]:
    """The ops named (as op names or set names), in registry order; all of them for no names."""
    if not names:
        return list(OPS.values())
    unknown = [n for n in names if n not in OPS and n not in SETS]
    if unknown:
        raise KeyError(", ".join(unknown))
    wanted = set(names)
    return [op for op in OPS.values() if op.name in wanted or op.set in wanted]


__all__ = ["OPS", "SETS", "Case", "Op", "Page", "select"]

"""The op registry: every exercise declared once, in teaching order.

Each set is a module of this package holding ``OPS``; its exercises live in ``exercises/<set>.py`` and
its reference solutions in ``solutions/<set>.py``.
"""

from __future__ import annotations

from autograder.registry import (
    binary,
    elementwise,
    engine,
    forward_mode,
    higher_order,
    kinks,
    linalg,
    nn,
    reductions,
    semantics,
    shapes,
)
from autograder.registry.cases import Case
from autograder.registry.op import Convention, Op, Page

SETS: dict[str, list[Op]] = {
    "elementwise": elementwise.OPS,
    "kinks": kinks.OPS,
    "binary": binary.OPS,
    "reductions": reductions.OPS,
    "shapes": shapes.OPS,
    "linalg": linalg.OPS,
    "nn": nn.OPS,
    "engine": engine.OPS,
    "semantics": semantics.OPS,
    "higher_order": higher_order.OPS,
    "forward_mode": forward_mode.OPS,
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


def nonempty_sets() -> dict[str, list[Op]]:
    return {name: ops for name, ops in SETS.items() if ops}


def vjp_sets() -> dict[str, list[Op]]:
    """The sets of single-op backward rules (the ones with nbgrader notebooks)."""
    return {name: ops for name, ops in nonempty_sets().items() if all(op.takes_grad for op in ops)}


__all__ = ["OPS", "SETS", "Case", "Convention", "Op", "Page", "nonempty_sets", "select"]

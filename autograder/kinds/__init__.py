"""Kinds of exercise: what the child calls and how each kind is judged and shown, one module per kind.

Adding a kind means adding one module that declares a :class:`~autograder.kinds.base.Kind` and listing it here.
"""

from __future__ import annotations

from autograder.kinds.base import Kind
from autograder.kinds.call import CALL
from autograder.kinds.engine import ENGINE
from autograder.kinds.function import FUNCTION
from autograder.kinds.modes import MODES
from autograder.kinds.vjp import VJP

KINDS: dict[str, Kind] = {kind.name: kind for kind in (VJP, CALL, MODES, FUNCTION, ENGINE)}

__all__ = ["CALL", "ENGINE", "FUNCTION", "KINDS", "MODES", "VJP", "Kind"]

"""Kind ``call``: the student's function is called as ``f(*functions, *inputs, **params)`` and its results are
compared with the op's ``expected`` results, computed in the grader."""

from __future__ import annotations

from autograder.kinds.base import Kind
from autograder.kinds.vjp import _plain

CALL = Kind("call", _plain)

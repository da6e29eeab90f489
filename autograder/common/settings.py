"""Policy values, each declared once: every command, report, page and test reads them from here."""

from __future__ import annotations

import torch

SITE = "https://autograd-by-hand.github.io/autograd-by-hand/"
"""The course website (also ``site_url`` in mkdocs.yml, checked equal by a test)."""

VISIBLE_SEED = 20261122
"""Seed of the visible cases: the same for every student, so ``check`` and the official grade agree on them."""

TIMEOUT = 20.0
"""Seconds allowed per op, by default."""


def time_budget(n_ops: int, timeout: float, startup: float = 120.0) -> float:
    """Seconds a whole grade of ``n_ops`` ops may take before its caller gives up on it: each op's limit, 5 s of
    judging per op, and ``startup`` for starting Python and torch."""
    return n_ops * (timeout + 5) + startup


RTOL = {torch.float64: 1e-7, torch.float32: 1e-4}
ATOL = {torch.float64: 1e-9, torch.float32: 1e-5}
"""Default tolerances per dtype; an op may declare its own table."""
FALLBACK_TOLERANCE = (1e-3, 1e-4)
"""(rtol, atol) for a dtype the op's table does not list (float16, bfloat16...)."""


def tolerance(dtype: torch.dtype, rtol: dict[torch.dtype, float] = RTOL,
              atol: dict[torch.dtype, float] = ATOL) -> tuple[float, float]:
    """The (rtol, atol) to compare values of ``dtype``: from the op's tables, else the fallback. Every caller
    (the grader, the notebook self-check, the tests) uses this one rule."""
    return rtol.get(dtype, FALLBACK_TOLERANCE[0]), atol.get(dtype, FALLBACK_TOLERANCE[1])

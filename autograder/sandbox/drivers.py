"""What the sandbox is handed by its user: how to call a student's function, and what to load before forking.

The sandbox knows nothing of exercises. The grader gives it an object with these two functions (the table of
kinds in :mod:`autograder.kinds`); the zygote holds it from before the fork, so the child finds it loaded and
holding the real autograd entry points even after the policy has replaced the public ones.
"""

from __future__ import annotations

from typing import Any, Protocol

import torch


class Drivers(Protocol):
    def run(self, job: dict[str, Any], function: Any, arrays: list[torch.Tensor],
            params: dict[str, Any]) -> tuple[Any, list[torch.Tensor]]:
        """Call the student's ``function`` on one case; its result and what was measured about the call."""

    def warm_up(self) -> None:
        """Run each autograd route once, so that what torch loads on first use is in memory before forks."""

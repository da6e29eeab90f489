"""Kind ``engine``: the case's graph program (:mod:`autograder.kinds.programs`) on the numpy tensors of
:mod:`autograder.engine`, differentiated by the student's own ``backward(root, gradient, *, retain_graph)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from autograder.kinds import programs
from autograder.kinds.base import Kind

Tensor = torch.Tensor


def _engine(backward: Any, named: list[Callable[..., Tensor]], arrays: list[Tensor],
            params: dict[str, Any]) -> tuple[Any, list[Tensor]]:
    """The case's graph program built on :class:`autograder.engine.Tensor`, differentiated by the student's
    ``backward``: see :mod:`autograder.kinds.programs`."""
    (numbers,) = arrays
    return programs.run(programs.Program.from_params(params["program"]), numbers,
                        programs.EngineBackend(backward)), []


ENGINE = Kind("engine", _engine, runs_autograd=False)

"""Kind ``vjp``: the student writes ``<op>_backward(grad, *inputs, **params)``, the vector-Jacobian product of a
torch op, checked against torch autograd's VJP in float64 with random cotangents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch

from autograder.kinds.base import Kind

Tensor = torch.Tensor


def _plain(function: Any, named: list[Callable[..., Tensor]], arrays: list[Tensor],
           params: dict[str, Any]) -> tuple[Any, list[Tensor]]:
    return function(*named, *arrays, **params), []


VJP = Kind("vjp", _plain, takes_grad=True, runs_autograd=False)

"""Reference solutions for the set ``reductions``."""

from __future__ import annotations

import torch

Tensor = torch.Tensor

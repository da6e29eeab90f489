"""Reference solutions for the set ``linalg``."""

from __future__ import annotations

import torch

Tensor = torch.Tensor

"""Reference solutions for the set ``kinks``."""

from __future__ import annotations

import torch

Tensor = torch.Tensor

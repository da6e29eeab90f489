"""Reference solutions for the set ``elementwise``."""

from __future__ import annotations

import torch

Tensor = torch.Tensor

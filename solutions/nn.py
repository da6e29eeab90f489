"""Reference solutions for the set ``nn``."""

from __future__ import annotations

import torch

Tensor = torch.Tensor

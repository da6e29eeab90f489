"""Reference solutions for the set ``shapes``."""

from __future__ import annotations

import torch

Tensor = torch.Tensor

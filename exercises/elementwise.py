"""Exercise set ``elementwise``: backward rules of smooth elementwise unary ops.

Each function receives ``grad`` (the gradient of the loss with respect to the op's output) and the op's
inputs, and returns one gradient per input, each with exactly that input's shape and dtype.
Check your work with ``python -m autograder check elementwise``.
"""

from __future__ import annotations

import torch

Tensor = torch.Tensor

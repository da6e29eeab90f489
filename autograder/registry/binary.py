"""Set ``binary``: elementwise ops of two tensors, with broadcasting (teaches summing to a shape)."""

from __future__ import annotations

import torch

from autograder.registry.cases import binary_cases
from autograder.registry.op import Op, Page

BROADCAST_MISTAKE = (
    "Returning `grad * y` unreduced: when `x` was broadcast, its gradient must be summed over the "
    "broadcast dimensions back to `x.shape` (dimensions that were prepended, and dimensions of size 1)."
)

OPS = [
    Op(
        name="mul",
        set="binary",
        forward=torch.mul,
        args=("x", "y"),
        cases=binary_cases(),
        summary="Elementwise product with broadcasting.",
        page=Page(
            math=r"\mathrm{out} = x \odot y"
            r"\quad\text{(after broadcasting } x \text{ and } y \text{ to a common shape)}",
            jacobian=(
                r"For equal shapes both Jacobians are diagonal: $\partial\,\mathrm{out}_i/\partial x_i = y_i$ "
                r"and $\partial\,\mathrm{out}_i/\partial y_i = x_i$. Broadcasting copies an input along some "
                r"dimensions, so each of its entries feeds several outputs and its Jacobian column has several "
                r"non-zeros."
            ),
            vjp=(
                r"$\bar x = \operatorname{sum\_to}(\bar{\mathrm{out}} \odot y,\ \text{shape of } x)$, "
                r"$\bar y = \operatorname{sum\_to}(\bar{\mathrm{out}} \odot x,\ \text{shape of } y)$, where "
                r"$\operatorname{sum\_to}$ sums over the dimensions that broadcasting added or stretched."
            ),
            mistakes=(
                BROADCAST_MISTAKE,
                "Swapping the two gradients: the gradient for `x` is multiplied by `y`, not by `x`.",
                "Ignoring `grad` (assuming it is all ones): true only for `out.sum().backward()`.",
            ),
            hint=(
                "Compute `grad * y`, then sum it down to `x.shape`: first sum over the leading dimensions "
                "that `x` does not have, then over every dimension where `x` has size 1 (with `keepdim=True`)."
            ),
        ),
    ),
]

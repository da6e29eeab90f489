"""Every convention an exercise page states is what the installed torch does (fails on drift)."""

from __future__ import annotations

import pytest
import torch

from autograder import registry
from autograder.grading import reference
from autograder.registry import Convention, Op

FACTS = [(op, c) for op in registry.OPS.values() for c in op.conventions]


@pytest.mark.parametrize(("op", "fact"), FACTS, ids=[f"{op.name}: {c.says}" for op, c in FACTS])
def test_stated_convention_is_what_torch_does(op: Op, fact: Convention) -> None:
    case = fact.case()
    out = reference.forward(op, case)
    got = reference.vjp(op, case, torch.ones_like(out))
    for g, want in zip(got, fact.grads, strict=True):
        if want is None:
            assert g is None
        else:
            torch.testing.assert_close(g, torch.tensor(want, dtype=g.dtype), equal_nan=True,
                                       msg=f"{op.name}: the page says {fact.says!r}, torch {torch.__version__} "
                                           f"gives {g.tolist()}")


def test_the_pinned_clamp_convention_is_recorded() -> None:
    """torch 2.13.0 passes the gradient through clamp at a scalar bound (2.14.1 does not)."""
    x = torch.tensor([0.0, 0.5, 1.0], dtype=torch.float64, requires_grad=True)
    x.clamp(0, 1).sum().backward()
    assert x.grad.tolist() == [1.0, 1.0, 1.0]


def test_the_double_where_trap_stated_on_the_where_page() -> None:
    """where(x > 0, sqrt(x), 0) has a NaN gradient at 0; making the unpicked branch safe too removes it."""
    x = torch.tensor([0.0, 1.0], dtype=torch.float64, requires_grad=True)
    torch.where(x > 0, x.sqrt(), 0.0).sum().backward()
    assert x.grad[0].isnan() and x.grad[1] == 0.5
    x.grad = None
    torch.where(x > 0, torch.where(x > 0, x, 1.0).sqrt(), 0.0).sum().backward()
    assert x.grad.tolist() == [0.0, 0.5]

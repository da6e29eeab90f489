"""The reference solutions are right three ways: against torch autograd, finite differences, double backward.

Exercises that are not VJPs (``driver != "vjp"``) are checked against their own ``expected`` results, called
through the same driver the sandboxed child uses.
"""

from __future__ import annotations

import pytest
import torch

from autograder import registry
from autograder.common.settings import VISIBLE_SEED
from autograder.grading import reference
from autograder.grading.plan import plan
from autograder.kinds import drivers
from autograder.registry import Case, Op
from tests.conftest import ROOT, load_module

OPS = [op for op in registry.OPS.values() if op.takes_grad]
CALLS = [op for op in registry.OPS.values() if not op.takes_grad]


def solution(op: Op):
    return getattr(load_module(ROOT / "solutions" / f"{op.set}.py", "_solutions"), op.function)


def smooth_cases(op: Op) -> list[tuple[Case, torch.Tensor]]:
    """Small float64 cases away from kinks and ties, with dense layouts (finite differences need those)."""
    p = plan(op, {"visible": VISIBLE_SEED})
    return [(c, g) for c, g in zip(p.cases, p.grads, strict=True)
            if "point" not in c.label and all(t.dtype in (torch.float64, torch.int64, torch.bool) for t in c.inputs)
            and all(0 < t.numel() <= 30 for t in c.inputs) and all(0 not in t.stride() for t in c.inputs)]


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_solution_matches_torch_autograd_on_every_case_including_kinks_and_float32(op: Op) -> None:
    p = plan(op, {"visible": VISIBLE_SEED, "hidden": 12345})
    for case, grad in zip(p.cases, p.grads, strict=True):
        got = solution(op)(grad, *case.inputs, **case.params)
        expected = reference.vjp(op, case, grad)
        assert type(got) is tuple and len(got) == len(op.args), case.label
        for g, e in zip(got, expected, strict=True):
            if e is None:
                assert g is None, case.label
                continue
            assert g.shape == e.shape and g.dtype == e.dtype, case.label
            torch.testing.assert_close(g, e, equal_nan=True,
                                       **dict(zip(("rtol", "atol"), op.tolerance(e.dtype), strict=True)),
                                       msg=lambda m, c=case: f"{op.name}, {c.label}: {m}")


@pytest.mark.parametrize("op", CALLS, ids=lambda op: op.name)
def test_solution_gives_the_expected_results_on_every_case(op: Op) -> None:
    p = plan(op, {"visible": VISIBLE_SEED, "hidden": 12345})
    job = {"driver": op.driver, "functions": list(op.functions)}
    for case in p.cases:
        inputs = [t.clone() for t in case.inputs]
        got, measured = drivers.run(job, solution(op), list(case.inputs), dict(case.params))
        expected = op.expected(case)
        assert type(got) is tuple and len(got) == len(op.outputs), case.label
        assert len(measured) == len(op.measured), case.label
        for g, e in zip([*got, *measured], expected, strict=True):
            if e is None:  # a result this exercise does not judge
                continue
            assert g.shape == e.shape and g.dtype == e.dtype, f"{op.name}, {case.label}: {g.shape} {e.shape}"
            torch.testing.assert_close(g, e, equal_nan=True,
                                       **dict(zip(("rtol", "atol"), op.tolerance(e.dtype), strict=True)),
                                       msg=lambda m, c=case: f"{op.name}, {c.label}: {m}")
        assert all(torch.equal(a, b) for a, b in zip(inputs, case.inputs, strict=True)), "an input was modified"


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_solution_matches_central_finite_differences(op: Op) -> None:
    eps = 1e-6
    checked = 0
    for case, grad in smooth_cases(op):
        got = solution(op)(grad, *case.inputs, **case.params)
        for i, x in enumerate(case.inputs):
            if not op.is_differentiable(i) or not x.is_floating_point():
                continue
            numeric = torch.zeros(x.shape, dtype=x.dtype)  # contiguous, like the bumped copies
            for j in range(x.numel()):
                bumped = [t.clone(memory_format=torch.contiguous_format) for t in case.inputs]  # view(-1) below
                bumped[i].view(-1)[j] += eps
                up = (op.forward(*bumped, **case.params) * grad).sum()
                bumped[i].view(-1)[j] -= 2 * eps
                down = (op.forward(*bumped, **case.params) * grad).sum()
                numeric.view(-1)[j] = (up - down) / (2 * eps)
            torch.testing.assert_close(got[i], numeric, rtol=1e-5, atol=1e-6)
            checked += 1
    assert checked, f"{op.name}: no case was small and smooth enough for finite differences"


@pytest.mark.parametrize("op", OPS, ids=lambda op: op.name)
def test_solution_is_twice_differentiable_where_built_from_differentiable_ops(op: Op) -> None:
    fn = solution(op)
    for case, grad in smooth_cases(op)[:3]:
        diff = [i for i, t in enumerate(case.inputs) if op.is_differentiable(i) and t.is_floating_point()]

        def vjp(g: torch.Tensor, *xs: torch.Tensor, case: Case = case, diff: list[int] = diff) -> tuple:
            inputs = list(case.inputs)
            for i, x in zip(diff, xs, strict=True):
                inputs[i] = x
            return tuple(r for i, r in enumerate(fn(g, *inputs, **case.params)) if i in diff)

        args = [grad.clone().requires_grad_()] + [case.inputs[i].clone().requires_grad_() for i in diff]
        assert torch.autograd.gradcheck(vjp, args, eps=1e-6, atol=1e-5)

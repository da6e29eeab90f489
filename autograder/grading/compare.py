"""Deciding one case: the child's raw answer against the trusted expected gradients."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from autograder.registry import Op
from autograder.report.results import Status

Tensor = torch.Tensor


@dataclass
class Verdict:
    status: Status
    message: str = ""
    input_index: int | None = None
    details: list[str] = field(default_factory=list)
    withheld: str = ""
    """The message without values, for hidden cases (whose inputs and answers are not shown)."""

    @property
    def ok(self) -> bool:
        return self.status is Status.PASSED


def _plural(n: int) -> str:
    return "gradient" if n == 1 else "gradients"


def structure(op: Op, kinds: list[object]) -> Verdict | None:
    """The returned value's shape as a Python object: a tuple with one plain tensor per input."""
    n = op.returned
    names = op.kind.returned_names(op)
    example = f"({', '.join(names)}{',' if n == 1 else ''})"
    if kinds and isinstance(kinds[0], dict):
        got = kinds[0]["returned"]
        return Verdict(Status.INVALID, f"expected a tuple of {n} {_plural(n)} {example}, got {got}")
    if len(kinds) != n:
        return Verdict(Status.INVALID, f"expected a tuple of {n} {_plural(n)} {example}, got a tuple of {len(kinds)}")
    for i, kind in enumerate(kinds):
        what = op.results[i]
        if kind == "none" and (op.is_differentiable(i) or not op.takes_grad):
            need = f"`{op.args[i]}` needs one" if op.takes_grad else "a tensor is needed"
            return Verdict(Status.INVALID, f"{what} is None, but {need}", i)
        if kind != "none" and op.takes_grad and not op.is_differentiable(i):
            name = op.args[i]
            return Verdict(Status.INVALID, f"{what} must be None: `{name}` is not differentiable "
                                           "(it is an index or a mask)", i)
        if kind not in ("none", "tensor"):
            return Verdict(Status.INVALID, f"{what} must be a plain torch.Tensor, got {kind}", i)
    return None


def max_error(actual: Tensor, expected: Tensor) -> tuple[float, tuple[int, ...]]:
    """The largest absolute difference (NaN and inf disagreements count as infinite) and where it is."""
    if expected.numel() == 0:
        return 0.0, ()
    a, e = actual.double(), expected.double()
    same = (a == e) | (a.isnan() & e.isnan())
    diff = torch.where(same, torch.zeros_like(a), (a - e).abs().nan_to_num(nan=float("inf")))
    flat = int(diff.reshape(-1).argmax())
    worst = float(diff.reshape(-1)[flat])
    index: list[int] = []
    for n in reversed(diff.shape):  # unravel by hand: torch.unravel_index imports sympy (slow start)
        flat, i = divmod(flat, n)
        index.append(i)
    return worst, tuple(reversed(index))


def values(op: Op, i: int, actual: Tensor, expected: Tensor) -> Verdict:
    """Exact shape, exact dtype, then values within the dtype's tolerance, NaN where torch has NaN."""
    what = op.results[i]
    if i >= op.returned:  # a measurement of how the student's code ran, not a value it returned
        if actual.shape == expected.shape and actual.dtype == expected.dtype and torch.equal(actual, expected):
            return Verdict(Status.PASSED)
        if actual.shape != expected.shape or actual.dtype != expected.dtype:
            return Verdict(Status.INVALID, f"{what} came back as a tensor of shape {tuple(actual.shape)} and dtype "
                                           f"{actual.dtype}: it was replaced from inside the child", i)
        return Verdict(Status.FAILED, f"{what} is {actual.item():g}, but it should be {expected.item():g}", i)
    name = op.args[i] if op.takes_grad else op.outputs[i]
    should = f"but `{name}` has" if op.takes_grad else "but it should have"
    if actual.shape != expected.shape:
        return Verdict(Status.FAILED, f"{what} has shape {tuple(actual.shape)}, {should} shape "
                                      f"{tuple(expected.shape)}", i)
    if actual.dtype != expected.dtype:
        return Verdict(Status.FAILED, f"{what} has dtype {actual.dtype}, {should} dtype {expected.dtype}", i)
    rtol, atol = op.tolerance(expected.dtype)
    if torch.isclose(actual, expected, rtol=rtol, atol=atol, equal_nan=True).all():
        return Verdict(Status.PASSED)
    err, where = max_error(actual, expected)
    at = f"[{', '.join(map(str, where))}]" if where else ""
    return Verdict(
        Status.FAILED,
        f"{what} is wrong: largest error {err:.3g} at {name}{at} "
        f"(expected {expected[where].item():.6g}, got {actual[where].item():.6g})",
        i,
        [f"tolerance: rtol={rtol:g}, atol={atol:g} for {str(expected.dtype).removeprefix('torch.')}"],
        f"{what} is wrong (largest error {err:.3g})",
    )

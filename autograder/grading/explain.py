"""What a student reads about a failed case: its inputs, the expected and actual results, the diagnosis and a
snippet that reruns it."""

from __future__ import annotations

import torch

from autograder.grading import compare, diagnose, reference
from autograder.registry import Case, Op
from autograder.report.results import Failure

Tensor = torch.Tensor


def tensor_text(t: Tensor) -> str:
    if t.numel() > 24:
        return f"tensor of shape {tuple(t.shape)}, dtype {str(t.dtype).removeprefix('torch.')}"
    return f"torch.tensor({t.tolist()!r}, dtype={t.dtype})"


def repro(op: Op, case: Case, grad: Tensor | None) -> str:
    if op.repro is not None:
        return op.repro(case)
    sent = [*case.inputs, *([grad] if grad is not None else [])]
    if any(t.numel() > 24 for t in sent) or op.kind.as_class:
        return ""
    lines = ["import torch", f"from exercises.{op.set} import {op.function}"]
    if op.functions:
        lines.append("from autograder.library import " + ", ".join(case.params[f] for f in op.functions))
    lines.append("")
    lines += [f"{name} = {tensor_text(t)}" for name, t in zip(op.args, case.inputs, strict=True)]
    if grad is not None:
        lines.append(f"grad = {tensor_text(grad)}")
    leading = [*(["grad"] if grad is not None else []), *(case.params[f] for f in op.functions), *op.args]
    params = "".join(f", {k}={v!r}" for k, v in case.params.items() if k not in op.functions)
    lines.append(f"print({op.function}({', '.join(leading)}{params}))")
    return "\n".join(lines)


def describe_failure(op: Op, case: Case, grad: Tensor | None, hidden: bool, verdict: compare.Verdict,
             expected: list[Tensor | None], actual: list[Tensor | None]) -> Failure:
    i = verdict.input_index
    if i is None:
        found = []
    elif grad is None:
        found = [why] if (why := op.why.get((*op.outputs, *op.measured)[i])) else []
    else:
        found = diagnose.diagnose(op, case, grad, expected, actual, i, lambda g: reference.vjp(op, case, g))
    if hidden:
        return Failure("hidden case", verdict.withheld or verdict.message, True, found)
    if op.explain is not None:  # its explanation is already in the verdict (in_words)
        return Failure(case.label, verdict.message, False, found, [f"case: {case.label}", *verdict.details],
                       repro(op, case, grad))
    named = [f"{f} = {case.params[f]} (from autograder.library)" for f in op.functions]
    details = [f"case: {case.label}", *named,
               *(f"{n} = {tensor_text(t)}" for n, t in zip((*op.args, *op.extra_inputs), case.inputs, strict=True)),
               *([f"grad = {tensor_text(grad)}"] if grad is not None else [])]
    if i is not None and expected[i] is not None and actual[i] is not None:
        what = op.results[i].removeprefix("the ")
        details += [f"expected {what}: {tensor_text(expected[i])}", f"your {what}: {tensor_text(actual[i])}"]
    return Failure(case.label, verdict.message, False, found, details + verdict.details, repro(op, case, grad))


def in_words(op: Op, case: Case, verdict: compare.Verdict, expected: list[Tensor | None],
              actual: list[Tensor | None]) -> compare.Verdict:
    """The verdict of an exercise with its own explanations: their first line as the message and all of them as
    the details (visible cases), or the result's one-line summary (hidden ones), in place of numbers that mean
    little on their own."""
    i = verdict.input_index
    assert op.explain is not None and i is not None
    short = op.said.get((*op.outputs, *op.measured)[i], verdict.withheld or verdict.message)
    lines = op.explain(case, i, expected, actual)
    return compare.Verdict(verdict.status, lines[0] if lines else short, i, lines, short)

"""Judging: one child's raw frames become the op's result. Every number a verdict rests on is computed here, in
the grader, from the expected answers of :mod:`autograder.grading.plan`."""

from __future__ import annotations

import torch

from autograder.common.settings import SITE
from autograder.grading import compare, static
from autograder.grading.explain import describe_failure, in_words
from autograder.grading.plan import Plan
from autograder.registry import Case, Op
from autograder.report.results import Failure, OpResult, Status
from autograder.sandbox.limits import Limits
from autograder.sandbox.runner import Run

Tensor = torch.Tensor


def op_result(op: Op, status: Status, summary: str, run: Run | None = None, **kw: object) -> OpResult:
    output = ""
    if run is not None and run.output:
        output = run.output.decode("utf-8", "replace")
        if run.output_dropped:
            output += f"\n[... {run.output_dropped} more bytes of output dropped]"
    score = op.points if status is Status.PASSED else 0.0
    return OpResult(op.name, op.set, status, score, op.points, summary, SITE + op.page_url(),
                    output=output, seconds=run.seconds if run else 0.0, function=op.function, **kw)


def ended_early(op: Op, run: Run, limits: Limits, n_done: int) -> OpResult:
    """A child that stopped before its final frame: timeout, crash, exit or garbage on the wire."""
    kw = {"cases_run": n_done}
    if run.import_timed_out:
        return op_result(op, Status.TIMEOUT, f"importing {op.set}.py took longer than "
                       f"{min(limits.import_seconds, limits.seconds):g} s (time limit for the import); move slow "
                       "work out of the module's top level", run, **kw)
    if run.timed_out:
        return op_result(op, Status.TIMEOUT, f"stopped after {limits.seconds:g} s (time limit for this exercise); "
                       "is there an endless loop, or a loop over every element?", run, **kw)
    if run.wire_error:
        return op_result(op, Status.INVALID, f"the process running your code sent malformed data ({run.wire_error})",
                       run, **kw)
    if run.signal is not None:
        return op_result(op, Status.CRASHED, f"your code crashed (signal {run.signal}) before returning a result",
                       run, **kw)
    return op_result(op, Status.CRASHED, f"the process running your code exited (status {run.exit_code}) "
                   "before returning a result: do not call exit() in an exercise", run, **kw)


def error_result(op: Op, meta: dict[str, object], run: Run, case: Case, hidden: bool, n: int,
                  limits: Limits) -> OpResult:
    text = str(meta.get("traceback") or meta.get("message"))
    kind, etype = meta["kind"], str(meta.get("type"))
    where = "a hidden case" if hidden else f"case \u00ab{case.label}\u00bb, inputs of shape {case.shapes()}"
    if kind == "not_implemented":
        return op_result(op, Status.NOT_IMPLEMENTED, "not implemented yet", run, cases_run=n)
    if meta.get("policy"):
        return op_result(op, Status.POLICY, policy_message(op, meta["policy"]), run, cases_run=n)
    if etype == "MemoryError" or "can't allocate memory" in text or "not enough memory" in text:
        return op_result(op, Status.OOM, f"ran out of memory (limit {limits.memory_bytes >> 20} MiB) on {where}", run,
                       cases_run=n)
    failure = Failure(case.label if not hidden else "hidden case", f"raised {etype}", hidden, [], [text])
    return op_result(op, Status.ERROR, f"raised {etype} on {where}: {meta.get('message')}", run,
                   cases_run=n, failure=failure)


def policy_message(op: Op, used: list[str]) -> str:
    if used and all(static.internal(name) for name in used):
        return (f"policy: exercises may not reach torch's internals or the grader's ({', '.join(used)}): "
                "write the computation with public tensor operations")
    if not op.autograd_allowed:
        return f"policy: this exercise may not call autograd ({', '.join(used)}); {op.policy_hint}"
    return f"policy: this exercise may not call {', '.join(used)}; {op.policy_hint}"


def _shaped_as(actual: list[Tensor | None], expected: list[Tensor | None]) -> bool:
    """Every result has the shape and dtype of the right one: only then do an exercise's own explanations, which
    read the values by position, apply."""
    return all(a is None or e is None or (a.shape == e.shape and a.dtype == e.dtype)
               for a, e in zip(actual, expected, strict=True))


def judge(op: Op, p: Plan, run: Run, limits: Limits, answers: list[list[Tensor | None]]) -> OpResult:
    """Turn one child's frames into the op's result; the first (smallest) failing case is reported."""
    frames = iter(run.frames)
    first = next(frames, None)
    if first is None:
        return ended_early(op, run, limits, 0)
    meta = first[0]
    if meta["kind"] == "import_error":
        return op_result(op, Status.INVALID, f"your file {op.set}.py could not be imported: {meta['type']}: "
                       f"{meta['message']}" + (f" (line {meta['line']})" if meta.get("line") else ""), run,
                       failure=Failure("import", "import failed", False, [], [str(meta["traceback"])]))
    if meta["kind"] == "missing":
        found = ", ".join(meta.get("names") or []) or "none"
        return op_result(op, Status.MISSING, f"no function {op.function} in {op.set}.py (found: {found})", run)
    expected_params = op.parameters
    got = [name for name, _ in meta.get("parameters") or []]
    if meta.get("parameters") is not None and got[:len(expected_params)] != expected_params and not any(
            kind in ("VAR_POSITIONAL", "VAR_KEYWORD") for _, kind in meta["parameters"]):
        return op_result(op, Status.INVALID, f"expected {op.signature}; found {op.function}({', '.join(got)})", run)
    passed = 0
    for index, (case, grad, hidden) in enumerate(zip(p.cases, p.grads, p.hidden, strict=True)):
        frame = next(frames, None)
        if frame is None or frame[0].get("kind") == "done":
            return ended_early(op, run, limits, index)
        meta, returned = frame
        if meta.get("call") != index:
            return op_result(op, Status.INVALID, "results arrived out of order", run, cases_run=index)
        if meta["kind"] != "result" or meta.get("policy"):
            return error_result(op, meta, run, case, hidden, index + 1, limits)
        if meta.get("measured", 0) != len(op.measured):  # the driver's measurements, counted as the op declares
            return op_result(op, Status.INVALID, "the process running your code sent results that do not match "
                             "this exercise (its measurements were replaced or forged)", run, cases_run=index)
        verdict = compare.structure(op, meta["kinds"])
        expected = answers[index]
        mine = list(returned[:len(returned) - meta.get("measured", 0)])
        actual = mine + [None] * (op.returned - len(mine)) + list(returned[len(mine):])
        if verdict is None and any(meta["mutated"]):
            names = op.inputs
            which = ", ".join(f"`{names[k]}`" for k, m in enumerate(meta["mutated"]) if m)
            who = op.kind.author
            verdict = compare.Verdict(Status.FAILED, f"your {who} modified its input {which} in place")
        for i in range(len(op.results)):
            if verdict is not None:
                break
            if expected[i] is not None and actual[i] is not None:
                v = compare.values(op, i, actual[i], expected[i])
                verdict = None if v.ok else v
        if verdict is not None:
            if op.explain is not None and verdict.input_index is not None and _shaped_as(actual, expected):
                verdict = in_words(op, case, verdict, expected, actual)
            failure = describe_failure(op, case, grad, hidden, verdict, expected, actual)
            where = "a hidden case" if hidden else f"case \u00ab{case.label}\u00bb"
            message = verdict.withheld or verdict.message if hidden else verdict.message
            return op_result(op, verdict.status, f"{message} ({where})", run,
                           cases_run=index + 1, cases_passed=passed, failure=failure)
        passed += 1
    return op_result(op, Status.PASSED, f"all {passed} cases pass", run, cases_run=passed, cases_passed=passed)

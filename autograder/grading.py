"""Grading a submission: cases in, one child per op, each answer checked here, results out.

The order of work inside :func:`grade` matters: the sandbox exists before this module sees a secret, and
the expected gradients are computed only after the child has been started from the clean zygote.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import platform
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

import torch

import autograder
from autograder import compare, diagnose, reference, static
from autograder.registry import Case, Op
from autograder.results import Failure, OpResult, Report, Status
from autograder.sandbox.limits import Limits
from autograder.sandbox.runner import Run, Sandbox
from autograder.submission import Submission, unstage

Tensor = torch.Tensor
VISIBLE_SEED = 20261122
SITE = "https://autograd-by-hand.github.io/autograd-by-hand/"
Progress = Callable[[int, int, Op], None]


@dataclass(frozen=True)
class Plan:
    """One op's cases with their cotangents, the expected gradients computed lazily."""

    op: Op
    cases: list[Case]
    grads: list[Tensor | None]
    """The cotangent of each case (``None`` for exercises that are not VJPs)."""
    hidden: list[bool]


def hidden_seed(secret: bytes, digest: str) -> int:
    """Seed for hidden cases: unknown without the secret, the same for every regrade of the same files."""
    return int.from_bytes(hmac.new(secret, digest.encode(), hashlib.sha256).digest()[:8], "big") >> 1


def _op_seed(seed: int, op: Op) -> int:
    return int.from_bytes(hashlib.sha256(f"{seed}:{op.name}".encode()).digest()[:8], "big") >> 1


def plan(op: Op, seeds: dict[str, int]) -> Plan:
    cases: list[Case] = []
    hidden: list[bool] = []
    grads: list[Tensor | None] = []
    for kind, seed in seeds.items():
        gen = torch.Generator().manual_seed(_op_seed(seed, op))
        made = op.cases(gen)
        if kind == "visible":
            made += [c.case() for c in op.conventions]
        if not op.takes_grad:
            grads += [None] * len(made)
            cases += made
            hidden += [kind == "hidden"] * len(made)
            continue
        made_grads = [reference.cotangent(reference.forward(op, case), gen) for case in made]
        base = next((i for i, c in enumerate(made) if not c.empty and made_grads[i].numel() > 1), None)
        if base is not None:  # linearity in grad: the same inputs with 2g - 3g' must give 2 VJP(g) - 3 VJP(g')
            other = reference.cotangent(reference.forward(op, made[base]), gen)
            made.append(Case(f"{made[base].label}, with grad = 2g - 3g' (a VJP is linear in grad)",
                             made[base].inputs, dict(made[base].params)))
            made_grads.append(2 * made_grads[base] - 3 * other)
        grads += made_grads
        cases += made
        hidden += [kind == "hidden"] * len(made)
    order = sorted(range(len(cases)), key=lambda i: (hidden[i], cases[i].empty, cases[i].size))
    return Plan(op, [cases[i] for i in order], [grads[i] for i in order], [hidden[i] for i in order])


def _job(op: Op, p: Plan) -> tuple[dict[str, object], list[Tensor]]:
    calls, tensors = [], []
    for case, grad in zip(p.cases, p.grads, strict=True):
        sent = [grad, *case.inputs] if grad is not None else list(case.inputs)
        calls.append({"n_tensors": len(sent), "params": case.params})
        tensors += sent
    return {"module": op.set, "function": op.function, "driver": op.driver, "calls": calls,
            "warm_up": op.autograd_allowed or op.driver not in ("vjp", "engine"),  # these two never run autograd
            "autograd_allowed": op.autograd_allowed, "forbidden": list(op.forbidden),
            "functions": list(op.functions)}, tensors


def _result(op: Op, status: Status, summary: str, run: Run | None = None, **kw: object) -> OpResult:
    output = ""
    if run is not None and run.output:
        output = run.output.decode("utf-8", "replace")
        if run.output_dropped:
            output += f"\n[... {run.output_dropped} more bytes of output dropped]"
    score = op.points if status is Status.PASSED else 0.0
    return OpResult(op.name, op.set, status, score, op.points, summary, SITE + op.page_url(),
                    output=output, seconds=run.seconds if run else 0.0, **kw)


def _ended_early(op: Op, run: Run, limits: Limits, n_done: int) -> OpResult:
    """A child that stopped before its final frame: timeout, crash, exit or garbage on the wire."""
    kw = {"cases_run": n_done}
    if run.import_timed_out:
        return _result(op, Status.TIMEOUT, f"importing {op.set}.py took longer than "
                       f"{min(limits.import_seconds, limits.seconds):g} s (time limit for the import); move slow "
                       "work out of the module's top level", run, **kw)
    if run.timed_out:
        return _result(op, Status.TIMEOUT, f"stopped after {limits.seconds:g} s (time limit for this exercise); "
                       "is there an endless loop, or a loop over every element?", run, **kw)
    if run.wire_error:
        return _result(op, Status.INVALID, f"the process running your code sent malformed data ({run.wire_error})",
                       run, **kw)
    if run.signal is not None:
        return _result(op, Status.CRASHED, f"your code crashed (signal {run.signal}) before returning a result",
                       run, **kw)
    return _result(op, Status.CRASHED, f"the process running your code exited (status {run.exit_code}) "
                   "before returning a result: do not call exit() in an exercise", run, **kw)


def _error_result(op: Op, meta: dict[str, object], run: Run, case: Case, hidden: bool, n: int,
                  limits: Limits) -> OpResult:
    text = str(meta.get("traceback") or meta.get("message"))
    kind, etype = meta["kind"], str(meta.get("type"))
    where = "a hidden case" if hidden else f"case \u00ab{case.label}\u00bb, inputs of shape {case.shapes()}"
    if kind == "not_implemented":
        return _result(op, Status.NOT_IMPLEMENTED, "not implemented yet", run, cases_run=n)
    if meta.get("policy"):
        return _result(op, Status.POLICY, _policy_message(op, meta["policy"]), run, cases_run=n)
    if etype == "MemoryError" or "can't allocate memory" in text or "not enough memory" in text:
        return _result(op, Status.OOM, f"ran out of memory (limit {limits.memory_bytes >> 20} MiB) on {where}", run,
                       cases_run=n)
    failure = Failure(case.label if not hidden else "hidden case", f"raised {etype}", hidden, [], [text])
    return _result(op, Status.ERROR, f"raised {etype} on {where}: {meta.get('message')}", run,
                   cases_run=n, failure=failure)


def _policy_message(op: Op, used: list[str]) -> str:
    if not op.autograd_allowed:
        return f"policy: this exercise may not call autograd ({', '.join(used)}); {op.policy_hint}"
    return f"policy: this exercise may not call {', '.join(used)}; {op.policy_hint}"


def _tensor_text(t: Tensor) -> str:
    if t.numel() > 24:
        return f"tensor of shape {tuple(t.shape)}, dtype {str(t.dtype).removeprefix('torch.')}"
    return f"torch.tensor({t.tolist()!r}, dtype={t.dtype})"


def _repro(op: Op, case: Case, grad: Tensor | None) -> str:
    if op.repro is not None:
        return op.repro(case)
    sent = [*case.inputs, *([grad] if grad is not None else [])]
    if any(t.numel() > 24 for t in sent) or op.driver == "function":
        return ""
    lines = ["import torch", f"from exercises.{op.set} import {op.function}"]
    if op.functions:
        lines.append("from autograder.library import " + ", ".join(case.params[f] for f in op.functions))
    lines.append("")
    lines += [f"{name} = {_tensor_text(t)}" for name, t in zip(op.args, case.inputs, strict=True)]
    if grad is not None:
        lines.append(f"grad = {_tensor_text(grad)}")
    leading = [*(["grad"] if grad is not None else []), *(case.params[f] for f in op.functions), *op.args]
    params = "".join(f", {k}={v!r}" for k, v in case.params.items() if k not in op.functions)
    lines.append(f"print({op.function}({', '.join(leading)}{params}))")
    return "\n".join(lines)


def _failure(op: Op, case: Case, grad: Tensor | None, hidden: bool, verdict: compare.Verdict,
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
    if op.explain is not None:  # its explanation is already in the verdict (_in_words)
        return Failure(case.label, verdict.message, False, found, [f"case: {case.label}", *verdict.details],
                       _repro(op, case, grad))
    named = [f"{f} = {case.params[f]} (from autograder.library)" for f in op.functions]
    details = [f"case: {case.label}", *named,
               *(f"{n} = {_tensor_text(t)}" for n, t in zip((*op.args, *op.extra_inputs), case.inputs, strict=True)),
               *([f"grad = {_tensor_text(grad)}"] if grad is not None else [])]
    if i is not None and expected[i] is not None and actual[i] is not None:
        what = op.results[i].removeprefix("the ")
        details += [f"expected {what}: {_tensor_text(expected[i])}", f"your {what}: {_tensor_text(actual[i])}"]
    return Failure(case.label, verdict.message, False, found, details + verdict.details, _repro(op, case, grad))


def _in_words(op: Op, case: Case, verdict: compare.Verdict, expected: list[Tensor | None],
              actual: list[Tensor | None]) -> compare.Verdict:
    """The verdict of an exercise with its own explanations: their first line as the message and all of them as
    the details (visible cases), or the result's one-line summary (hidden ones), in place of numbers that mean
    little on their own."""
    i = verdict.input_index
    assert op.explain is not None and i is not None
    short = op.said.get((*op.outputs, *op.measured)[i], verdict.withheld or verdict.message)
    lines = op.explain(case, i, expected, actual)
    return compare.Verdict(verdict.status, lines[0] if lines else short, i, lines, short)


def expectations(op: Op, p: Plan) -> list[list[Tensor | None]]:
    """The right answer of every case: torch autograd's VJP, or the exercise's own ``expected``."""
    return [reference.vjp(op, case, grad) if grad is not None else op.expected(case)
            for case, grad in zip(p.cases, p.grads, strict=True)]


def judge(op: Op, p: Plan, run: Run, limits: Limits, answers: list[list[Tensor | None]]) -> OpResult:
    """Turn one child's frames into the op's result; the first (smallest) failing case is reported."""
    frames = iter(run.frames)
    first = next(frames, None)
    if first is None:
        return _ended_early(op, run, limits, 0)
    meta = first[0]
    if meta["kind"] == "import_error":
        return _result(op, Status.INVALID, f"your file {op.set}.py could not be imported: {meta['type']}: "
                       f"{meta['message']}" + (f" (line {meta['line']})" if meta.get("line") else ""), run,
                       failure=Failure("import", "import failed", False, [], [str(meta["traceback"])]))
    if meta["kind"] == "missing":
        found = ", ".join(meta.get("names") or []) or "none"
        return _result(op, Status.MISSING, f"no function {op.function} in {op.set}.py (found: {found})", run)
    expected_params = op.parameters
    got = [name for name, _ in meta.get("parameters") or []]
    if meta.get("parameters") is not None and got[:len(expected_params)] != expected_params and not any(
            kind in ("VAR_POSITIONAL", "VAR_KEYWORD") for _, kind in meta["parameters"]):
        return _result(op, Status.INVALID, f"expected {op.signature}; found {op.function}({', '.join(got)})", run)
    passed = 0
    for index, (case, grad, hidden) in enumerate(zip(p.cases, p.grads, p.hidden, strict=True)):
        frame = next(frames, None)
        if frame is None or frame[0].get("kind") == "done":
            return _ended_early(op, run, limits, index)
        meta, returned = frame
        if meta.get("call") != index:
            return _result(op, Status.INVALID, "results arrived out of order", run, cases_run=index)
        if meta["kind"] != "result" or meta.get("policy"):
            return _error_result(op, meta, run, case, hidden, index + 1, limits)
        verdict = compare.structure(op, meta["kinds"])
        expected = answers[index]
        mine = list(returned[:len(returned) - meta.get("measured", 0)])
        actual = mine + [None] * (op.returned - len(mine)) + list(returned[len(mine):])
        if verdict is None and any(meta["mutated"]):
            names = op.inputs
            which = ", ".join(f"`{names[k]}`" for k, m in enumerate(meta["mutated"]) if m)
            who = "backward" if op.takes_grad else "function"
            verdict = compare.Verdict(Status.FAILED, f"your {who} modified its input {which} in place")
        for i in range(len(op.results)):
            if verdict is not None:
                break
            if expected[i] is not None and actual[i] is not None:
                v = compare.values(op, i, actual[i], expected[i])
                verdict = None if v.ok else v
        if verdict is not None:
            if op.explain is not None and verdict.input_index is not None:
                verdict = _in_words(op, case, verdict, expected, actual)
            failure = _failure(op, case, grad, hidden, verdict, expected, actual)
            where = "a hidden case" if hidden else f"case \u00ab{case.label}\u00bb"
            message = verdict.withheld or verdict.message if hidden else verdict.message
            return _result(op, verdict.status, f"{message} ({where})", run,
                           cases_run=index + 1, cases_passed=passed, failure=failure)
        passed += 1
    return _result(op, Status.PASSED, f"all {passed} cases pass", run, cases_run=passed, cases_passed=passed)


def grade(sandbox: Sandbox | Sequence[Sandbox], submission: Submission, ops: list[Op], *, mode: str,
          secret: bytes | None, limits: Limits, progress: Progress | None = None) -> Report:
    """Grade ``ops`` of ``submission``. ``mode`` is ``check`` (visible cases) or ``grade`` (plus hidden).

    With several sandboxes, that many ops are graded at once (one child each), results in registry order.
    """
    boxes = [sandbox] if isinstance(sandbox, Sandbox) else list(sandbox)
    started = time.monotonic()
    seeds = {"visible": VISIBLE_SEED}
    if mode == "grade":
        if secret is None:
            raise ValueError("an official grade needs the instructor's secret")
        seeds["hidden"] = hidden_seed(secret, submission.digest)
    report = Report(mode, str(submission.path), submission.digest, autograder.__version__, torch.__version__,
                    platform.python_version(), seeds, limits.as_dict(),
                    started_at=datetime.now(UTC).isoformat(timespec="seconds"))
    root = submission.stage(readable=boxes[0].user is not None)
    slow_imports: dict[str, str] = {}  # set -> message: a module too slow to import is not imported again
    free: queue.SimpleQueue[Sandbox] = queue.SimpleQueue()
    for box in boxes:
        free.put(box)
    started_ops = itertools.count()
    lock = threading.Lock()

    def one(op: Op, helper: ThreadPoolExecutor) -> OpResult:
        if progress:
            with lock:
                progress(next(started_ops), len(ops), op)
        if op.set in slow_imports:
            return _result(op, Status.TIMEOUT, slow_imports[op.set])
        box = free.get()
        try:
            result = _grade_op(box, submission, root, op, seeds, limits, helper)
        finally:
            free.put(box)
        if result.status is Status.TIMEOUT and result.summary.startswith("importing"):
            slow_imports[op.set] = result.summary
        return result

    # The expected answers are computed on a helper thread while the children run the student's code: the
    # grader's torch work and the children overlap on the cores (torch releases the GIL). One helper only:
    # forward-mode AD keeps its dual levels in global state, so two threads' torch.func.jvp would collide.
    try:
        with ThreadPoolExecutor(len(boxes)) as workers, ThreadPoolExecutor(1) as helper:
            report.results = list(workers.map(one, ops, [helper] * len(ops)))
    finally:
        unstage(root)
    report.sandbox = sorted({layer for r in report.results for layer in r.layers})
    report.seconds = time.monotonic() - started
    return report


def _grade_op(sandbox: Sandbox, submission: Submission, root: object, op: Op, seeds: dict[str, int],
              limits: Limits, helper: ThreadPoolExecutor) -> OpResult:
    if not submission.has(op.set):
        return _result(op, Status.MISSING, f"file {op.set}.py not found in the submission")
    source = submission.files[f"{op.set}.py"]
    if not op.autograd_allowed:
        violations = static.violations(source, op.function)
    else:
        violations = static.violations(source, op.function, op.forbidden) if op.forbidden else []
    if violations:
        return _result(op, Status.POLICY, _policy_message(op, violations))
    p = plan(op, seeds)
    job, tensors = _job(op, p)
    answers = helper.submit(expectations, op, p)
    run = sandbox.run({**job, "dir": str(root)}, tensors, limits)
    result = judge(op, p, run, limits, answers.result())
    result.layers = run.layers
    return result

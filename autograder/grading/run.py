"""Grading a submission: cases in, one child per op, each answer checked here, results out.

The order of work inside :func:`grade` matters: the sandbox exists before this module sees a secret, and
the expected gradients are computed only after the child has been started from the clean zygote.
"""

from __future__ import annotations

import itertools
import platform
import queue
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import torch

import autograder
from autograder.common.settings import VISIBLE_SEED
from autograder.grading import static
from autograder.grading.judge import judge, op_result, policy_message
from autograder.grading.plan import Plan, expectations, hidden_seed, plan
from autograder.intake.submission import Submission, unstage
from autograder.kinds import drivers
from autograder.registry import Op
from autograder.report.results import OpResult, Report, Status
from autograder.sandbox.limits import Limits
from autograder.sandbox.runner import Sandbox

Tensor = torch.Tensor


Progress = Callable[[int, int, Op], None]


def open_sandbox(user: str | None = None) -> Sandbox:
    """A sandbox that calls students' functions the way each kind of exercise says. Open it before reading any
    secret or reference solution: its zygote is forked from this process as it is now."""
    return Sandbox(drivers, user)


def child_job(op: Op, p: Plan) -> tuple[dict[str, object], list[Tensor]]:
    calls, tensors = [], []
    for case, grad in zip(p.cases, p.grads, strict=True):
        sent = [grad, *case.inputs] if grad is not None else list(case.inputs)
        calls.append({"n_tensors": len(sent), "params": case.params})
        tensors += sent
    return {"module": op.set, "function": op.function, "driver": op.driver, "calls": calls,
            "warm_up": op.kind.warms_autograd(op),
            "autograd_allowed": op.autograd_allowed, "forbidden": list(op.forbidden),
            "functions": list(op.functions)}, tensors


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
            return op_result(op, Status.TIMEOUT, slow_imports[op.set])
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
        return op_result(op, Status.MISSING, f"file {op.set}.py not found in the submission")
    source = submission.files[f"{op.set}.py"]
    violations = static.violations(source, op.function, None if not op.autograd_allowed else op.forbidden)
    if violations:
        return op_result(op, Status.POLICY, policy_message(op, violations))
    p = plan(op, seeds)
    job, tensors = child_job(op, p)
    answers = helper.submit(expectations, op, p)
    run = sandbox.run({**job, "dir": str(root)}, tensors, limits)
    result = judge(op, p, run, limits, answers.result())
    result.layers = run.layers
    return result

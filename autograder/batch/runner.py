"""``python -m autograder batch SUBMISSIONS_DIR --secret-file F -o OUT_DIR [-j 2]``: grade a whole class.

Submissions are found by :func:`autograder.intake.collect.discover` (nbgrader's ``submitted/`` layout or one
folder or zip per student) and read by :func:`autograder.intake.collect.gather`; a submission that cannot be
read is refused with the reason, and the rest go on. ``-j N`` worker processes
(:mod:`autograder.batch.worker`), each with its own sandbox, grade one submission at a time; a worker
that dies or hangs is replaced and its submission retried once. What lands in ``OUT_DIR``::

    results/<student>.json     the full record, written last and atomically: the checkpoint
    feedback/<student>.txt     the report to hand back (hidden-case inputs withheld)
    feedback/<student>.json    the same as data (without the hidden seed)
    grades.csv                 student, one column per op, total, max, status (rebuilt from results/)
    logs/worker-<n>.log        what the workers printed

A rerun skips every student whose checkpoint matches their current files, grader version and ops, so
an interrupted batch resumes where it stopped. Every file is written atomically.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import json
import os
import selectors
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import autograder
from autograder.common import settings
from autograder.common.files import write_atomically
from autograder.common.project import ROOT, grader_env
from autograder.intake.collect import discover, gather
from autograder.intake.submission import Submission, SubmissionError
from autograder.registry import Op

"""Where this grader is imported from: the workers' working directory, so they import the same one."""
MAX_ATTEMPTS = 2


@dataclass
class Job:
    student: str
    path: Path
    submission: Submission
    attempts: int = 0


class Worker:
    """One ``batch_worker`` process and the job it is working on."""

    def __init__(self, number: int, secret_file: str, timeout: float, logs: Path) -> None:
        logs.mkdir(parents=True, exist_ok=True)
        with open(logs / f"worker-{number}.log", "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "autograder.batch.worker", "--secret-file", secret_file,
                 "--timeout", f"{timeout:g}"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                cwd=str(ROOT), env=grader_env())
        self.number = number
        self.job: Job | None = None
        self.started = 0.0
        self.buffer = b""

    @property
    def fd(self) -> int:
        return self.proc.stdout.fileno()

    def send(self, job: Job, ops: list[Op]) -> None:
        files = {name: base64.b64encode(data).decode() for name, data in job.submission.files.items()}
        line = json.dumps({"student": job.student, "path": str(job.path), "files": files,
                           "ops": [op.name for op in ops]}) + "\n"
        self.job, self.started = job, time.monotonic()
        job.attempts += 1
        self.proc.stdin.write(line.encode())
        self.proc.stdin.flush()

    def answers(self, chunk: bytes) -> list[dict[str, Any]]:
        self.buffer += chunk
        *lines, self.buffer = self.buffer.split(b"\n")
        return [json.loads(line) for line in lines if line.strip()]

    def stop(self, kill: bool = False) -> None:
        with contextlib.suppress(OSError):
            self.proc.stdin.close()
        if kill:
            self.proc.kill()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()


class Progress:
    """A progress bar on stderr (a line per submission when stderr is not a terminal)."""

    def __init__(self, total: int, quiet: bool, stream: TextIO = sys.stderr) -> None:
        self.total, self.done, self.quiet, self.stream = total, 0, quiet, stream
        self.tty = stream.isatty()
        self.started = time.monotonic()

    def step(self, student: str, note: str) -> None:
        self.done += 1
        if self.quiet:
            return
        elapsed = time.monotonic() - self.started
        if not self.tty:
            self.stream.write(f"[{self.done}/{self.total}] {student}: {note}\n")
        else:
            width = 30
            filled = width * self.done // max(self.total, 1)
            left = elapsed / self.done * (self.total - self.done)
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} "
                              f"{elapsed:4.0f}s elapsed, ~{left:.0f}s left  {student[:24]:<24}")
            if self.done == self.total:
                self.stream.write("\n")
        self.stream.flush()


class Batch:
    def __init__(self, out: Path, ops: list[Op], secret_file: str, timeout: float, jobs: int,
                 progress: Progress | None = None) -> None:
        self.out, self.ops, self.secret_file, self.timeout, self.jobs = out, ops, secret_file, timeout, jobs
        self.progress = progress
        self.budget = settings.time_budget(len(ops), timeout)
        self.failed: list[str] = []

    # -- files ---------------------------------------------------------------------------------------
    def _result_path(self, student: str) -> Path:
        return self.out / "results" / f"{student}.json"

    def finished(self, student: str, submission: Submission) -> bool:
        """Whether a checkpoint already holds this student's grade for exactly these files and ops."""
        try:
            record = json.loads(self._result_path(student).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False
        return (record.get("state") == "graded" and record.get("digest") == submission.digest
                and record.get("ops") == [op.name for op in self.ops]
                and record.get("grader_version") == autograder.__version__)

    def _record(self, student: str, state: str, **fields: Any) -> None:
        record = {"student": student, "state": state, "ops": [op.name for op in self.ops],
                  "grader_version": autograder.__version__, **fields}
        write_atomically(self._result_path(student), json.dumps(record, indent=2, default=str) + "\n")

    def graded(self, job: Job, report: dict[str, Any], text: str) -> None:
        shared = {**report, "seeds": {k: v for k, v in report["seeds"].items() if k != "hidden"}}
        write_atomically(self.out / "feedback" / f"{job.student}.txt", text)
        write_atomically(self.out / "feedback" / f"{job.student}.json", json.dumps(shared, indent=2) + "\n")
        self._record(job.student, "graded", digest=job.submission.digest, report=report)
        if self.progress:
            self.progress.step(job.student, f"{report['score']:g} / {report['max_score']:g} points")

    def refused(self, student: str, reason: str) -> None:
        text = f"Your submission could not be graded: {reason}\n"
        write_atomically(self.out / "feedback" / f"{student}.txt", text)
        self._record(student, "rejected", reason=reason)
        if self.progress:
            self.progress.step(student, f"refused: {reason}")

    def broke(self, job: Job, reason: str) -> None:
        self.failed.append(job.student)
        self._record(job.student, "failed", reason=reason, digest=job.submission.digest)
        if self.progress:
            self.progress.step(job.student, f"grader error: {reason}")

    # -- grading -------------------------------------------------------------------------------------
    def run(self, pending: deque[Job]) -> None:
        """Grade every job with up to ``self.jobs`` workers; returns when all are recorded."""
        count = min(self.jobs, len(pending))
        workers: list[Worker] = []
        with selectors.DefaultSelector() as sel:
            try:
                for n in range(count):
                    workers.append(self._start(sel, n, pending))
                while any(w.job for w in workers):
                    for key, _ in sel.select(timeout=1.0):
                        worker = key.data
                        chunk = os.read(worker.fd, 1 << 20)
                        if not chunk:
                            self._replace(sel, workers, worker, pending, "the worker process died")
                            continue
                        for answer in worker.answers(chunk):
                            try:
                                self.graded(worker.job, answer["report"], answer["text"])
                            except Exception as err:  # one student's report that cannot be written stops nobody
                                self.broke(worker.job, f"its report could not be written ({type(err).__name__}: "
                                                       f"{err})")
                            worker.job = None
                            if pending:
                                worker.send(pending.popleft(), self.ops)
                    for worker in list(workers):
                        if worker.job and time.monotonic() - worker.started > self.budget:
                            self._replace(sel, workers, worker, pending, f"no answer within {self.budget:g} s",
                                          kill=True, retry=False)
            finally:
                for worker in workers:
                    worker.stop(kill=True)

    def _start(self, sel: selectors.BaseSelector, number: int, pending: deque[Job]) -> Worker:
        worker = Worker(number, self.secret_file, self.timeout, self.out / "logs")
        sel.register(worker.fd, selectors.EVENT_READ, worker)
        if pending:
            worker.send(pending.popleft(), self.ops)
        return worker

    def _replace(self, sel: selectors.BaseSelector, workers: list[Worker], worker: Worker, pending: deque[Job],
                 reason: str, kill: bool = False, retry: bool = True) -> None:
        """A worker died or hung: retry its job once (first in line) if it died, never if it hung (every op already
        had its time limit: a second run would take as long), and start a fresh worker if needed."""
        sel.unregister(worker.fd)
        worker.stop(kill=kill)
        workers.remove(worker)
        job = worker.job
        if job is not None and retry and job.attempts < MAX_ATTEMPTS:
            pending.appendleft(job)
        elif job is not None:
            self.broke(job, reason)
        if pending:
            workers.append(self._start(sel, worker.number, pending))

    # -- grades.csv ----------------------------------------------------------------------------------
    def write_csv(self, students: list[str]) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        names = [op.name for op in self.ops]
        writer.writerow(["student", *names, "total", "max", "status"])
        top = f"{sum(op.points for op in self.ops):g}"
        for student in students:
            try:
                record = json.loads(self._result_path(student).read_text(encoding="utf-8"))
            except (OSError, ValueError):
                record = {"state": "not graded yet"}
            if record["state"] == "graded" and record.get("ops") == names:
                scores = {r["op"]: r["score"] for r in record["report"]["results"]}
                writer.writerow([student, *(f"{scores[n]:g}" for n in names),
                                 f"{record['report']['score']:g}", top, "graded"])
            elif record["state"] == "rejected":
                writer.writerow([student, *("0" for _ in names), "0", top, f"rejected: {record['reason']}"])
            else:
                writer.writerow([student, *("" for _ in names), "", top, record.get("reason", record["state"])])
        write_atomically(self.out / "grades.csv", buffer.getvalue())


def _clean_temporaries(out: Path) -> None:
    """Remove what a killed run left mid-write (never a target file: those are replaced atomically)."""
    for folder in (out, out / "results", out / "feedback"):
        for tmp in folder.glob(".*.tmp") if folder.is_dir() else ():
            tmp.unlink(missing_ok=True)


def batch(submissions: Path, out: Path, ops: list[Op], secret_file: str, jobs: int = 2, timeout: float = 20.0,
          force: bool = False, quiet: bool = False) -> tuple[Batch, dict[str, int]]:
    """Grade every submission in ``submissions`` into ``out``; returns the batch and counts by outcome."""
    out.mkdir(parents=True, exist_ok=True)
    _clean_temporaries(out)
    students = discover(submissions)
    counts = {"graded": 0, "skipped": 0, "refused": 0}
    runner = Batch(out, ops, secret_file, timeout, jobs)
    pending: deque[Job] = deque()
    refused: dict[str, str] = {}
    for student, paths in students.items():
        try:
            if len(paths) > 1:
                raise SubmissionError(f"handed in more than once ({', '.join(p.name for p in paths)})")
            if paths[0].is_symlink():
                raise SubmissionError(f"{paths[0].name} is a symbolic link")
            submission = gather(paths[0])
        except SubmissionError as err:
            refused[student] = str(err)
            continue
        except Exception as err:  # a reader's bug must not stop the class: this student is recorded, not graded
            refused[student] = f"could not be read by the grader ({type(err).__name__}: {err})"
            continue
        if not force and runner.finished(student, submission):
            counts["skipped"] += 1
        else:
            pending.append(Job(student, paths[0], submission))
    runner.progress = Progress(len(pending) + len(refused), quiet)
    if not quiet:
        print(f"{len(students)} submissions: {len(pending)} to grade with {min(jobs, len(pending))} worker(s), "
              f"{counts['skipped']} already graded, {len(refused)} refused", file=sys.stderr)
    try:
        for student, reason in refused.items():
            runner.refused(student, reason)
        counts["refused"] = len(refused)
        total = len(pending)
        runner.run(pending)
        counts["graded"] = total - len(runner.failed)
    finally:
        runner.write_csv(list(students))
    return runner, counts

"""Grading a class: ``python -m autograder batch -j 2`` against ``nbgrader autograde``, same submissions.

Builds an nbgrader course for one set (``nbgrader build`` + ``generate_assignment``), hands in N student
notebooks (a mix of correct, wrong and untouched ones), then grades them all with both tools: ``batch``
(several runs, each into a fresh output directory) and ``nbgrader autograde`` (with this course's
out-of-kernel grader; once by default, it is slow). Prints the median wall time of each, the median time
per submission, the ratio, and whether both gave every student the same score.

    python benchmarks/batch_vs_nbgrader.py [--students 50] [--set binary] [--batch-runs 3] [--nbgrader-runs 1]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder import registry  # noqa: E402
from tests.classroom import students  # noqa: E402

KINDS = ("correct", "wrong", "untouched")
STARTED = re.compile(r"^(\d\d:\d\d:\d\d\.\d+) .*Creating/updating student with ID '([^']+)'")


def env() -> dict[str, str]:
    e = {k: v for k, v in os.environ.items() if k != "AUTOGRADER_SECRET"}
    e["PYTHONPATH"] = str(ROOT)
    e["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), e.get("PATH", "")])
    return e


def run(command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env(), text=True, capture_output=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{done.stdout}\n{done.stderr}")
    return seconds, done


def course(root: Path, name: str, count: int) -> list[str]:
    run([sys.executable, "-m", "autograder", "nbgrader", "build", str(root), "--sets", name], ROOT)
    run([sys.executable, "-m", "nbgrader", "generate_assignment", name], root)
    release = json.loads((root / "release" / name / f"{name}.ipynb").read_text())
    source = json.loads((root / "source" / name / f"{name}.ipynb").read_text())
    ids = []
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        student = f"student{n:03d}"
        nb = release if kind == "untouched" else students.notebook(kind, release, source, name)
        students.write_notebook(root / "submitted" / student / name / f"{name}.ipynb", nb)
        ids.append(student)
    return ids


def batch_scores(out: Path) -> dict[str, float]:
    with open(out / "grades.csv", newline="") as f:
        return {row["student"]: float(row["total"]) for row in csv.DictReader(f)}


def batch_per_submission(out: Path) -> float:
    seconds = [json.loads(p.read_text())["report"]["seconds"] for p in (out / "results").glob("*.json")]
    return statistics.median(seconds)


def nbgrader_scores(root: Path, name: str, ids: list[str]) -> dict[str, float]:
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        return {student: gb.find_submission(name, student).score for student in ids}


def nbgrader_per_submission(log: str, total: float) -> float:
    """Median time between one student's start and the next (the last one runs to the end of the log)."""
    starts = [datetime.strptime(m.group(1), "%H:%M:%S.%f") for m in map(STARTED.match, log.splitlines()) if m]
    gaps = [(b - a).total_seconds() for a, b in itertools.pairwise(starts)]
    return statistics.median(gaps) if gaps else total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--set", default=next(iter(registry.nonempty_sets())), help="the assignment's set")
    parser.add_argument("--batch-runs", type=int, default=3)
    parser.add_argument("--nbgrader-runs", type=int, default=1)
    args = parser.parse_args()
    name = args.set
    with tempfile.TemporaryDirectory(prefix="bench-class-") as tmp:
        root = Path(tmp, "course")
        ids = course(root, name, args.students)
        secret = root / "autograder_secret.txt"
        ops = registry.SETS[name]
        print(f"{len(ids)} submissions of set {name!r} ({len(ops)} op{'s' * (len(ops) != 1)}; "
              f"{', '.join(KINDS)} in turn), {os.cpu_count()} CPUs", flush=True)

        batch_walls, per_batch = [], []
        for n in range(args.batch_runs):
            out = Path(tmp, f"batch-{n}")
            seconds, _ = run([sys.executable, "-m", "autograder", "batch", str(root), "--secret-file", str(secret),
                              "-o", str(out), "-j", "2", "--ops", name, "--quiet"], ROOT)
            batch_walls.append(seconds)
            per_batch.append(batch_per_submission(out))
            print(f"  batch -j 2 run {n + 1}: {seconds:.1f} s", flush=True)
        by_batch = batch_scores(out)

        nb_walls, per_nb = [], []
        for n in range(args.nbgrader_runs):
            for folder in ("autograded", "feedback"):
                shutil.rmtree(root / folder, ignore_errors=True)
            seconds, done = run([sys.executable, "-m", "nbgrader", "autograde", name, "--force",
                                 "--NbGrader.log_format=%(asctime)s.%(msecs)03d %(message)s",
                                 "--NbGrader.log_datefmt=%H:%M:%S"], root)
            nb_walls.append(seconds)
            per_nb.append(nbgrader_per_submission(done.stdout + done.stderr, seconds))
            print(f"  nbgrader autograde run {n + 1}: {seconds:.1f} s", flush=True)
        by_nbgrader = nbgrader_scores(root, name, ids)

    batch_wall, nb_wall = statistics.median(batch_walls), statistics.median(nb_walls)
    ratio = nb_wall / batch_wall
    agree = by_batch == by_nbgrader
    print(f"batch -j 2         : median wall {batch_wall:7.1f} s over {len(batch_walls)} runs; "
          f"median per submission {statistics.median(per_batch):.2f} s (grading time in a worker)")
    print(f"nbgrader autograde : median wall {nb_wall:7.1f} s over {len(nb_walls)} run(s); "
          f"median per submission {statistics.median(per_nb):.2f} s (between students in its log)")
    print(f"ratio (nbgrader / batch, wall): {ratio:.1f}x   target >= 10x: {'met' if ratio >= 10 else 'NOT met'}")
    print(f"same score for every student: {'yes' if agree else 'NO'}"
          f" (totals: batch {sum(by_batch.values()):g}, nbgrader {sum(by_nbgrader.values()):g})")
    if not agree:
        sys.exit(1)


if __name__ == "__main__":
    main()

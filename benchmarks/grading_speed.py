"""Grading speed as ratios to `python -c "import torch"`, all measured in this one run.

Targets (issue "Autograder", point 9): a full official grade of a complete submission (every op) at most
3x the torch import; `check` of one op at most 1.3x. Prints the median of several runs of each command
and the ratios. Usage: python benchmarks/grading_speed.py [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def wall(cmd: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        secret = Path(tmp) / "secret"
        secret.write_text("benchmark-secret")
        student = Path(tmp) / "student"
        (student / "exercises").mkdir(parents=True)
        for f in (ROOT / "solutions").glob("*.py"):
            (student / "exercises" / f.name).write_bytes(f.read_bytes())
        py = sys.executable
        from autograder import registry

        vjp_sets = list(registry.vjp_sets())
        commands = {
            "import torch": ([py, "-c", "import torch"], ROOT),
            "grade (all ops, hidden cases)": ([py, "-m", "autograder", "grade", "solutions", "--secret-file",
                                               str(secret), "--quiet"], ROOT),
            "grade (single-op VJP sets only)": ([py, "-m", "autograder", "grade", "solutions", "--secret-file",
                                                 str(secret), "--quiet", "--ops", *vjp_sets], ROOT),
            "check mul (one op)": ([py, "-m", "autograder", "check", "mul", "--quiet"], student),
            "check engine (own backward, 4 ops)": ([py, "-m", "autograder", "check", "engine", "--quiet"], student),
        }
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.runs):  # interleaved, so machine noise hits every command alike
            for name, (cmd, cwd) in commands.items():
                times[name].append(wall(cmd, cwd))
    base = statistics.median(times["import torch"])
    print(f"{len(registry.OPS)} ops, {args.runs} runs each, interleaved; medians in seconds")
    for name, samples in times.items():
        med = statistics.median(samples)
        print(f"  {name:<36} {med:6.2f} s   {med / base:5.2f}x import torch   (runs: "
              + ", ".join(f"{s:.2f}" for s in samples) + ")")


if __name__ == "__main__":
    main()

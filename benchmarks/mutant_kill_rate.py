"""Kill rate of the grader: how many known-wrong variants of the reference VJPs lose points.

Every ``<op>_backward__<mistake>`` in tests/mutants/ is graded (official mode, hidden cases) as the
reference module with that one function replaced. Prints the kill rate overall and per set, and each
surviving mutant. Usage: python benchmarks/mutant_kill_rate.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from autograder import registry  # noqa: E402
from autograder.grading.run import grade, open_sandbox  # noqa: E402
from autograder.intake.submission import load  # noqa: E402
from autograder.sandbox.limits import Limits  # noqa: E402
from tests.test_mutants import MUTANTS, submission_with  # noqa: E402


def main() -> None:
    started = time.perf_counter()
    total, killed, survivors = Counter(), Counter(), []
    with open_sandbox() as sandbox:
        for group, mistakes in MUTANTS.items():
            ops = [registry.OPS[name] for name in group]
            for mistake in mistakes:
                with tempfile.TemporaryDirectory() as tmp:
                    submission = load(submission_with(Path(tmp), group, mistake), list(registry.SETS))
                    results = grade(sandbox, submission, ops, mode="grade", secret=b"kill-rate",
                                    limits=Limits()).results
                total[ops[0].set] += 1
                if any(r.score < r.max_score for r in results):
                    killed[ops[0].set] += 1
                else:
                    survivors.append(f"{'/'.join(group)}:{mistake}")
    n, k = sum(total.values()), sum(killed.values())
    print(f"{k}/{n} mutants killed ({100 * k / n:.1f}%) over {sum(len(g) for g in MUTANTS)} ops "
          f"in {time.perf_counter() - started:.0f} s")
    for name in total:
        print(f"  {name:<12} {killed[name]}/{total[name]}")
    for survivor in survivors:
        print(f"  survived: {survivor}")


if __name__ == "__main__":
    main()

"""Cold full build of the site (every lesson executed, no cache): wall time, median of several runs.

Target (issue "Lessons", point 10): at most 3 minutes on this 2-core machine.
Usage: python benchmarks/site_build.py [--runs 2]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    env = {**os.environ, "MKDOCS_JUPYTER_CACHE": "false", "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    mkdocs = str(Path(sys.executable).parent / "mkdocs")
    times = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as out:
            start = time.perf_counter()
            subprocess.run([mkdocs, "build", "--strict", "-q", "-d", out], cwd=ROOT, env=env, check=True)
            times.append(time.perf_counter() - start)
    lessons = len(list((ROOT / "docs/lessons").glob("[0-9][0-9]-*.ipynb")))
    print(f"cold build, {lessons} lessons executed: median {statistics.median(times):.1f} s over {args.runs} runs "
          f"({', '.join(f'{t:.1f}' for t in times)}); target 180 s")


if __name__ == "__main__":
    main()

"""``python -m autograder list``: the exercise catalogue."""

from __future__ import annotations

import argparse
import json
from collections import Counter

from autograder import registry
from autograder.commands import EXIT_PASSED


def render_list(fmt: str) -> str:
    if fmt == "json":
        return json.dumps([op.describe() for op in registry.OPS.values()], indent=2) + "\n"
    lines = []
    for name, ops in registry.nonempty_sets().items():
        lines.append(f"{name}  (exercises/{name}.py)")
        uses = Counter(op.function for op in ops)
        for op in ops:  # a function graded as several exercises: say which exercise each line is
            shown = f"{op.name}: {op.signature}" if uses[op.function] > 1 else op.signature
            lines.append(f"  {shown:<48} {op.summary}")
    return "\n".join(lines) + "\n"


def main(args: argparse.Namespace) -> int:
    print(render_list(args.format), end="")
    return EXIT_PASSED

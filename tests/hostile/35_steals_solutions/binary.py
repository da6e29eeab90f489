"""#35 Looks for the reference solution (import, the project checkout via the grader package's path, the
canary secret, other directories) and uses it if found; otherwise returns zeros.

Expected: failed, and every attempt refused: a pass would mean it found the solution.

Its names are computed (``getattr(sys, "mod" + "ules")``) so that the static policy check cannot read them:
this fixture tests the layers behind it, as a determined student would.
"""

import builtins
import os
import sys

import torch

CANARY_SECRET = "/tmp/abh-hostile-canary/secret.txt"


def _attempts():
    grader = getattr(sys, "mod" + "ules").get("autograder")
    root = os.path.dirname(os.path.dirname(grader.__file__)) if grader and getattr(grader, "__file__", None) else "."
    yield "import solutions.binary", lambda: getattr(builtins, "__imp" + "ort__")("solutions.binary").binary.mul_backward
    yield "read solutions/binary.py", lambda: _load(os.path.join(root, "solutions", "binary.py"))
    yield "read the canary secret", lambda: open(CANARY_SECRET).read()
    yield "list /tmp", lambda: os.listdir("/tmp")
    yield "list the project", lambda: os.listdir(root)
    yield "read /etc/passwd", lambda: open("/etc/passwd").read()
    for name, module in list(getattr(sys, "mod" + "ules").items()):
        fn = getattr(module, "mul_backward", None)
        if callable(fn) and not name.startswith("submission"):
            yield f"find a loaded {name}.mul_backward", lambda fn=fn: fn


def _load(path):
    scope = {"__name__": "stolen"}
    run, build = getattr(builtins, "ex" + "ec"), getattr(builtins, "com" + "pile")
    run(build(open(path).read().replace("from .helpers", "from submission.helpers"), path, "exec"), scope)
    return scope["mul_backward"]


def mul_backward(grad, x, y):
    stolen = None
    for what, attempt in _attempts():
        try:
            found = attempt()
            print(f"FOUND {what}")
            stolen = found if callable(found) else stolen
        except Exception as err:
            print(f"refused {what}: {type(err).__name__}")
    if stolen is not None:
        return stolen(grad, x, y)
    return torch.zeros_like(x), torch.zeros_like(y)

"""#35 Looks for the reference solution (import, the project checkout via the grader package's path, the
canary secret, other directories) and uses it if found; otherwise returns zeros.

Expected: failed, and every attempt refused: a pass would mean it found the solution.
"""

import importlib
import os
import sys

import torch

CANARY_SECRET = "/tmp/abh-hostile-canary/secret.txt"


def _attempts():
    grader = sys.modules.get("autograder")
    root = os.path.dirname(os.path.dirname(grader.__file__)) if grader and getattr(grader, "__file__", None) else "."
    yield "import solutions.binary", lambda: importlib.import_module("solutions.binary").mul_backward
    yield "read solutions/binary.py", lambda: _load(os.path.join(root, "solutions", "binary.py"))
    yield "read the canary secret", lambda: open(CANARY_SECRET).read()
    yield "list /tmp", lambda: os.listdir("/tmp")
    yield "list the project", lambda: os.listdir(root)
    yield "read /etc/passwd", lambda: open("/etc/passwd").read()
    for name, module in list(sys.modules.items()):
        fn = getattr(module, "mul_backward", None)
        if callable(fn) and not name.startswith("submission"):
            yield f"find a loaded {name}.mul_backward", lambda fn=fn: fn


def _load(path):
    scope = {"__name__": "stolen"}
    exec(compile(open(path).read().replace("from .helpers", "from submission.helpers"), path, "exec"), scope)
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

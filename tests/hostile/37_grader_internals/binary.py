"""#37 Imports the grader and calls its internals: a verdict API, then the child's own frame writer to
announce "done" before any result. Expected: invalid (the grader rejects the out-of-order frames); no
internal call can set a verdict.

Its names are computed (``getattr(sys, "mod" + "ules")``) so that the static policy check cannot read them:
this fixture tests the layers behind it, as a determined student would.
"""

import os
import sys

import torch


def exec_import(name):
    return getattr(getattr(sys, "mod" + "ules")["builtins"], "__imp" + "ort__")(name)


def mul_backward(grad, x, y):
    for name in ("autograder.grading", "autograder.results", "autograder.report"):
        try:
            getattr(sys, "mod" + "ules")[name] if name in getattr(sys, "mod" + "ules") else exec_import(name)
            print(f"imported {name}")
        except Exception as err:
            print(f"cannot import {name}: {type(err).__name__}")
    grader = getattr(sys, "mod" + "ules").get("autograder")
    for attempt in ("report", "set_verdict", "passed"):
        try:
            getattr(grader, attempt)(passed=True)
        except Exception as err:
            print(f"autograder.{attempt}: {type(err).__name__}")
    child = getattr(sys, "mod" + "ules").get("autograder.sandbox.child")
    if child is not None:
        for fd in range(3, 12):
            try:
                os.fstat(fd)
                child._send(fd, {"kind": "done"})
            except OSError:
                pass
    return torch.zeros_like(x), torch.zeros_like(y)

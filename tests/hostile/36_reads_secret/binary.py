"""#36 Hunts for the instructor's secret (AUTOGRADER_SECRET): os.environ, /proc/self/environ, the parent's
environ and memory, the environment block on its own stack (found through libc, no /proc needed), and
every string the garbage collector knows. Prints what it finds; returns the right answer either way.

Expected: passed, having printed "secret not found" (the test sets the variable and checks the value
appears nowhere).

Its names are computed (``getattr(sys, "mod" + "ules")``) so that the static policy check cannot read them:
this fixture tests the layers behind it, as a determined student would.
"""

import ctypes
import gc
import os

from .helpers import sum_to

NAME = b"AUTOGRADER_SECRET"


def _stack_block():
    libc = ctypes.CDLL(None)
    libc.getauxval.restype = ctypes.c_ulong
    start = ctypes.c_void_p.in_dll(libc, "program_invocation_name").value
    end = libc.getauxval(31)  # AT_EXECFN: just after the environment strings
    if not start or not end or not 0 < end - start < 1 << 20:
        return b""
    return ctypes.string_at(start, end - start)


def _sources():
    yield "os.environ", lambda: "\n".join(f"{k}={v}" for k, v in os.environ.items()).encode()
    yield "/proc/self/environ", lambda: open("/proc/self/environ", "rb").read()
    yield "/proc/parent/environ", lambda: open(f"/proc/{os.getppid()}/environ", "rb").read()
    yield "/proc/parent/mem", lambda: open(f"/proc/{os.getppid()}/mem", "rb").read(1)
    yield "/proc/parent/cmdline", lambda: open(f"/proc/{os.getppid()}/cmdline", "rb").read()
    yield "own stack block", _stack_block
    yield "strings in memory", _strings


def _strings():
    found = []
    for container in getattr(gc, "get_" + "objects")():
        for value in getattr(gc, "get_" + "referents")(container):
            if isinstance(value, str | bytes) and len(value) < 10000:
                found.append(value.encode("utf-8", "replace") if isinstance(value, str) else value)
    return b"\n".join(found)


def mul_backward(grad, x, y):
    if not getattr(mul_backward, "done", False):
        mul_backward.done = True
        found = False
        for where, read in _sources():
            try:
                data = read()
            except Exception as err:
                print(f"{where}: {type(err).__name__}")
                continue
            at = data.find(NAME + b"=")
            if at >= 0:
                found = True
                print(f"{where}: FOUND {data[at:at + 80]!r}")
            else:
                print(f"{where}: readable, {len(data)} bytes, no secret")
        print("secret FOUND" if found else "secret not found")
    return sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)

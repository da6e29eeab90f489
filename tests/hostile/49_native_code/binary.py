"""#49 Native code: loads a shipped shared library, and calls libc directly (system(), unlink()) to get
around Python-level checks. Expected: passed (its answer is right); the library is not there (only the
exercise modules are taken), no program can be run, and the canary survives.
"""

import ctypes
import os

from .helpers import sum_to


def mul_backward(grad, x, y):
    if not getattr(mul_backward, "done", False):
        mul_backward.done = True
        try:
            ctypes.CDLL(os.path.join(os.path.dirname(__file__), "evil.so"))
            print("LOADED evil.so")
        except OSError as err:
            print(f"evil.so: {type(err).__name__}")
        libc = ctypes.CDLL(None)
        print(f"system() returned {libc.system(b'touch /tmp/abh-hostile-canary/native-ran')}")
        print(f"unlink() returned {libc.unlink(b'/tmp/abh-hostile-canary/keep.txt')}")
    return sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)

"""#34 Starts processes that outlive the call: forks, a double fork into a new session (escaping the
process group) that keeps spawning, a multiprocessing pool, and a thread that later mutates the result.

They are named ``abh-bomb`` so the test can look for survivors. Bounded on purpose (the grading machine is
shared). Expected: passed (the answer is right and was sent before anything could change it); afterwards
no ``abh-bomb`` process is left.
"""

import ctypes
import os
import threading
import time

from .helpers import sum_to

_libc = ctypes.CDLL(None)


def _name_me():
    _libc.prctl(15, b"abh-bomb", 0, 0, 0)  # PR_SET_NAME


def _linger(spawn):
    _name_me()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if spawn and os.fork() == 0:
            _linger(False)
            os._exit(0)
        time.sleep(0.1)
    os._exit(0)


def _escape():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            _linger(True)
        os._exit(0)


def mul_backward(grad, x, y):
    gx, gy = sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)
    if not getattr(mul_backward, "started", False):
        mul_backward.started = True
        for _ in range(4):
            if os.fork() == 0:
                _linger(False)
        _escape()
        try:
            import multiprocessing

            multiprocessing.Pool(2)
            print("pool started")
        except Exception as err:
            print(f"pool refused: {type(err).__name__}")
        threading.Thread(target=lambda: (time.sleep(0.05), gx.add_(100.0)), daemon=True).start()
    return gx, gy

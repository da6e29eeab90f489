"""#45 Looks for signs of being graded (environment variables, paths, host name) and prints what it sees.

Expected: passed (its answer is right either way); the environment it sees is the scrubbed minimum.
"""

import os
import socket

from .helpers import sum_to


def mul_backward(grad, x, y):
    if not getattr(mul_backward, "done", False):
        mul_backward.done = True
        print("environment keys: " + ",".join(sorted(os.environ)))
        print(f"cwd: {os.getcwd()}")
        print(f"host: {socket.gethostname()}")
    return sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)

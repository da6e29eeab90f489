"""#43 os.abort(). Expected: crashed (signal 6)."""

import os


def mul_backward(grad, x, y):
    os.abort()

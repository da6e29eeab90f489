"""#31 time.sleep(1e9). Expected: timeout."""

import time


def mul_backward(grad, x, y):
    time.sleep(1e9)

"""#29 sys.exit(0) while being imported. Expected: invalid (the file could not be imported: SystemExit)."""

import sys

sys.exit(0)


def mul_backward(grad, x, y):
    return grad * y, grad * x

"""#29 sys.exit(0) inside backward. Expected: error ("raised SystemExit"), never passed."""

import sys


def mul_backward(grad, x, y):
    sys.exit(0)

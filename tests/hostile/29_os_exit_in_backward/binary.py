"""#29 os._exit(0) inside backward: "exit code 0" must not look like success. Expected: crashed, status 0."""

import os


def mul_backward(grad, x, y):
    os._exit(0)

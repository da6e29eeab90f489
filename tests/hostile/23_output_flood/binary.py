"""#23 Prints megabytes, progress bars and warnings, to stdout and stderr. Expected: passed, output capped."""

import sys
import warnings

from .helpers import sum_to


def mul_backward(grad, x, y):
    for i in range(2000):
        print(f"\rprogress {i}/2000 " + "#" * 400, end="")
        sys.stderr.write("noise on stderr " * 40 + "\n")
    warnings.warn("a warning from student code", stacklevel=1)
    return sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)

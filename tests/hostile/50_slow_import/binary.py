"""#50 A training loop at the top level makes the import take forever. Expected: timeout with one message
about the import; the module's other op is not imported again; other sets are unaffected."""

import time

from .helpers import sum_to

while True:  # "pre-training" at import time
    time.sleep(0.05)


def mul_backward(grad, x, y):
    return sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)


mul_again_backward = mul_backward

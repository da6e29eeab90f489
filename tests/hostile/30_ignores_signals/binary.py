"""#30 Ignores SIGALRM/SIGTERM/SIGINT and swallows every exception, forever. Expected: timeout."""

import signal
import time


def mul_backward(grad, x, y):
    for sig in (signal.SIGALRM, signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_IGN)
    while True:
        try:
            time.sleep(0.05)
        except BaseException:
            pass

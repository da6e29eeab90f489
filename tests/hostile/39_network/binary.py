"""#39 Tries the network: TCP to the test's listener on localhost, an abstract Unix socket, UDP.

Prints each attempt; returns the right answer. Expected: passed, and the test's listeners receive nothing.
"""

import socket

from .helpers import sum_to

PORTS = range(47311, 47316)


def _try(what, action):
    try:
        action()
        print(f"CONNECTED {what}")
    except OSError as err:
        print(f"refused {what}: {type(err).__name__}")


def _tcp(port):
    with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
        s.sendall(b"exfiltrated")


def _unix():
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(0.5)
        s.connect("\0abh-hostile-net")
        s.sendall(b"exfiltrated")


def _udp(port):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.sendto(b"exfiltrated", ("127.0.0.1", port))


def mul_backward(grad, x, y):
    if not getattr(mul_backward, "done", False):
        mul_backward.done = True
        for port in PORTS:
            _try(f"tcp {port}", lambda port=port: _tcp(port))
            _try(f"udp {port}", lambda port=port: _udp(port))
        _try("abstract unix socket", _unix)
    return sum_to(grad * y, x.shape), sum_to(grad * x, y.shape)

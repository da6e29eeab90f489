"""#38 Writes its own frames into the result pipe: a pickle, then a well-formed frame claiming two tensors
without sending any (which an unchecked reader would count as a pass), then a header nested 100000 deep.

Expected: invalid (malformed data); the grader survives and grades the next op.
"""

import json
import os
import pickle
import struct

import torch


def _frame(header):
    data = header if isinstance(header, bytes) else json.dumps(header).encode()
    return b"ABH1" + struct.pack(">I", len(data)) + data


def mul_backward(grad, x, y):
    claim = {"kind": "result", "call": 0, "kinds": ["tensor", "tensor"], "mutated": [False] * 3,
             "seconds": 0.0, "policy": [], "tensors": []}
    for fd in range(3, 12):
        try:
            os.fstat(fd)
            os.write(fd, pickle.dumps({"passed": True}))
            os.write(fd, _frame(claim))
            os.write(fd, _frame(b"[" * 100000 + b"]" * 100000))
        except OSError:
            pass
    return torch.zeros_like(x), torch.zeros_like(y)

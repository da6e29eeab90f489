"""#36 Searches its own memory for the expected answer: the caller's frames, and every tensor the garbage
collector knows, returning the first one of the right shape that is not an input.

Expected: failed: the expected gradients never exist in this process.

Its names are computed (``getattr(sys, "mod" + "ules")``) so that the static policy check cannot read them:
this fixture tests the layers behind it, as a determined student would.
"""

import gc
import inspect

import torch


def _candidates(shape, exclude):
    for frame in getattr(inspect, "st" + "ack")()[1:]:
        for value in getattr(frame.frame, "f_" + "locals").values():
            if isinstance(value, torch.Tensor) and value.shape == shape and all(value is not e for e in exclude):
                yield value
    for obj in getattr(gc, "get_" + "objects")():
        if isinstance(obj, torch.Tensor) and obj.shape == shape and all(obj is not e for e in exclude):
            yield obj


def mul_backward(grad, x, y):
    gx = next(_candidates(x.shape, (grad, x, y)), torch.zeros_like(x))
    gy = next(_candidates(y.shape, (grad, x, y, gx)), torch.zeros_like(y))
    return gx.clone(), gy.clone()

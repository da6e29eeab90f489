"""#22 A module-level cache keyed by shapes: a later case of the same shapes (float32) gets a stale answer.

Expected: failed for this op only (dtype of the stale float64 answer), nothing else affected.
"""

from .helpers import sum_to

_cache = {}


def mul_backward(grad, x, y):
    key = (tuple(x.shape), tuple(y.shape))
    if key not in _cache:
        _cache[key] = (sum_to(grad * y, x.shape), sum_to(grad * x, y.shape))
    return _cache[key]

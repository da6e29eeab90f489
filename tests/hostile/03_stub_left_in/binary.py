"""#3 The stub is still there. Expected: not implemented (not a crash)."""


def mul_backward(grad, x, y):
    raise NotImplementedError("mul_backward: todo")

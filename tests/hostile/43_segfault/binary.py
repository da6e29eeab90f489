"""#43 Reads unmapped memory through ctypes. Expected: crashed (signal 11)."""

import ctypes


def mul_backward(grad, x, y):
    return ctypes.string_at(16, 8)  # address 0 would not do: string_at(0, n) returns n fresh bytes

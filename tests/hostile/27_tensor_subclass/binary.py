"""#27 Returns a tensor subclass whose comparisons always succeed. Expected: invalid, "got CheatTensor"."""

import torch


class CheatTensor(torch.Tensor):
    def __eq__(self, other):
        return True

    @classmethod
    def __torch_function__(cls, func, types, args=(), kwargs=None):
        if func.__name__ in ("allclose", "equal", "isclose", "eq"):
            return True
        return super().__torch_function__(func, types, args, kwargs or {})


def mul_backward(grad, x, y):
    return torch.zeros_like(x).as_subclass(CheatTensor), torch.zeros_like(y).as_subclass(CheatTensor)

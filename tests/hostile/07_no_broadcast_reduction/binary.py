"""#7 Forgets to sum over broadcast dimensions. Expected: failed on the shape, with the broadcast diagnosis."""


def mul_backward(grad, x, y):
    return grad * y, grad * x

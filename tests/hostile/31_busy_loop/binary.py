"""#31 An infinite busy loop. Expected: timeout."""


def mul_backward(grad, x, y):
    n = 0
    while True:
        n += 1

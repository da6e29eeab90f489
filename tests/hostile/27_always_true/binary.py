"""#27 Returns objects equal to everything. Expected: invalid, "got AlwaysTrue"."""


class AlwaysTrue:
    def __eq__(self, other):
        return True

    def __bool__(self):
        return True

    shape = property(lambda self: None)


def mul_backward(grad, x, y):
    return AlwaysTrue(), AlwaysTrue()

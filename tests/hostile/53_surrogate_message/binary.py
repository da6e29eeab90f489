"""#53 Raises an exception whose message holds a lone surrogate, which cannot be written as UTF-8.

Expected: error, with the surrogate shown escaped: the report (text, JSON, feedback files) is written.
"""


def mul_backward(grad, x, y):
    raise ValueError("bad value \ud800 here")

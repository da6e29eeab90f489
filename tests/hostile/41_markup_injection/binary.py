"""#41 An exception whose message carries HTML, JavaScript and ANSI escapes. Expected: error, the message
rendered as text (escape characters shown escaped)."""


def mul_backward(grad, x, y):
    raise ValueError('<script>alert("owned")</script><img src=x onerror=alert(1)> \x1b[2J\x1b[32mPASSED\x1b[0m')

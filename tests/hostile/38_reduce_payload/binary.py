"""#38 Returns objects whose __reduce__ would run code when unpickled (creating a marker file).

Expected: invalid ("got Payload"); the marker never appears, because nothing is ever unpickled.
"""

import os


class Payload:
    def __reduce__(self):
        return (os.system, ("touch /tmp/abh-hostile-canary/unpickled",))


def mul_backward(grad, x, y):
    return Payload(), Payload()

"""#44 Opens files until it cannot, fills /dev/shm, then writes one huge file in its working directory.

Expected: error (the write fails with "File too large"), nothing outside the sandbox touched.
"""

import os


def mul_backward(grad, x, y):
    if getattr(mul_backward, "done", False):
        return grad * y, grad * x
    mul_backward.done = True
    handles = []
    try:
        while len(handles) < 10000:
            handles.append(open(os.devnull))
    except OSError as err:
        print(f"open files stopped at {len(handles)}: {type(err).__name__}")
    for f in handles:
        f.close()
    try:
        with open("/dev/shm/abh-hostile-fill", "wb") as f:
            f.write(b"\0" * (1 << 20))
        print("WROTE /dev/shm")
    except OSError as err:
        print(f"/dev/shm refused: {type(err).__name__}")
    with open("huge.bin", "wb") as f:
        chunk = b"\0" * (1 << 20)
        for _ in range(1 << 10):
            f.write(chunk)
    return grad * y, grad * x

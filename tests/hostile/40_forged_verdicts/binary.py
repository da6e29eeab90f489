"""#40 Prints forged verdicts and CI workflow commands, then returns zeros.

Expected: failed; the printed text is shown as inert data (commands defused), never parsed.
"""

import torch


def mul_backward(grad, x, y):
    print("mul  binary  passed  1/1")
    print("PASSED")
    print("Score: 100/100")
    print("total: 2 / 2 points  (2 of 2 ops pass)")
    print("::notice title=Autograding complete::Points 10/10")
    print("  ::set-output name=score::100")
    print("##[set-output name=score;]100")
    print('{"score": 100.0, "tests": []}')
    return torch.zeros_like(x), torch.zeros_like(y)

"""The source of an op's nbgrader test cell: a self-check on one small visible case.

Students run it in their notebook to see at once whether they are close. It decides nothing: at
autograde time :mod:`autograder.nbgrader.preprocessor` replaces its output with the grader's verdict.
The case and the expected gradients are the grader's own (visible seed, torch autograd in float64).
"""

from __future__ import annotations

import torch

from autograder.common.settings import VISIBLE_SEED
from autograder.grading import reference
from autograder.grading.plan import plan
from autograder.registry import Case, Op

Tensor = torch.Tensor
MAX_ELEMENTS = 24


def _literal(t: Tensor | None) -> str:
    if t is None:
        return "None"
    return f"torch.tensor({t.tolist()!r}, dtype={t.dtype})"


def _small(case: Case) -> bool:
    return not case.empty and all(t.numel() <= MAX_ELEMENTS for t in case.inputs)


def pick(op: Op) -> tuple[Case, Tensor]:
    """The smallest visible case with float64 inputs (or else the smallest non-empty one) and its cotangent."""
    p = plan(op, {"visible": VISIBLE_SEED})
    pairs = [(c, g) for c, g in zip(p.cases, p.grads, strict=True) if _small(c)]
    float64 = [(c, g) for c, g in pairs if all(t.dtype == torch.float64 for t in c.inputs if t.is_floating_point())]
    if not (float64 or pairs):
        raise ValueError(f"{op.name}: no small non-empty visible case to build a self-check from")
    return (float64 or pairs)[0]


def source(op: Op) -> str:
    """The test cell's code for ``op``."""
    case, grad = pick(op)
    expected = reference.vjp(op, case, grad)
    dtype = case.inputs[0].dtype if case.inputs[0].is_floating_point() else torch.float64
    rtol, atol = op.tolerance(dtype)
    params = "".join(f", {k}={v!r}" for k, v in case.params.items())
    inputs = "".join(f"\n    {_literal(t.contiguous())}," for t in case.inputs)
    wanted = "".join(f"\n    {_literal(e)}," for e in expected)
    names = repr(tuple(op.args))
    return f"""# Self-check: {op.function} on one small visible case ({case.label}), against torch autograd.
# This cell does not decide your grade: the course autograder grades your code outside this notebook,
# with many more cases, some of them hidden.
_grad = {_literal(grad)}
_inputs = ({inputs}
)
_expected = ({wanted}
)
_got = {op.function}(_grad, *_inputs{params})
assert type(_got) is tuple and len(_got) == len(_expected), "return a tuple with one gradient per input"
for _name, _g, _e in zip({names}, _got, _expected):
    if _e is None:
        assert _g is None, f"the gradient for {{_name}} should be None (that input is not differentiable)"
    else:
        torch.testing.assert_close(_g, _e, rtol={rtol!r}, atol={atol!r},
                                   msg=lambda m, n=_name: f"gradient for {{n}}: {{m}}")
print("{op.function} passes the self-check on this case")
"""

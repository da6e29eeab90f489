"""Exercise pages, rendered from the registry: one page per op, one index per set, one catalogue.

The site build calls these (``overrides/hooks.py``); nothing here is kept as a file in ``docs/``.
"""

from __future__ import annotations

import torch

from autograder import registry
from autograder.registry import Op

SET_TITLES = {
    "elementwise": "Smooth elementwise ops",
    "kinks": "Kinked elementwise ops",
    "binary": "Binary ops with broadcasting",
    "reductions": "Reductions",
    "shapes": "Shapes, views and indexing",
    "linalg": "Matrix multiplication",
    "nn": "Neural-network ops",
}

TESTING = (
    "The grader calls your function in a separate process with float64 and float32 inputs of many shapes "
    "(0-d tensors, size-1 dimensions, broadcasting pairs with prepended dimensions, empty tensors, "
    "transposed and expanded views), each with a random cotangent `grad`, and compares every gradient with "
    "what torch autograd computes: exact shape and dtype first, then values within the dtype's tolerance, "
    "NaN and infinity exactly where torch has them. It also checks that you did not modify `grad` or the "
    "inputs in place. `check` runs the visible cases; the official grade adds hidden cases drawn from a "
    "seed you cannot know in advance."
)


def _plain(values: tuple[object, ...]) -> list[object]:
    """Convention values as plain Python (tensors as nested lists) for the page."""
    return [v.tolist() if isinstance(v, torch.Tensor) else v for v in values]


def set_title(name: str) -> str:
    return SET_TITLES.get(name, name.replace("_", " ").capitalize())


def op_page(op: Op) -> str:
    """The Markdown page of one op exercise."""
    page = op.page
    mistakes = "\n".join(f"- {m}" for m in page.mistakes) or "- (none listed yet)"
    convention = op.convention or "This op is differentiable everywhere on the inputs the grader uses."
    if op.conventions:
        rows = "\n".join(f"| {c.says} | `{_plain(c.inputs)}` | `{_plain(c.grads)}` |" for c in op.conventions)
        convention += ("\n\nMeasured on torch " + torch.__version__.split("+")[0] + " with `grad` all ones "
                       "(a test re-measures these on every run):\n\n| where | inputs | gradients |\n"
                       "| --- | --- | --- |\n" + rows)
    hint = "\n".join(f"    {line}" for line in (page.hint or "Write the Jacobian of a tiny case by hand.").splitlines())
    tolerances = "; ".join(f"{str(d).removeprefix('torch.')}: rtol {op.rtol[d]:g}, atol {op.atol[d]:g}"
                           for d in op.rtol)
    return f"""# `{op.name}`

{op.summary}

```python
def {op.signature}:
    ...  # in exercises/{op.set}.py
```

## The function

$$
{page.math}
$$

## The Jacobian

{page.jacobian}

## The vector-Jacobian product

{page.vjp}

Return one gradient per input, as a tuple, each with exactly that input's shape and dtype.

## Convention at special points

{convention}

## Common mistakes

{mistakes}

## How it is tested

{TESTING}

Tolerances for this op: {tolerances}.

Check just this op with:

```bash
python -m autograder check {op.name}
```

??? tip "Hint"
{hint}
"""


def set_index(name: str) -> str:
    rows = "\n".join(f"| [`{op.name}`]({op.name}.md) | `{op.signature}` | {op.summary} |"
                     for op in registry.SETS[name])
    return f"""# {set_title(name)}

Write these in `exercises/{name}.py`, then run `python -m autograder check {name}`.

| op | signature | what it computes |
| --- | --- | --- |
{rows}
"""


def catalogue() -> str:
    sections = "\n".join(f"- [{set_title(name)}]({name}/index.md): "
                         + ", ".join(f"`{op.name}`" for op in ops) for name, ops in registry.nonempty_sets().items())
    return f"""# Exercises

Each exercise asks for one backward rule: given `grad`, the gradient of the loss with respect to an op's
output, return the gradient with respect to each input. That is the vector-Jacobian product, and it is
exactly what `backward()` asks of every node in the graph.

{sections}

There are {len(registry.OPS)} exercises in {len(registry.nonempty_sets())} sets. Start with the lessons if the words
"vector-Jacobian product" are new to you.
"""


def generated() -> dict[str, str]:
    """Every generated page, by its path under ``docs/``."""
    pages = {"exercises/index.md": catalogue()}
    for name, ops in registry.nonempty_sets().items():
        pages[f"exercises/{name}/index.md"] = set_index(name)
        pages.update({f"exercises/{name}/{op.name}.md": op_page(op) for op in ops})
    return pages

"""Exercise pages, rendered from the registry: one page per op, one index per set, one catalogue.

The site build calls these (``overrides/hooks.py``); nothing here is kept as a file in ``docs/``.
"""

from __future__ import annotations

import torch

from autograder import library, registry
from autograder.registry import Op

SET_TITLES = {
    "elementwise": "Smooth elementwise ops",
    "kinks": "Kinked elementwise ops",
    "binary": "Binary ops with broadcasting",
    "reductions": "Reductions",
    "shapes": "Shapes, views and indexing",
    "linalg": "Matrix multiplication",
    "nn": "Neural-network ops",
    "engine": "Your own backward()",
    "semantics": "backward() semantics",
    "higher_order": "Higher-order derivatives",
    "forward_mode": "Forward mode",
}

SET_INTROS = {
    "engine": (
        "Write the engine itself: `backward(root, gradient=None, *, retain_graph=False)` over the small numpy "
        "tensor of `autograder.engine`, whose ops record their parents and come with their VJP rules. One function, "
        "graded as four exercises, one per behaviour of torch's `backward()`: topological order and accumulation, "
        "the `gradient` argument, `retain_graph` and freeing, and which tensors get `.grad`. Every case runs a "
        "graph program through your engine and through torch and compares every gradient and every error."
    ),
    "semantics": (
        "These exercises are about `backward()` itself, so here you call autograd: rebuild a Jacobian from "
        "one-hot backward calls and from forward-mode passes, accumulate and zero gradients across steps, and "
        "tell per-sample gradients from summed ones. Each receives a function by name from "
        "`autograder.library`; a few forbid the shortcut that would skip the point."
    ),
    "higher_order": (
        "Derivatives of derivatives: a Hessian-vector product by double backward, a full Hessian, and a custom "
        "`torch.autograd.Function` whose backward is itself differentiable. Autograd is allowed, except the "
        "helpers that would do the whole job."
    ),
    "forward_mode": (
        "Forward mode pushes a tangent from the inputs to the output: the Jacobian-vector product "
        "$\\dot{\\mathrm{out}} = J\\,\\dot x$, one column of $J$ per pass. Write the JVP rule of a few ops by hand "
        "(graded against `torch.func.jvp`), then use forward mode where it beats reverse mode."
    ),
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


def _code(op: Op) -> str:
    """How the student's function looks in the exercise module."""
    if op.kind.as_class:
        return (f"class {op.function}(torch.autograd.Function):  # in exercises/{op.set}.py\n"
                f"    @staticmethod\n    def forward(ctx, {', '.join(op.args)}): ...\n\n"
                f"    @staticmethod\n    def backward(ctx, grad): ...\n\n# used as {op.signature}")
    return f"def {op.signature}:\n    ...  # in exercises/{op.set}.py"


def _functions_table(op: Op) -> str:
    """The library functions the cases pass to the student, with their formulas."""
    names = sorted({c.params[f] for c in op.cases(torch.Generator().manual_seed(0)) for f in op.functions})
    rows = "\n".join(f"| `{n}` | {(library.resolve(n).__doc__ or '').strip()} |" for n in names)
    return ("The grader passes these functions (from `autograder.library`), among others of the same kind:\n\n"
            f"| name | what it computes |\n| --- | --- |\n{rows}")


def _mistakes(op: Op) -> str:
    return "\n".join(f"- {m}" for m in op.page.mistakes) or "- (none listed yet)"


def _hint(op: Op, default: str) -> str:
    """The hint, indented into Material's collapsible tip."""
    return "\n".join(f"    {line}" for line in (op.page.hint or default).splitlines())


def _tolerances(op: Op) -> str:
    return "; ".join(f"{str(d).removeprefix('torch.')}: rtol {op.rtol[d]:g}, atol {op.atol[d]:g}" for d in op.rtol)


def _call_page(op: Op) -> str:
    """The page of an exercise that is not a VJP: its own sections, mistakes and testing text."""
    page = op.page
    sections = [*page.sections, *([("The functions you are given", _functions_table(op))] if op.functions else [])]
    body = "\n\n".join(f"## {heading}\n\n{text}" for heading, text in sections)
    mistakes, hint, tolerances = _mistakes(op), _hint(op, "Try the smallest case by hand first."), _tolerances(op)
    forbidden = (f"\n\nThis exercise may not call {', '.join(f'`{n}`' for n in op.forbidden)}: "
                 f"{op.policy_hint}." if op.forbidden else "")
    return f"""# `{op.name}`

{op.summary}

```python
{_code(op)}
```

{body}

## Common mistakes

{mistakes}

## How it is tested

{page.testing}{forbidden}

Tolerances for this exercise: {tolerances}.

Check just this exercise with:

```bash
python -m autograder check {op.name}
```

??? tip "Hint"
{hint}
"""


def op_page(op: Op) -> str:
    """The Markdown page of one op exercise."""
    if not op.takes_grad:
        return _call_page(op)
    page = op.page
    convention = op.convention or "This op is differentiable everywhere on the inputs the grader uses."
    if op.conventions:
        rows = "\n".join(f"| {c.says} | `{_plain(c.inputs)}` | `{_plain(c.grads)}` |" for c in op.conventions)
        convention += ("\n\nMeasured on torch " + torch.__version__.split("+")[0] + " with `grad` all ones "
                       "(a test re-measures these on every run):\n\n| where | inputs | gradients |\n"
                       "| --- | --- | --- |\n" + rows)
    mistakes, hint, tolerances = _mistakes(op), _hint(op, "Write the Jacobian of a tiny case by hand."), _tolerances(op)
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
    intro = f"{SET_INTROS[name]}\n\n" if name in SET_INTROS else ""
    return f"""# {set_title(name)}

{intro}Write these in `exercises/{name}.py`, then run `python -m autograder check {name}`.

| op | signature | what it computes |
| --- | --- | --- |
{rows}
"""


def catalogue() -> str:
    sections = "\n".join(f"- [{set_title(name)}]({name}/index.md): "
                         + ", ".join(f"`{op.name}`" for op in ops) for name, ops in registry.nonempty_sets().items())
    return f"""# Exercises

Most exercises ask for one backward rule: given `grad`, the gradient of the loss with respect to an op's
output, return the gradient with respect to each input. That is the vector-Jacobian product, and it is
exactly what `backward()` asks of every node in the graph. The last sets go beyond single ops: how
`backward()` behaves, higher-order derivatives, and forward mode.

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

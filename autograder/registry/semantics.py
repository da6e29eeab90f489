"""Set ``semantics``: what ``backward()`` does, exercised in torch itself (autograd allowed).

Each exercise receives a function by name from :mod:`autograder.library` and returns tensors that the grader
compares with the same quantities computed here with torch (float64, or float32 where the case is). Two
exercises forbid the helper that would skip their point.
"""

from __future__ import annotations

import torch
from torch.autograd.functional import jacobian

from autograder import library
from autograder.kinds import CALL
from autograder.registry.cases import Case, Shape, normal, transposed, with_dtype
from autograder.registry.op import Op, Page

Tensor = torch.Tensor

JACOBIAN_HELPERS = ("torch.autograd.functional.jacobian", "torch.func.jacrev", "torch.func.jacfwd")
REVERSE_MODE = ("torch.autograd.grad", "torch.autograd.backward", "Tensor.backward", "torch.func.vjp")

JACOBIAN_SPECS: tuple[tuple[str, Shape], ...] = (
    ("cubic", ()),
    ("radius", ()),
    ("cubic", (1,)),
    ("tanh_layer", (4,)),
    ("cubic", (3,)),
    ("radius", (4,)),
    ("widen", (2,)),
    ("outer", (3,)),
    ("cubic", (2, 3)),
    ("tanh_layer", (2, 2)),
    ("softmax", (2, 3)),
)
"""(function, shape of x): 0-d and size-1 inputs, scalar, vector and matrix outputs, matrix inputs."""


def _with_f(name: str, shape: Shape, x: Tensor, what: str = "") -> Case:
    return Case(f"f = {name}, {what}x of shape {shape}", (x,), {"f": name})


def _jacobian_cases(gen: torch.Generator) -> list[Case]:
    cases = [_with_f(name, shape, normal(shape, gen)) for name, shape in JACOBIAN_SPECS]
    cases.append(_with_f("softmax", (3, 4), transposed(normal((3, 4), gen)), "transposed (non-contiguous) "))
    return cases + with_dtype([cases[3], cases[8]], torch.float32)


def _expected_jacobian(case: Case) -> list[Tensor]:
    return [jacobian(library.resolve(case.params["f"]), case.inputs[0])]


def _of_f(x: Tensor, *, f: str) -> Tensor:
    return library.resolve(f)(x)


JACOBIAN_LAYOUT = (
    r"The result has shape `f(x).shape + x.shape`, the layout of `torch.autograd.functional.jacobian`: "
    r"$J[i, j] = \partial f(x)_i / \partial x_j$ with $i$ running over the entries of the output and $j$ over "
    r"the entries of the input, each in its own shape. For $f: \mathbb{R}^n \to \mathbb{R}^m$ that is the "
    r"$m \times n$ matrix with one row per output; for a scalar output it is just the gradient (shape of "
    r"`x`); for a matrix `x` and matrix output it is a 4-d tensor."
)

JACOBIAN_ROWS = Op(
    name="jacobian_rows",
    set="semantics",
    forward=_of_f,
    args=("x",),
    functions=("f",),
    cases=_jacobian_cases,
    kind=CALL,
    expected=_expected_jacobian,
    outputs=("J",),
    function_name="jacobian_rows",
    autograd_allowed=True,
    forbidden=JACOBIAN_HELPERS,
    policy_hint="build the Jacobian yourself, one backward() call per row",
    summary="Rebuild the full Jacobian of `f` at `x` row by row, from `backward()` with one-hot gradients.",
    page=Page(
        sections=(
            ("The idea", (
                r"`out.backward(k)` does not compute a Jacobian: it computes the vector-Jacobian product "
                r"$k^\top J$ and adds it to `x.grad`. Choose $k$ **one-hot**, 1 at output $i$ and 0 elsewhere, "
                r"and $k^\top J$ is exactly row $i$ of $J$: the gradient of output $i$ alone. One backward call "
                r"per output entry rebuilds the whole matrix. This is what `torch.autograd.functional.jacobian` "
                r"does for you (one VJP per output), and why a Jacobian costs $m$ backward passes while the "
                r"gradient of a scalar loss costs one."
            )),
            ("What to return", JACOBIAN_LAYOUT + " Return it as a one-element tuple `(J,)`, in `x`'s dtype."),
            ("Three details that make it work", (
                "1. `x` arrives as a plain tensor: make a leaf that requires grad "
                "(`x = x.detach().clone().requires_grad_()`), then compute `out = f(x)` **once**.\n"
                "2. The first backward call frees the graph's saved values; every call but the last needs "
                "`retain_graph=True`.\n"
                "3. `.grad` accumulates: clear it (`x.grad = None`) before each row, and keep a **copy** of "
                "each row (`x.grad.clone()`): `x.grad.zero_()` reuses the same tensor, so rows you kept without "
                "copying would all change with it."
            )),
        ),
        mistakes=(
            "Not clearing `x.grad` between rows: row $i$ comes out as the sum of rows $0..i$.",
            "Appending `x.grad` itself after `x.grad.zero_()`: every stored row is the same tensor, so they "
            "all end up equal to the last row.",
            "Forgetting `retain_graph=True`: the second call raises \"Trying to backward through the graph a "
            "second time\".",
            "Stacking the rows the wrong way, giving the transposed layout `x.shape + f(x).shape`.",
            "Calling `torch.autograd.functional.jacobian` (or `torch.func.jacrev`/`jacfwd`): refused here, "
            "since building it is the exercise.",
        ),
        testing=(
            "The grader passes functions of several shapes (scalar, vector and matrix outputs; 0-d, vector and "
            "matrix inputs; a non-contiguous input; float32 copies) and compares your `J` with "
            "`torch.autograd.functional.jacobian(f, x)`: exact shape and dtype, then values. Your code runs in a "
            "separate process; it may call `backward()` and `torch.autograd.grad`."
        ),
        hint=(
            "```python\n"
            "out, rows = f(x), []\n"
            "for i in range(out.numel()):\n"
            "    one_hot = torch.zeros(out.numel(), dtype=out.dtype)\n"
            "    one_hot[i] = 1\n"
            "    x.grad = None\n"
            "    out.backward(one_hot.reshape(out.shape), retain_graph=True)\n"
            "    rows.append(x.grad.clone())\n"
            "J = torch.stack(rows).reshape(out.shape + x.shape)\n```"
        ),
    ),
)


JACOBIAN_COLUMNS = Op(
    name="jacobian_columns",
    set="semantics",
    forward=_of_f,
    args=("x",),
    functions=("f",),
    cases=_jacobian_cases,
    kind=CALL,
    expected=_expected_jacobian,
    outputs=("J",),
    function_name="jacobian_columns",
    autograd_allowed=True,
    forbidden=JACOBIAN_HELPERS + REVERSE_MODE,
    policy_hint="build the Jacobian one column per forward-mode pass (torch.func.jvp or torch.autograd.forward_ad)",
    summary="Rebuild the same Jacobian column by column, with forward mode: one Jacobian-vector product per input.",
    page=Page(
        sections=(
            ("The idea", (
                r"Forward mode runs the chain rule the other way: together with each value it pushes a "
                r"**tangent** $\dot x$ from the input to the output, and gets the Jacobian-vector product "
                r"$\dot{\mathrm{out}} = J \dot x$ in one pass. With a one-hot tangent, 1 at input entry $j$, "
                r"$J \dot x$ is column $j$ of $J$: how every output moves when only $x_j$ moves. One pass per "
                r"input entry rebuilds the matrix, so forward mode costs $n$ passes where reverse mode costs "
                r"$m$."
            )),
            ("Two ways to run forward mode in torch", (
                "- `torch.func.jvp(f, (x,), (tangent,))` returns `(f(x), J @ tangent)`, with the tangent in "
                "`x`'s shape and the result in `f(x)`'s shape.\n"
                "- `torch.autograd.forward_ad`: inside `with fwAD.dual_level():`, "
                "`fwAD.make_dual(x, tangent)` makes a dual tensor, `f` runs on it, and "
                "`fwAD.unpack_dual(out).tangent` is $J\\dot x$."
            )),
            ("What to return", JACOBIAN_LAYOUT + " Column $j$ goes to `J[..., j]` once you flatten the input "
             "dimensions, so stack the columns along a **new last** dimension, then reshape to "
             "`f(x).shape + x.shape`. Return `(J,)`."),
        ),
        mistakes=(
            "Stacking the columns along the first dimension: that gives $J^\\top$ (and the wrong shape when "
            "$m \\neq n$).",
            "Keeping the primal output (the first element `jvp` returns) instead of the tangent.",
            "A tangent that is not one-hot (all ones gives $J\\mathbf{1}$, the row sums, in every column).",
            "Using reverse mode (`backward`, `torch.autograd.grad`, `torch.func.vjp`): refused here, since "
            "forward mode is the point.",
        ),
        testing=(
            "The same cases and the same check as [`jacobian_rows`](jacobian_rows.md): your `J` against "
            "`torch.autograd.functional.jacobian(f, x)`, exact shape and dtype, then values. Reverse-mode calls "
            "and the Jacobian helpers are refused while your function runs."
        ),
        hint=(
            "```python\n"
            "for j in range(x.numel()):\n"
            "    t = torch.zeros(x.numel(), dtype=x.dtype); t[j] = 1\n"
            "    cols.append(torch.func.jvp(f, (x,), (t.reshape(x.shape),))[1])\n"
            "J = torch.stack(cols, dim=-1).reshape(cols[0].shape + x.shape)\n```"
        ),
    ),
)


# --- gradient accumulation ---------------------------------------------------------------------------------

def _batch(gen: torch.Generator, n: int, d: int, k: int | None) -> tuple[Tensor, Tensor, Tensor]:
    """Weights, inputs and targets of a small regression: w (d,) or (d, k), xs (n, d), ys (n,) or (n, k)."""
    w = normal((d,) if k is None else (d, k), gen) * 0.5
    xs = normal((n, d), gen)
    ys = normal((n,) if k is None else (n, k), gen)
    return w, xs, ys


ACCUMULATION_SPECS = (
    # model, n, d, k, micro, steps, lr
    ("linear", 4, 3, None, 2, 1, 0.1),
    ("linear", 6, 2, None, 3, 3, 0.1),
    ("tanh_linear", 6, 3, None, 2, 2, 0.2),
    ("tanh_linear", 4, 2, 2, 1, 3, 0.2),
    ("softplus_linear", 8, 3, None, 4, 2, 0.05),
    ("softplus_linear", 6, 2, 3, 6, 2, 0.05),
    ("linear", 1, 3, None, 1, 2, 0.1),
)


def _accumulation_cases(gen: torch.Generator) -> list[Case]:
    cases = []
    for model, n, d, k, micro, steps, lr in ACCUMULATION_SPECS:
        label = (f"model = {model}, {n} sample{'s' if n > 1 else ''} in micro-batches of {micro} "
                 f"({n // micro} per step), "
                 f"{steps} step{'s' if steps > 1 else ''}, lr = {lr}{', ' + str(k) + ' outputs' if k else ''}")
        cases.append(Case(label, _batch(gen, n, d, k), {"model": model, "micro": micro, "lr": lr, "steps": steps}))
    return cases + with_dtype([cases[2]], torch.float32)


def _loss(pred: Tensor, ys: Tensor) -> Tensor:
    """The mean of the squared errors over every entry of the batch."""
    return ((pred - ys) ** 2).mean()


def _expected_accumulation(case: Case) -> list[Tensor]:
    """Micro-batches of equal size, each loss divided by their number, add up to the full batch's loss:
    accumulation is full-batch gradient descent."""
    w, xs, ys = case.inputs
    model = library.resolve(case.params["model"])
    w = w.detach().clone()
    grad = torch.zeros_like(w)
    for _ in range(case.params["steps"]):
        leaf = w.requires_grad_()
        with torch.enable_grad():
            (grad,) = torch.autograd.grad(_loss(model(leaf, xs), ys), leaf)
        w = (leaf - case.params["lr"] * grad).detach()
    return [w, grad]


ACCUMULATE_STEPS = Op(
    name="accumulate_steps",
    set="semantics",
    forward=lambda w, xs, ys, *, model, micro, lr, steps: library.resolve(model)(w, xs),
    args=("w", "xs", "ys"),
    functions=("model",),
    params=("micro", "lr", "steps"),
    cases=_accumulation_cases,
    kind=CALL,
    expected=_expected_accumulation,
    outputs=("w", "grad"),
    why={"grad": "the weights are right, so the gradient you return is not the one you used: return a copy "
                 "(w.grad.clone()) taken before clearing w.grad; .zero_() empties the tensor you kept."},
    function_name="accumulate_steps",
    autograd_allowed=True,
    summary="Train with gradient accumulation: several backward calls per step, one update, then zero the "
            "gradient; return the weights after `steps` steps and the last gradient used.",
    page=Page(
        sections=(
            ("The idea", (
                "`.grad` is a running sum: every `backward()` call **adds** to it, and nothing resets it but "
                "you. Usually that is a trap (forget `optimizer.zero_grad()` and every step uses the sum of "
                "all gradients so far). Gradient accumulation uses it on purpose: when a batch does not fit "
                "in memory, split it into $k$ micro-batches, call `backward()` on each, and let `.grad` add "
                "the pieces up before one update.\n\n"
                "For the sum to be the gradient of the whole batch's loss, each piece must be scaled. The loss "
                "of a batch here is the **mean** squared error over its entries; the mean over $k$ equal "
                "micro-batches of their means is the mean over the batch, so each micro-batch loss is divided "
                "by $k$:\n\n"
                r"$$\nabla_w L_{\text{batch}} = \sum_{b=1}^{k} \nabla_w \frac{L_b}{k}.$$"
                "\n\nSo training with accumulation must give exactly what full-batch gradient descent gives, "
                "and that is what the grader checks."
            )),
            ("What to do", (
                "`model(w, xs)` gives one prediction per row of `xs` (shape `ys.shape`). Starting from a copy "
                "of `w` that requires grad, repeat `steps` times:\n\n"
                "1. for each of the $k$ = `len(xs) // micro` consecutive micro-batches `xs[b*micro:(b+1)*micro]` "
                "(and the same rows of `ys`): compute `((model(w, xb) - yb) ** 2).mean() / k` and call "
                "`backward()` on it;\n"
                "2. update `w` in place with `w -= lr * w.grad`, under `torch.no_grad()` (an in-place change "
                "of a leaf that requires grad is refused while autograd records);\n"
                "3. clear `w.grad` for the next step.\n\n"
                "Return `(w, grad)`: the final weights (detached) and the accumulated gradient used in the "
                "last update. `len(xs)` is always a multiple of `micro`. Do not modify the `w` you receive."
            )),
        ),
        mistakes=(
            "Not clearing `w.grad` after the update: from the second step on, each update uses the sum of "
            "all gradients so far.",
            "Not dividing each micro-batch loss by $k$: the gradient is $k$ times too large (a different "
            "learning rate in disguise).",
            "Clearing `w.grad` inside the micro-batch loop: only the last micro-batch counts.",
            "Updating after every micro-batch: that is $k$ small steps of a different algorithm, not one step "
            "on the whole batch.",
            "Returning `w.grad` itself and clearing it with `.zero_()` afterwards: the returned gradient "
            "becomes zero.",
        ),
        testing=(
            "The grader passes small regression problems (three models, one and several outputs, micro-batches "
            "of one sample up to the whole batch, one to three steps, a float32 copy) and compares your final "
            "weights and last gradient with full-batch gradient descent computed with `torch.autograd.grad`."
        ),
        hint=(
            "```python\n"
            "w = w.detach().clone().requires_grad_()\n"
            "for step in range(steps):\n"
            "    for b in range(k): loss(b).div(k).backward()\n"
            "    grad = w.grad.clone()\n"
            "    with torch.no_grad(): w -= lr * grad\n"
            "    w.grad = None\n```"
        ),
    ),
)


# --- per-sample gradients ----------------------------------------------------------------------------------

PER_SAMPLE_SPECS = (
    # model, n, d, k
    ("linear", 1, 2, None),
    ("linear", 3, 2, None),
    ("tanh_linear", 4, 3, None),
    ("tanh_linear", 3, 2, 2),
    ("softplus_linear", 5, 2, None),
    ("softplus_linear", 3, 3, 2),
)


def _per_sample_cases(gen: torch.Generator) -> list[Case]:
    cases = [Case(f"model = {model}, {n} sample{'s' if n > 1 else ''} of {d} features"
                  f"{', ' + str(k) + ' outputs' if k else ''}", _batch(gen, n, d, k), {"model": model})
             for model, n, d, k in PER_SAMPLE_SPECS]
    return cases + with_dtype([cases[2]], torch.float32)


def _sample_loss(pred: Tensor, ys: Tensor) -> Tensor:
    """Σ_i l_i with l_i = Σ over outputs of (pred_i - y_i)²."""
    return ((pred - ys) ** 2).sum()


def _expected_per_sample(case: Case) -> list[Tensor]:
    w, xs, ys = (t.detach().clone().requires_grad_() for t in case.inputs)
    model = library.resolve(case.params["model"])
    with torch.enable_grad():
        grad_xs, grad_w = torch.autograd.grad(_sample_loss(model(w, xs), ys), (xs, w))
        each = [torch.autograd.grad(_sample_loss(model(w, xs[i:i + 1]), ys[i:i + 1]), w)[0]
                for i in range(len(xs))]
    return [grad_xs, grad_w, torch.stack(each)]


PER_SAMPLE_GRADS = Op(
    name="per_sample_grads",
    set="semantics",
    forward=lambda w, xs, ys, *, model: library.resolve(model)(w, xs),
    args=("w", "xs", "ys"),
    functions=("model",),
    cases=_per_sample_cases,
    kind=CALL,
    expected=_expected_per_sample,
    outputs=("grad_xs", "grad_w", "grad_w_per_sample"),
    why={"grad_xs": "row i of grad_xs is the gradient of sample i's loss alone: input gradients are not summed "
                    "over samples, and the loss is a sum, not a mean.",
         "grad_w_per_sample": "grad_xs and grad_w are right: each per-sample gradient needs its own backward "
                              "(or torch.func.vmap of torch.func.grad), with nothing left in w.grad from the "
                              "previous one."},
    function_name="per_sample_grads",
    autograd_allowed=True,
    summary="For a loss summed over samples: the input gradients (one row per sample), the weight gradient "
            "(a sum over samples), and the per-sample weight gradients that sum to it.",
    page=Page(
        sections=(
            ("The idea", (
                r"Take a batch loss that is a sum over samples, $L = \sum_i l_i$ with "
                r"$l_i = \sum (\mathrm{model}(w, x_i) - y_i)^2$. One `backward()` gives two very different "
                r"things.\n\n"
                r"- The gradient for the **inputs** keeps one row per sample: $\partial L / \partial x_i = "
                r"\partial l_i / \partial x_i$, because sample $i$'s input enters only sample $i$'s loss. "
                r"Nothing is summed across samples (the batch Jacobian is block-diagonal).\n"
                r"- The gradient for the **weights** is a sum: $w$ is shared by every sample, so "
                r"$\partial L / \partial w = \sum_i \partial l_i / \partial w$, and the individual terms are "
                r"gone once `backward()` has added them up.\n\n"
                r"Getting the terms $\partial l_i / \partial w$ one by one (for gradient clipping per "
                r"sample, differential privacy, or influence estimates) takes one backward per sample, or "
                r"`torch.func.vmap` over `torch.func.grad`."
            )),
            ("What to return", (
                "`(grad_xs, grad_w, grad_w_per_sample)`: `grad_xs` has the shape of `xs` (row `i` is "
                r"$\partial l_i/\partial x_i$), `grad_w` the shape of `w`, and `grad_w_per_sample` the shape "
                r"`(len(xs),) + w.shape`, with `grad_w_per_sample.sum(0)` equal to `grad_w`. `model(w, xs)` "
                "returns one prediction per row (shape `ys.shape`); the loss is the **sum** of squared errors, "
                "not the mean. Do not modify the inputs."
            )),
        ),
        mistakes=(
            "Summing the input gradients over the samples, as if inputs were shared like weights "
            "(`grad_xs` then has the wrong shape).",
            "Using the mean instead of the sum: every gradient is divided by the number of entries.",
            "Computing the per-sample weight gradients in a loop without clearing `w.grad`: row $i$ is the sum "
            "of the first $i + 1$ samples' gradients.",
            "Dividing `grad_w` by the number of samples and repeating it: per-sample gradients differ from "
            "sample to sample.",
        ),
        testing=(
            "The grader passes three models (one and several outputs, a single sample, a float32 copy) and "
            "compares your three tensors with the same quantities computed with `torch.autograd.grad`, one "
            "sample at a time for the per-sample gradients."
        ),
        hint=(
            "```python\n"
            "xs = xs.detach().clone().requires_grad_(); w = w.detach().clone().requires_grad_()\n"
            "((model(w, xs) - ys) ** 2).sum().backward()   # xs.grad and w.grad\n"
            "# then, for each i: torch.autograd.grad(the loss of xs[i:i+1], w)\n```"
        ),
    ),
)

OPS: list[Op] = [JACOBIAN_ROWS, JACOBIAN_COLUMNS, ACCUMULATE_STEPS, PER_SAMPLE_GRADS]

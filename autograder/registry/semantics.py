"""Set ``semantics``: what ``backward()`` does, exercised in torch itself (autograd allowed).

Each exercise receives a function by name from :mod:`autograder.library` and returns tensors that the grader
compares with the same quantities computed here with torch (float64, or float32 where the case is). Two
exercises forbid the helper that would skip their point.
"""

from __future__ import annotations

import torch
from torch.autograd.functional import jacobian

from autograder import library
from autograder.registry import declare
from autograder.registry.cases import Case, Shape, normal, transposed, with_dtype
from autograder.registry.op import Op

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


JACOBIAN_ROWS = declare.call(
    name="jacobian_rows",
    set="semantics",
    forward=_of_f,
    args=("x",),
    functions=("f",),
    cases=_jacobian_cases,
    expected=_expected_jacobian,
    outputs=("J",),
    function_name="jacobian_rows",
    autograd_allowed=True,
    forbidden=JACOBIAN_HELPERS,
    policy_hint="build the Jacobian yourself, one backward() call per row",
)


JACOBIAN_COLUMNS = declare.call(
    name="jacobian_columns",
    set="semantics",
    forward=_of_f,
    args=("x",),
    functions=("f",),
    cases=_jacobian_cases,
    expected=_expected_jacobian,
    outputs=("J",),
    function_name="jacobian_columns",
    autograd_allowed=True,
    forbidden=JACOBIAN_HELPERS + REVERSE_MODE,
    policy_hint="build the Jacobian one column per forward-mode pass (torch.func.jvp or torch.autograd.forward_ad)",
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


ACCUMULATE_STEPS = declare.call(
    name="accumulate_steps",
    set="semantics",
    forward=lambda w, xs, ys, *, model, micro, lr, steps: library.resolve(model)(w, xs),
    args=("w", "xs", "ys"),
    functions=("model",),
    params=("micro", "lr", "steps"),
    cases=_accumulation_cases,
    expected=_expected_accumulation,
    outputs=("w", "grad"),
    why={"grad": "the weights are right, so the gradient you return is not the one you used: return a copy "
                 "(w.grad.clone()) taken before clearing w.grad; .zero_() empties the tensor you kept."},
    function_name="accumulate_steps",
    autograd_allowed=True,
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


PER_SAMPLE_GRADS = declare.call(
    name="per_sample_grads",
    set="semantics",
    forward=lambda w, xs, ys, *, model: library.resolve(model)(w, xs),
    args=("w", "xs", "ys"),
    functions=("model",),
    cases=_per_sample_cases,
    expected=_expected_per_sample,
    outputs=("grad_xs", "grad_w", "grad_w_per_sample"),
    why={"grad_xs": "row i of grad_xs is the gradient of sample i's loss alone: input gradients are not summed "
                    "over samples, and the loss is a sum, not a mean.",
         "grad_w_per_sample": "grad_xs and grad_w are right: each per-sample gradient needs its own backward "
                              "(or torch.func.vmap of torch.func.grad), with nothing left in w.grad from the "
                              "previous one."},
    function_name="per_sample_grads",
    autograd_allowed=True,
)

OPS: list[Op] = [JACOBIAN_ROWS, JACOBIAN_COLUMNS, ACCUMULATE_STEPS, PER_SAMPLE_GRADS]

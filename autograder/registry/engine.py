"""Set ``engine``: your own ``backward()``, on the numpy tensors of :mod:`autograder.engine`.

One function, ``backward(root, gradient=None, *, retain_graph=False)``, graded as four exercises, one per
behaviour of torch's engine. Each case is a graph program (:mod:`autograder.kinds.programs`): the sandboxed child runs
it with the student's ``backward``, the grader runs it in torch, and every watched ``.grad``, every call's error
and (where it is the point) every node's freed state are compared.
"""

from __future__ import annotations

import math
from math import prod

import numpy as np
import torch

from autograder.kinds import ENGINE, programs
from autograder.kinds.programs import Call, Leaves, Node, Ops, Program, Shape
from autograder.registry.cases import Case
from autograder.registry.op import Op, Page

Tensor = torch.Tensor

OUTPUTS = ("calls", "has_grad", "grads", "freed")
WHY = {
    "calls": "A backward() call raised where torch's returns, or returned where torch's raises: the page lists the "
             "checks torch makes and the errors it raises. A \"second time\" error from a single call means your "
             "walk ran some node's rule twice: it must wait until a node's gradient is complete.",
    "has_grad": "A tensor has a `.grad` where torch leaves None, or the reverse: only leaves that require grad, and "
                "results marked with retain_grad(), get one, and only when the root depends on them.",
    "grads": "A gradient is wrong: is every node processed only after all of its consumers (topological order), and "
             "does every contribution add up, including both inputs of `x * x` and earlier backward calls?",
    "freed": "The values saved for backward were not released after a call without retain_graph (or were released "
             "with it): call node.release() once a node's rule has run, unless retain_graph is true.",
}

SAID = {
    "calls": "a backward() call raised where torch's returns, or returned where torch's raises",
    "has_grad": "a tensor has a .grad where torch's is None, or the reverse",
    "grads": "a gradient differs from torch's",
    "freed": "saved values were released where torch keeps them, or kept where torch releases them",
}


def _numbers(program: Program, gen: torch.Generator) -> Tensor:
    return torch.randn(program.size, generator=gen, dtype=torch.float64) * 0.7


def _case(label: str, program: Program, gen: torch.Generator) -> Case:
    return Case(label, (_numbers(program, gen),), {"program": program.to_params()})


def _ranked(cases: list[Case]) -> list[Case]:
    """Failures are reported in the order declared: named behaviours first, then random graphs."""
    return [Case(c.label, c.inputs, c.params, rank) for rank, c in enumerate(cases)]


def _below(n: int, gen: torch.Generator) -> int:
    return int(torch.randint(n, (), generator=gen))


def random_graph(gen: torch.Generator, shape: Shape, n_ops: int, *, constants: bool = False
                 ) -> tuple[Leaves, Ops]:
    """Leaves of ``shape`` (some 0-d, broadcast against it) and ``n_ops`` random ops, mostly chained on recent
    results, the second operand of a binary op anywhere earlier (so values fan out), ending in a result that
    requires grad."""
    while True:
        n_leaves = 2 + _below(3, gen)
        leaves = [((shape if i == 0 or _below(4, gen) else ()), not (constants and i and _below(3, gen) == 0))
                  for i in range(n_leaves)]
        ops: list[Node] = []
        for _ in range(n_ops):
            n = n_leaves + len(ops)
            first = n - 1 - _below(min(3, n), gen)
            name = ("add", "mul", "mul", "exp", "tanh", "tanh", "sum")[_below(7, gen)]
            if name == "exp" and first >= n_leaves and ops[first - n_leaves][0] == "exp":
                name = "tanh"  # exp(exp(...)) grows too fast to compare well
            ops.append((name, first, _below(n, gen)) if name in programs.BINARY else (name, first))
        if Program(tuple(leaves), tuple(ops)).requires_grad()[-1]:
            return tuple(leaves), tuple(ops)


def _root(leaves: Leaves, ops: Ops) -> int:
    """The index of the last tensor: the graph's root."""
    return len(leaves) + len(ops) - 1


def _scalar_root(leaves: Leaves, ops: Ops) -> Ops:
    """The ops, with a final ``sum`` if the last result is not 0-d."""
    shape = Program(leaves, ops).shapes()[-1]
    return ops if shape == () else (*ops, ("sum", _root(leaves, ops)))


SHAPES: tuple[Shape, ...] = ((), (1,), (3,), (2, 3), (4,), (2, 2))


# --- topological order and accumulation ------------------------------------------------------------------------

def _order_cases(gen: torch.Generator) -> list[Case]:
    v, s = ((3,), True), ((), True)

    def one(label: str, leaves: Leaves, ops: Ops) -> Case:
        return _case(label, Program(leaves, ops, (Call(_root(leaves, ops), None),)), gen)

    fixed = [
        ("x * x: the same tensor is both inputs of one op, so both contributions add up",
         (v,), (("mul", 0, 0), ("sum", 1))),
        ("a chain: sum(exp(tanh(x0)))", (v,), (("tanh", 0), ("exp", 1), ("sum", 2))),
        ("a diamond: y0 = exp(x0) feeds two ops whose results meet again",
         (((4,), True),), (("exp", 0), ("tanh", 1), ("mul", 1, 2), ("sum", 3))),
        ("x0 is used at the start and again at the end of a chain",
         (v, v), (("mul", 0, 1), ("tanh", 2), ("mul", 3, 0), ("add", 4, 2), ("sum", 5))),
        ("a 0-d leaf broadcast against a vector, used twice", (s, v),
         (("mul", 0, 1), ("exp", 2), ("add", 3, 0), ("sum", 4))),
    ]
    cases = [one(label, leaves, ops) for label, leaves, ops in fixed]
    for k in range(6):
        shape = SHAPES[_below(len(SHAPES), gen)]
        leaves, ops = random_graph(gen, shape, 3 + _below(7, gen))
        ops = _scalar_root(leaves, ops)
        cases.append(one(f"a random graph of {len(ops)} ops on leaves of shape {shape} (graph {k + 1})", leaves,
                         ops))
    deep = 1200
    chain = tuple(("tanh", i) if i % 2 else ("add", i, 0) for i in range(deep))
    cases.append(one(f"a chain {deep} ops deep (deeper than Python's recursion limit of 1000)", (((2,), True),),
                     (*chain, ("sum", deep))))
    return _ranked(cases)


# --- the gradient argument -------------------------------------------------------------------------------------

def _gradient_cases(gen: torch.Generator) -> list[Case]:
    v3 = ((3,), True)

    def one(label: str, leaves: Leaves, ops: Ops, gradient: Shape | None) -> Case:
        return _case(label, Program(leaves, ops, (Call(_root(leaves, ops), gradient),)), gen)

    square_exp = (("mul", 0, 0), ("exp", 1))
    cases = [
        one("a vector root, with a gradient of its shape", (v3,), square_exp, (3,)),
        one("a 0-d root and no gradient: the gradient is 1", (((), True),), (("tanh", 0), ("mul", 1, 0)), None),
        one("a root of shape (1,) and no gradient: one element is enough for an implicit gradient",
            (((1,), True),), (("tanh", 0), ("exp", 1)), None),
        one("a 0-d root with an explicit gradient (it scales every gradient)", (v3,), (*square_exp, ("sum", 2)),
            ()),
        one("a matrix root with a gradient of its shape", (((2, 3), True), ((), True)),
            (("mul", 0, 1), ("tanh", 2)), (2, 3)),
        one("a vector root and no gradient: torch raises \"grad can be implicitly created only for scalar "
            "outputs\"", (v3,), square_exp, None),
        one("a gradient of shape (2,) for a root of shape (3,): torch raises \"Mismatch in shape\"",
            (v3,), square_exp, (2,)),
        one("a gradient of shape (1, 3) for a root of shape (3,): no broadcasting, \"Mismatch in shape\"",
            (v3,), square_exp, (1, 3)),
        one("a gradient of shape (1,) for a 0-d root: \"Mismatch in shape\"", (v3,), (*square_exp, ("sum", 2)),
            (1,)),
    ]
    for k in range(5):
        shape = SHAPES[2 + _below(len(SHAPES) - 2, gen)]
        leaves, ops = random_graph(gen, shape, 3 + _below(6, gen))
        ops = tuple(op for op in ops if op[0] != "sum") or ops  # keep the root non-scalar where possible
        ops = _valid(leaves, ops)
        root_shape = Program(leaves, ops).shapes()[-1]
        cases.append(one(f"a random graph with a root of shape {root_shape} and a gradient (graph {k + 1})",
                         leaves, ops, root_shape))
    return _ranked(cases)


def _valid(leaves: Leaves, ops: Ops) -> Ops:
    """Ops renumbered after some were dropped: operands past the end point at the last earlier tensor."""
    fixed: list[Node] = []
    for name, *operands in ops:
        n = len(leaves) + len(fixed)
        fixed.append((name, *(min(int(i), n - 1) for i in operands)))
    while not Program(leaves, tuple(fixed)).requires_grad()[-1]:
        fixed.append(("mul", len(leaves) + len(fixed) - 1, 0))
    return tuple(fixed)


# --- retain_graph and freeing ---------------------------------------------------------------------------------

def _retain_cases(gen: torch.Generator) -> list[Case]:
    v = ((3,), True)
    saving = (v, v)
    graph = (("mul", 0, 1), ("exp", 2), ("tanh", 3), ("add", 4, 0), ("sum", 5))
    root = 6

    def one(label: str, leaves: Leaves, ops: Ops, calls: tuple[Call, ...]) -> Case:
        return _case(label, Program(leaves, ops, calls, judge_freed=True), gen)

    diamond = (("exp", 0), ("tanh", 1), ("mul", 1, 2), ("sum", 3))
    shared = (("exp", 0), ("mul", 1, 0), ("sum", 2), ("tanh", 1), ("sum", 4))
    cases = [
        one("one backward without retain_graph: mul, exp and tanh release what they saved", saving, graph,
            (Call(root, None),)),
        one("one backward with retain_graph=True: nothing is released", saving, graph,
            (Call(root, None, True),)),
        one("backward twice, retain_graph=True the first time: the leaves' gradients add up", saving, graph,
            (Call(root, None, True), Call(root, None))),
        one("backward twice without retain_graph: the second raises \"Trying to backward through the graph a second "
            "time\"", saving, graph, (Call(root, None), Call(root, None))),
        one("a graph of add and sum only, backward twice without retain_graph: nothing was saved, so it can be "
            "walked again", saving, (("add", 0, 1), ("add", 2, 0), ("sum", 3)), (Call(4, None), Call(4, None))),
        one("three calls: retain_graph=True twice, then without", saving, graph,
            (Call(root, None, True), Call(root, None, True), Call(root, None))),
        one("a diamond without retain_graph: each node's rule runs once per call", (((4,), True),), diamond,
            (Call(4, None),)),
        one("two roots sharing y0 = exp(x0): backward(y2, retain_graph=True), then backward(y4)", (v,), shared,
            (Call(3, None, True), Call(5, None))),
        one("two roots sharing y0 = exp(x0), the first call without retain_graph: the second reaches y0's freed "
            "values, \"Trying to backward through the graph a second time\"", (v,), shared,
            (Call(3, None), Call(5, None))),
    ]
    for k in range(4):
        shape = SHAPES[_below(len(SHAPES), gen)]
        leaves, ops = random_graph(gen, shape, 3 + _below(6, gen))
        ops = _scalar_root(leaves, ops)
        keep = bool(_below(2, gen))
        program = Program(leaves, ops, (Call(_root(leaves, ops), None, keep), Call(_root(leaves, ops), None)))
        raises = programs.run(program, _numbers(program, gen), programs.TorchBackend())[0][-1] == 3
        what = ': the second raises "Trying to backward through the graph a second time"' if raises else ""
        cases.append(one(f"a random graph, backward twice, retain_graph={keep} the first time{what} (graph {k + 1})",
                         leaves, ops, program.calls))
    return _ranked(cases)


# --- who gets .grad ------------------------------------------------------------------------------------------

def _leaves_cases(gen: torch.Generator) -> list[Case]:
    v, c = ((3,), True), ((3,), False)

    def one(label: str, leaves: Leaves, ops: Ops,
            calls: tuple[Call, ...] | None = None, retain: tuple[int, ...] = ()) -> Case:
        calls = calls or (Call(_root(leaves, ops), None),)
        watch = tuple(range(len(leaves) + len(ops)))
        return _case(label, Program(leaves, ops, calls, retain, watch), gen)

    chain = (("mul", 0, 1), ("tanh", 2), ("sum", 3))
    cases = [
        one("a constant leaf (requires_grad=False) gets no .grad", (v, c), chain),
        one("results of ops get no .grad: only leaves do", (v, v), chain),
        one("retain_grad() on a result: it gets its gradient too", (v, v), chain, retain=(3,)),
        one("retain_grad() on two results and two calls: their gradients add up like the leaves'", (v, v), chain,
            (Call(4, None, True), Call(4, None)), (2, 3)),
        one("backward on a leaf: its .grad is the gradient itself", (v,), (), (Call(0, (3,)),)),
        one("backward on a result that does not require grad: torch raises \"element 0 of tensors does not require "
            "grad and does not have a grad_fn\"", (c,), (("exp", 0), ("sum", 1))),
        one("an op on constants makes a constant: nothing below it gets .grad", (c, c, v),
            (("mul", 0, 1), ("mul", 3, 2), ("sum", 4))),
        one("a leaf the root does not depend on keeps .grad None (not zeros)", (v, v), (("exp", 0), ("sum", 2))),
        one("retain_grad() on the root: its .grad is the gradient", (v, v), (("mul", 0, 1),), (Call(2, (3,)),),
            (2,)),
    ]
    for k in range(4):
        shape = SHAPES[_below(len(SHAPES), gen)]
        leaves, ops = random_graph(gen, shape, 3 + _below(6, gen), constants=True)
        ops = _scalar_root(leaves, ops)
        flags = Program(leaves, ops).requires_grad()
        results = [i for i in range(len(leaves), len(flags) - 1) if flags[i]]
        retain = (results[_below(len(results), gen)],) if results else ()
        cases.append(one(f"a random graph with constants and a retained result (graph {k + 1})", leaves, ops,
                         retain=retain))
    return _ranked(cases)


# --- grading: expected results, explanations, reproductions -----------------------------------------------------

def _program(case: Case) -> Program:
    return Program.from_params(case.params["program"])


def expected(case: Case) -> list[Tensor | None]:
    """The same program in torch: every call's error code, the watched gradients, and (where judged) freeing."""
    program = _program(case)
    calls, has_grad, grads, freed = programs.run(program, case.inputs[0], programs.TorchBackend())
    return [calls, has_grad, grads, freed if program.judge_freed else None]


def _call_text(program: Program, k: int) -> str:
    call = program.calls[k]
    args = [program.names[call.root]]
    if call.gradient is not None:
        args.append(f"gradient of shape {call.gradient}")
    if call.retain_graph:
        args.append("retain_graph=True")
    return f"call {k + 1}, backward({', '.join(args)})"


def _outcome(code: float, torch_side: bool) -> str:
    if code == 0:
        return "returns normally" if torch_side else "returned normally"
    verb = "raises" if torch_side else "raised"
    phrase = programs.ERRORS.get(int(code)) if math.isfinite(code) else None
    return f"{verb} RuntimeError(\"{phrase}...\")" if phrase else f"{verb} an error this exercise does not know"


def _values(flags: Tensor, grads: Tensor, shapes: list[Shape], watched: tuple[int, ...], j: int) -> str:
    start = sum(prod(shapes[w]) for w in watched[:j])
    n = prod(shapes[watched[j]])
    if not flags[j]:
        return "None"
    values = np.round(grads[start:start + n].numpy().reshape(shapes[watched[j]]), 6)
    return str(values.tolist()) if n <= 12 else f"an array of shape {shapes[watched[j]]}"


def explain(case: Case, i: int, expected: list[Tensor | None], actual: list[Tensor | None]) -> list[str]:
    """What differs, in the program's own names (x0, y1...), for a failed visible case."""
    program = _program(case)
    names, shapes, watched = program.names, program.shapes(), program.watched
    lines: list[str] = []
    want, got = expected[i], actual[i]
    if want is None or got is None:
        return lines
    if i == 0:
        for k, (w, g) in enumerate(zip(want.tolist(), got.tolist(), strict=True)):
            if w != g:
                lines.append(f"{_call_text(program, k)}: torch {_outcome(w, True)}; yours {_outcome(g, False)}")
    elif i in (1, 2):
        for k in range(len(program.calls)):
            for j, w in enumerate(watched):
                torch_says = _values(expected[1][k], expected[2][k], shapes, watched, j)
                yours = _values(actual[1][k], actual[2][k], shapes, watched, j)
                if torch_says != yours:
                    lines.append(f"after {_call_text(program, k)}: {names[w]}.grad should be {torch_says}; "
                                 f"yours is {yours}")
            if lines:
                break
    elif i == 3:
        for j, (w, g) in enumerate(zip(want.tolist(), got.tolist(), strict=True)):
            if w != g:
                node = names[len(program.leaves) + j]
                what = "released" if w else "kept"
                lines.append(f"{node} ({program.ops[j][0]}): torch {what} its saved values; yours "
                             f"{'did not' if w else 'released them'}")
    return lines[:8]


def repro(case: Case) -> str:
    return programs.source(_program(case), case.inputs[0])


# --- the exercises -----------------------------------------------------------------------------------------------

TENSOR_API = (
    "`autograder.engine.Tensor` holds a float64 numpy array `data` and records how it was made:\n\n"
    "| attribute | what it is |\n| --- | --- |\n"
    "| `t.parents` | the inputs of the op that made `t` (a tuple of `Tensor`; empty for a leaf) |\n"
    "| `t.vjp(grad)` | the gradients of `t.parents` given the gradient `grad` of `t`: one numpy array per parent, "
    "in that parent's shape (the VJP rules are given) |\n"
    "| `t.is_leaf` | made by you, not by an op on tensors that require grad |\n"
    "| `t.requires_grad` | whether gradients flow to `t` |\n"
    "| `t.grad` | `None` until `backward()` stores a numpy array there |\n"
    "| `t.retains_grad` | set by `t.retain_grad()`: store this result's gradient too |\n"
    "| `t.release()` | free the values `t`'s rule saved; afterwards `t.vjp` raises torch's \"second time\" error |\n\n"
    "Ops: `a + b`, `a * b` (with broadcasting), `a.exp()`, `a.tanh()`, `a.sum()`. As in torch, an op whose "
    "inputs all have `requires_grad=False` makes a constant leaf."
)

SIGNATURE = ("root", "gradient=None", "*", "retain_graph=False")
COMMON = dict(
    set="engine", args=("numbers",), kind=ENGINE, expected=expected,
    outputs=OUTPUTS, function_name="backward", takes=SIGNATURE, why=WHY, said=SAID, explain=explain, repro=repro,
    policy_hint="walk the graph with t.parents and t.vjp; torch's autograd is not needed here",
    rtol={torch.float64: 1e-7}, atol={torch.float64: 1e-9},
)
TESTING = (
    "Each case is a small program: leaves, ops, maybe `retain_grad()`, then one or more `backward` calls. The "
    "grader runs it on `autograder.engine.Tensor` with your `backward` (in a separate process, with torch's "
    "autograd switched off) and the same program in torch (float64), and compares, after every call: whether "
    "it raised, and which of torch's errors (by the phrase in the message); which tensors have a `.grad`; the "
    "values of every gradient{extra}. A failed case prints the program as Python you can paste to rerun it."
)


def _op(name: str, cases: object, summary: str, sections: tuple[tuple[str, str], ...], mistakes: tuple[str, ...],
        hint: str, extra: str = "") -> Op:
    return Op(name=name, cases=cases, summary=summary,  # type: ignore[arg-type]
              page=Page(sections=(("The tensor you are given", TENSOR_API), *sections), mistakes=mistakes,
                        testing=TESTING.format(extra=extra), hint=hint), **COMMON)  # type: ignore[arg-type]


ORDER = _op(
    "engine_order", _order_cases,
    "Walk the graph in topological order and add up every contribution: the gradient of a scalar root reaches "
    "every leaf.",
    (
        ("What backward() does", (
            r"For a scalar root $L$, `backward(root)` computes $\partial L / \partial x$ for every leaf $x$ that "
            r"requires grad and stores it in `x.grad`. It starts with $\partial L / \partial L = 1$ and goes back "
            r"through the graph: a node's gradient, passed to its `vjp`, gives one contribution per parent. A "
            r"tensor used by several ops (or twice by one, as in `x * x`) receives several contributions, and its "
            r"gradient is their **sum** (the multivariate chain rule)."
        )),
        ("Why the order matters", (
            "A node may call `vjp` only once its gradient is complete, that is after **every** op that used it has "
            "sent its contribution. Processing nodes in reverse topological order guarantees that: build the order "
            "by a depth-first search from the root that appends a node after all of its parents, then walk it "
            "backwards. (torch's engine counts each node's pending consumers instead; either works.) Graphs here "
            "can be 1,200 ops deep, deeper than Python's recursion limit: write the search with an explicit stack."
        )),
        ("Try it against torch", (
            "```python\nimport torch\nfrom autograder.engine import Tensor\nfrom exercises.engine import backward\n\n"
            "x = Tensor([1.0, 2.0, 3.0], requires_grad=True)\ny = x.exp()             # used twice below\n"
            "backward((y * y.tanh()).sum())\nprint(x.grad)\n\n"
            "t = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64, requires_grad=True)\nu = t.exp()\n"
            "(u * u.tanh()).sum().backward()\nprint(t.grad)           # the same numbers\n```"
        )),
    ),
    (
        "Passing each gradient on as soon as it arrives (a breadth-first walk without waiting): a node used by "
        "two ops runs its rule once per consumer, each time with part of its gradient, and the second run finds "
        "its saved values released (the \"second time\" error in a single call).",
        "Keeping one gradient per node in a dict but assigning (`grads[p] = g`) instead of adding: `x * x` gives "
        "`x` instead of `2x`.",
        "Zipping `node.parents` with the results of `node.vjp` but skipping duplicates (`set(node.parents)`).",
        "A recursive depth-first search: correct, until a graph is deeper than 1,000 ops.",
    ),
    "```python\norder, seen, stack = [], set(), [(root, False)]\nwhile stack:\n    node, done = stack.pop()\n"
    "    if done:\n        order.append(node)\n    elif id(node) not in seen:\n        seen.add(id(node))\n"
    "        stack.append((node, True))\n        stack += [(p, False) for p in node.parents]\n"
    "# order lists every node after its parents: walk reversed(order)\n```",
)

GRADIENT = _op(
    "engine_gradient", _gradient_cases,
    "The `gradient` argument: a non-scalar root needs one of its own shape; a scalar root gets 1 implicitly.",
    (
        ("What gradient means", (
            r"With a root $y$ that is not a scalar, `backward(y, v)` computes the vector-Jacobian product "
            r"$v^\top J$: the gradient of $\sum_i v_i y_i$. So `gradient` must have exactly the root's shape; torch "
            r"refuses anything else, even a shape that would broadcast, with `RuntimeError: Mismatch in shape: "
            r"grad_output[0] has a shape of ... and output[0] has a shape of ...`."
        )),
        ("When it may be left out", (
            "Only when the root has exactly one element (`root.data.size == 1`: shape `()`, `(1,)`, `(1, 1)`...): "
            "then it is 1 (`np.ones_like(root.data)`). For any other root torch raises `RuntimeError: grad can be "
            "implicitly created only for scalar outputs`. Your errors must be `RuntimeError`s whose message "
            "contains these phrases."
        )),
    ),
    (
        "Accepting a gradient that broadcasts to the root's shape: torch checks the shape exactly.",
        "Defaulting to ones for every root: a vector root without `gradient` is an error.",
        "Refusing a root of shape `(1,)` without a gradient: one element is enough.",
        "Starting from ones even when a gradient is given.",
    ),
    "```python\nif gradient is None:\n    if root.data.size != 1:\n        raise RuntimeError(\"grad can be implicitly "
    "created only for scalar outputs\")\n    gradient = np.ones_like(root.data)\n```",
)

RETAIN = _op(
    "engine_retain_graph", _retain_cases,
    "`retain_graph` and freeing: release what each node saved once its rule has run, unless asked to keep it.",
    (
        ("Why torch frees the graph", (
            "A node's rule needs values saved during the forward pass (`mul` keeps both inputs, `exp` and `tanh` "
            "keep their output). Once `backward()` has used them they are freed, so memory does not grow with every "
            "training step. Call `node.release()` right after `node.vjp(...)`, unless `retain_graph=True`. A second "
            "`backward` through a released node then fails, because `vjp` raises torch's error: `RuntimeError: "
            "Trying to backward through the graph a second time (or directly access saved tensors after they have "
            "already been freed)...`. Let that error propagate."
        )),
        ("What is not freed", (
            "`add` and `sum` save no values (only shapes), so `release()` changes nothing for them, and a graph made "
            "of them alone can be walked twice without `retain_graph`, exactly as in torch. Do not add a \"this "
            "graph was already used\" flag of your own: torch has none."
        )),
        ("Gradients add up across calls", (
            "A second `backward` (after `retain_graph=True`) adds to the `.grad` the first call left: leaves "
            "accumulate, they are never overwritten. Zeroing them is the caller's job (an optimizer's "
            "`zero_grad()`)."
        )),
    ),
    (
        "Never calling `release()`: every graph stays in memory, and a second backward succeeds where torch "
        "raises.",
        "Releasing even with `retain_graph=True`.",
        "Releasing nodes before running their rule, or catching the \"second time\" error.",
        "Overwriting `.grad` instead of adding to it on the second call.",
    ),
    "After `grads_of_parents = node.vjp(grad)`, add `if not retain_graph: node.release()`.",
    extra="; and which nodes released their saved values",
)

LEAVES = _op(
    "engine_leaves", _leaves_cases,
    "Who gets `.grad`: leaves that require grad, results marked with `retain_grad()`, nothing else.",
    (
        ("Only leaves", (
            "`backward()` stores gradients only on leaves with `requires_grad=True`: the tensors you made and want "
            "to train. Results of ops (non-leaves) keep `.grad = None`; their gradients exist only while the pass "
            "runs. A leaf with `requires_grad=False` (a constant, an input) gets nothing, and neither does a leaf "
            "the root does not depend on: its `.grad` stays `None`, not zeros."
        )),
        ("retain_grad()", (
            "`y.retain_grad()` asks for a result's gradient too: if `y.retains_grad`, store its gradient in "
            "`y.grad`, adding to what is there, like a leaf. The root counts: with `retain_grad()` on the root, its "
            "`.grad` is the `gradient` passed (or 1)."
        )),
        ("A root that does not require grad", (
            "If nothing in the root's history requires grad, there is nothing to differentiate: torch raises "
            "`RuntimeError: element 0 of tensors does not require grad and does not have a grad_fn`. Backward on a "
            "leaf that requires grad is fine: its `.grad` becomes the gradient."
        )),
    ),
    (
        "Storing `.grad` on every node visited.",
        "Giving constants (`requires_grad=False`) a gradient, or sending gradients into them.",
        "Setting `.grad` to zeros on leaves the root does not reach.",
        "Storing the same array object in two `.grad`s, or the caller's `gradient` itself: a later `+=` would "
        "change both; store copies, or add with `a + b` (a new array).",
    ),
    "```python\nif node.is_leaf or node.retains_grad:\n    node.grad = grad.copy() if node.grad is None "
    "else node.grad + grad\n```",
)

OPS = [ORDER, GRADIENT, RETAIN, LEAVES]

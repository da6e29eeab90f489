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

from autograder.kinds import programs
from autograder.kinds.programs import Call, Leaves, Node, Ops, Program, Shape
from autograder.registry import declare
from autograder.registry.cases import Case

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

SIGNATURE = ("root", "gradient=None", "*", "retain_graph=False")
COMMON = dict(
    set="engine", args=("numbers",), expected=expected,
    outputs=OUTPUTS, function_name="backward", takes=SIGNATURE, why=WHY, said=SAID, explain=explain, repro=repro,
    policy_hint="walk the graph with t.parents and t.vjp; torch's autograd is not needed here",
    rtol={torch.float64: 1e-7}, atol={torch.float64: 1e-9},
)

ORDER = declare.engine(name="engine_order", cases=_order_cases, **COMMON)  # type: ignore[arg-type]
GRADIENT = declare.engine(name="engine_gradient", cases=_gradient_cases, **COMMON)  # type: ignore[arg-type]
RETAIN = declare.engine(name="engine_retain_graph", cases=_retain_cases, **COMMON)  # type: ignore[arg-type]
LEAVES = declare.engine(name="engine_leaves", cases=_leaves_cases, **COMMON)  # type: ignore[arg-type]

OPS = [ORDER, GRADIENT, RETAIN, LEAVES]

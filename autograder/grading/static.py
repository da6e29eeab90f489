"""The static half of the policy check: autograd calls spelled out in an exercise's source.

Names are resolved through the module's imports and simple assignments, so ``import torch.autograd as ag;
ag.grad(...)``, ``from torch.autograd import grad as g; g(...)`` and ``g = torch.autograd.grad`` are recognised
as ``torch.autograd.grad``; so is ``getattr(torch.autograd, "grad")`` with a literal name. The exercise function
is checked together with the module's own functions it calls (a helper that hides the call is still found) and
with the module's top-level code, which runs at import. Besides autograd, some routes are refused in every
exercise: torch's own backward kernels (``torch.ops.aten.*_backward``), autograd's nodes (``grad_fn``), torch's
C internals, and the means of reaching the grader's objects (``sys.modules``, frames, ``gc``, ``eval``/``exec``/
``compile``/``__import__``/``importlib``). Spellings computed at run time (``getattr(torch.autograd, "gr" +
"ad")``) are left to the run-time check in :mod:`autograder.sandbox.policy`.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Collection

TRANSFORMS = ("grad", "grad_and_value", "vjp", "jvp", "jacrev", "jacfwd", "hessian", "linearize")
FORBIDDEN = ("torch.autograd.grad", "torch.autograd.backward", "torch.autograd.functional",
             "torch.autograd.forward_ad", "torch.nn.grad", *(f"torch.func.{t}" for t in TRANSFORMS),
             *(f"functorch.{t}" for t in TRANSFORMS))
"""Dotted names (and everything under them) an exercise may not use; ``torch.func.vmap`` is fine."""
FORBIDDEN_METHODS = {"backward", "grad_fn", "next_functions", "_execution_engine"}
"""Attributes whose use means running autograd, whatever the object (``loss.backward()``, ``y.grad_fn(g)``)."""
INTERNALS = ("torch._C", "torch._functorch", "torch.autograd.graph", "torch.autograd.variable",
             "torch.autograd.function", "sys.modules", "sys._getframe", "inspect.currentframe", "inspect.stack",
             "inspect.getouterframes", "inspect.trace", "gc.get_objects", "gc.get_referrers", "gc.get_referents",
             "importlib", "builtins.eval", "builtins.exec", "builtins.compile", "builtins.__import__",
             "eval", "exec", "compile", "__import__", "__builtins__")
"""Refused in every exercise: torch's internals behind the public API, and every way to reach the objects of the
grader that run in the same process (its frames, its modules, the garbage collector, code built from strings)."""
INTERNAL_ATTRIBUTES = {"f_back", "f_globals", "f_locals", "f_builtins", "tb_frame", "gi_frame", "cr_frame",
                       "ag_frame", "__globals__", "__closure__", "__subclasses__"}
"""Attributes that lead from any object to frames, globals and closures."""
BACKWARD_KERNELS = "torch.ops.aten."
"""Under this prefix, any name with ``backward`` in it is torch's own derivative of an op."""


def _aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> the dotted name it stands for, from every import in the module and every assignment of a
    plain dotted name to a plain name (``ag = torch.autograd``), anywhere in it."""
    names: dict[str, str] = {}
    assignments: list[tuple[str, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    names[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    names[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.NamedExpr) and node.value is not None:
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            dotted = _dotted(node.value)
            assignments += [(t.id, dotted) for t in targets if isinstance(t, ast.Name) and dotted]
    for _ in range(3):  # a few rounds: ``a = torch.autograd; b = a.grad``
        for name, dotted in assignments:
            if name != dotted.partition(".")[0]:
                names[name] = _resolve(dotted, names)
    return names


def _dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a chain of attributes on a name (or ``getattr(a.b, "c")`` with a literal name). Walked in a
    loop, not by recursion: a chain may be thousands of links long."""
    parts: list[str] = []
    while True:
        if isinstance(node, ast.Name):
            return ".".join([node.id, *reversed(parts)])
        if isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
              and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
              and isinstance(node.args[1].value, str)):
            parts.append(node.args[1].value)
            node = node.args[0]
        else:
            return None


def _resolve(dotted: str, aliases: dict[str, str]) -> str:
    head, _, rest = dotted.partition(".")
    base = aliases.get(head, head)
    return f"{base}.{rest}" if rest else base


def _forbidden(name: str, forbidden: Collection[str] = FORBIDDEN) -> bool:
    return any(name == f or name.startswith(f + ".") for f in forbidden)


STUDENT_MODULES = ("autograder.engine", "autograder.library")
"""The only parts of the grader an exercise may use: the rest (the policy, the drivers) runs beside it."""


def internal(name: str) -> bool:
    """Whether ``name`` (as reported) is one of the routes refused in every exercise, not autograd itself."""
    name = name.rpartition(" (")[2].rstrip(")") if name.endswith(")") else name
    grader = (name == "autograder" or name.startswith("autograder.")) and not _forbidden(name, STUDENT_MODULES)
    return (grader or _forbidden(name, INTERNALS) or (name.startswith(BACKWARD_KERNELS) and "backward" in name)
            or name.rpartition(".")[2] in INTERNAL_ATTRIBUTES)


def _top_level(tree: ast.Module) -> list[ast.AST]:
    """The module's statements that run at import, other than definitions (whose bodies run when called)."""
    return [node for node in tree.body if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)]


def _reachable(tree: ast.Module, function: str) -> list[ast.AST]:
    """The exercise (a function or a class) and the module-level functions it calls, directly or not."""
    defs = {node.name: node for node in tree.body
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)}
    seen, todo = [], [function]
    while todo:
        name = todo.pop()
        if name not in defs or defs[name] in seen:
            continue
        seen.append(defs[name])
        todo += [n.id for n in ast.walk(defs[name]) if isinstance(n, ast.Name) and n.id in defs]
    return seen


@functools.lru_cache(maxsize=64)
def _parsed(source: bytes) -> tuple[ast.Module, dict[str, str]] | None:
    """A set's file parsed once per run, not once per op."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None  # Python cannot compile it either: the sandbox reports the import error, with its line
    return tree, _aliases(tree)


def violations(source: bytes, function: str, forbidden: Collection[str] | None = None) -> list[str]:
    """Autograd entry points used by ``function`` (as spelled in the source), sorted: any of them, or, for
    exercises about autograd itself, only the dotted names in ``forbidden``."""
    parsed = _parsed(source)
    if parsed is None:
        return []
    tree, aliases = parsed
    methods = FORBIDDEN_METHODS if forbidden is None else {f.removeprefix("Tensor.") for f in forbidden
                                                           if f.startswith("Tensor.")}
    found: set[str] = set()
    for body in [*_reachable(tree, function), *_top_level(tree)]:
        for node in ast.walk(body):
            if isinstance(node, ast.Attribute) and (node.attr in methods or node.attr in INTERNAL_ATTRIBUTES):
                found.add(_dotted(node) or (f"Tensor.{node.attr}" if node.attr in methods else f"(...).{node.attr}"))
                continue
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                continue
            if not isinstance(node, ast.Name | ast.Attribute | ast.Call):
                continue
            dotted = _dotted(node)
            if not dotted or _reported_longer(dotted, found):
                continue
            full = _resolve(dotted, aliases)
            if internal(full):  # named in full, so that the message can say which kind of route it is
                found.add(dotted if full == dotted else f"{dotted} ({full})")
            elif _forbidden(full, FORBIDDEN if forbidden is None else forbidden):
                found.add(dotted if full == dotted or full.endswith(f".{dotted}") else f"{dotted} ({full})")
    return sorted(found)


def _reported_longer(dotted: str, found: set[str]) -> bool:
    """Whether a longer spelling of this chain was already reported (``torch.func.vjp`` before ``torch.func``)."""
    return any(f.startswith(dotted + ".") for f in found)

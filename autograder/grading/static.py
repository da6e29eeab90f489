"""The static half of the policy check: autograd calls spelled out in an exercise's source.

Names are resolved through the module's imports, so ``import torch.autograd as ag; ag.grad(...)`` and
``from torch.autograd import grad as g; g(...)`` are recognised as ``torch.autograd.grad``; so is
``getattr(torch.autograd, "grad")`` with a literal name. The exercise function is checked together with
the module's own functions it calls (a helper that hides the call is still found). Spellings computed at
run time (``getattr(torch.autograd, "gr" + "ad")``) are left to the run-time check in
:mod:`autograder.sandbox.policy`.
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
FORBIDDEN_METHODS = {"backward"}
"""Methods whose call means running autograd, whatever the object (``loss.backward()``)."""


def _aliases(tree: ast.Module) -> dict[str, str]:
    """Local name -> the dotted name it was imported as, from every import in the module."""
    names: dict[str, str] = {}
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
    return names


def _dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a chain of attributes on a name (or ``getattr(a.b, "c")`` with a literal name)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr"
            and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) and isinstance(node.args[1].value, str)):
        base = _dotted(node.args[0])
        return f"{base}.{node.args[1].value}" if base else None
    return None


def _resolve(dotted: str, aliases: dict[str, str]) -> str:
    head, _, rest = dotted.partition(".")
    base = aliases.get(head, head)
    return f"{base}.{rest}" if rest else base


def _forbidden(name: str, forbidden: Collection[str] = FORBIDDEN) -> bool:
    return any(name == f or name.startswith(f + ".") for f in forbidden)


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
    except (SyntaxError, ValueError):
        return None  # the sandbox reports the syntax error itself, with its line
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
    for body in _reachable(tree, function):
        for node in ast.walk(body):
            if isinstance(node, ast.Attribute) and node.attr in methods:
                found.add(_dotted(node) or f"Tensor.{node.attr}")
                continue
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                continue
            if not isinstance(node, ast.Name | ast.Attribute | ast.Call):
                continue
            dotted = _dotted(node)
            if not dotted or _reported_longer(dotted, found):
                continue
            full = _resolve(dotted, aliases)
            if _forbidden(full, FORBIDDEN if forbidden is None else forbidden):
                found.add(dotted if full == dotted or full.endswith(f".{dotted}") else f"{dotted} ({full})")
    return sorted(found)


def _reported_longer(dotted: str, found: set[str]) -> bool:
    """Whether a longer spelling of this chain was already reported (``torch.func.vjp`` before ``torch.func``)."""
    return any(f.startswith(dotted + ".") for f in found)

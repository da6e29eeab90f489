"""The static half of the policy check: autograd calls spelled out in an exercise's source."""

from __future__ import annotations

import ast
import functools
import itertools

FORBIDDEN_ATTRIBUTES = {"backward", "vjp", "jvp", "jacrev", "jacfwd", "jacobian", "hessian", "vhp", "hvp",
                        "grad_and_value", "linearize"}
FORBIDDEN_PAIRS = {("autograd", "grad"), ("torch", "func"), ("autograd", "functional"), ("autograd", "backward")}


def _chain(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    return ".".join(reversed(parts))


@functools.lru_cache(maxsize=64)
def _by_function(source: bytes) -> dict[str, list[str]]:
    """Autograd entry points used in each function of a module, found in one pass (cached: a set's file is
    read once per run, not once per op)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}  # the sandbox reports the syntax error itself, with its line
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (
                node.module.startswith("torch.func") or node.module.startswith("torch.autograd")):
            imported |= {alias.asname or alias.name for alias in node.names}
    result: dict[str, list[str]] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef):
            continue
        found: set[str] = set()
        for inner in ast.walk(node):
            if isinstance(inner, ast.Attribute):
                chain = _chain(inner)
                parts = chain.split(".")
                if inner.attr in FORBIDDEN_ATTRIBUTES or set(itertools.pairwise(parts)) & FORBIDDEN_PAIRS:
                    found.add(chain or inner.attr)
            elif isinstance(inner, ast.Name) and inner.id in imported and isinstance(inner.ctx, ast.Load):
                found.add(inner.id)
        result[node.name] = sorted(found | set(result.get(node.name, [])))
    return result


def violations(source: bytes, function: str) -> list[str]:
    """Autograd entry points used inside ``function`` (or imported by name into the module)."""
    return _by_function(source).get(function, [])

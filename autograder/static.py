"""The static half of the policy check: autograd calls spelled out in an exercise's source."""

from __future__ import annotations

import ast
import itertools
from collections.abc import Collection

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


def _refused(parts: list[str], forbidden: Collection[str] | None) -> bool:
    """Whether an attribute chain spells a refused entry point: any autograd one, or one of ``forbidden``."""
    if forbidden is None:
        return parts[-1] in FORBIDDEN_ATTRIBUTES or bool(set(itertools.pairwise(parts)) & FORBIDDEN_PAIRS)
    for name in forbidden:
        *owner, leaf = name.split(".")
        # a distinctive leaf (jacobian, hessian...) counts on any object; `grad` only as `autograd.grad`
        if parts[-1] == leaf and (leaf in FORBIDDEN_ATTRIBUTES or (len(parts) > 1 and owner[-1:] == parts[-2:-1])):
            return True
    return False


def violations(source: bytes, function: str, forbidden: Collection[str] | None = None) -> list[str]:
    """Autograd entry points used inside ``function`` (a function or a class), or imported by name into the
    module: any of them, or only the dotted names in ``forbidden`` when that is given."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []  # the sandbox reports the syntax error itself, with its line
    imported: dict[str, str] = {}  # local name -> what it is
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and (
                node.module.startswith("torch.func") or node.module.startswith("torch.autograd")):
            imported |= {alias.asname or alias.name: f"{node.module}.{alias.name}" for alias in node.names
                         if forbidden is None or f"{node.module}.{alias.name}" in forbidden}
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.ClassDef) and node.name == function:
            for inner in ast.walk(node):
                if isinstance(inner, ast.Attribute):
                    chain = _chain(inner)
                    if _refused(chain.split(".") if chain else [inner.attr], forbidden):
                        found.add(chain or inner.attr)
                elif isinstance(inner, ast.Name) and inner.id in imported and isinstance(inner.ctx, ast.Load):
                    full = imported[inner.id]
                    found.add(inner.id if full.endswith(f".{inner.id}") else f"{inner.id} ({full})")
    return sorted(found)

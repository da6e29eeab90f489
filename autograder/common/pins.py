"""Pinned requirement lines for a few root packages and everything they need, from ``requirements.txt``.

``requirements.txt`` is the one place versions live; the Gradescope bundle and the student pack each
ship the part of it they need. The dependency closure is read from the installed packages' metadata.
"""

from __future__ import annotations

import tomllib
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from autograder.common.project import ROOT


def pinned(path: Path = ROOT / "requirements.txt") -> dict[str, str]:
    """Canonical package name -> its pinned line in requirements.txt."""
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            found[canonicalize_name(Requirement(line).name)] = line
    return found


def grader_roots() -> list[str]:
    """The grader's own dependencies, as pyproject.toml declares them."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(d).name for d in project["dependencies"]]


def closure(roots: list[str]) -> list[str]:
    """The pinned lines for ``roots`` and, transitively, what they require (extras left out).

    A package requirements.txt leaves out (pip freeze omits setuptools) is pinned to the installed version.
    """
    pins = pinned()
    todo = [canonicalize_name(r) for r in roots]
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for line in metadata.requires(name) or []:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(canonicalize_name(req.name))
    return [pins.get(name) or f"{name}=={metadata.version(name)}  # installed here; not in requirements.txt"
            for name in sorted(seen)]

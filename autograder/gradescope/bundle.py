"""``python -m autograder gradescope-bundle OUT.zip``: the autograder zip to upload to Gradescope.

At the zip's root: ``setup.sh`` and ``run_autograder`` (from ``autograder/templates``), ``requirements.txt``
(the pins of ``requirements.txt`` for the grader's own dependencies and theirs), ``grader/`` (this package
and ``pyproject.toml``), ``config.json`` (which sets to grade, time limits) and ``secret``, the course
secret that seeds the hidden cases. The bundle is for instructors only: it holds that secret, and no
reference solutions (the grader does not need them).
"""

from __future__ import annotations

import io
import json
import secrets
import zipfile

from autograder import registry
from autograder.common import pins, settings
from autograder.common.files import add_member as _add
from autograder.common.project import PACKAGE, ROOT

TEMPLATES = PACKAGE / "templates"


def bundle(secret: bytes | None = None, sets: list[str] | None = None, timeout: float = settings.TIMEOUT) -> bytes:
    """The zip's bytes. ``sets``: grade only these (default: every op). A new secret if none is given."""
    if sets:
        registry.select(sets)  # raises KeyError for an unknown set
    ops = registry.select(sets or [])
    config = {"sets": sets or [], "timeout": timeout, "budget": settings.time_budget(len(ops), timeout, startup=180)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        _add(z, "setup.sh", (TEMPLATES / "gradescope_setup.sh").read_bytes(), executable=True)
        _add(z, "run_autograder", (TEMPLATES / "gradescope_run_autograder").read_bytes(), executable=True)
        _add(z, "requirements.txt", ("\n".join(pins.closure(pins.grader_roots())) + "\n").encode())
        _add(z, "config.json", (json.dumps(config, indent=2) + "\n").encode())
        _add(z, "secret", (secret or secrets.token_urlsafe(32).encode()).strip() + b"\n")
        _add(z, "grader/pyproject.toml", (ROOT / "pyproject.toml").read_bytes())
        for path in sorted([*PACKAGE.rglob("*.py"), *PACKAGE.glob("registry/pages/*/*.md")]):  # pages: op texts
            if "__pycache__" not in path.parts:
                _add(z, f"grader/{path.relative_to(ROOT).as_posix()}", path.read_bytes())
        _add(z, "grader/README.md", b"The Autograd by Hand grader (installed by setup.sh).\n")
    return buffer.getvalue()

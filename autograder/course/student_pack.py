"""``python -m autograder student-pack OUT_DIR``: the starter kit a class hands to students.

It holds the exercise stubs (``exercises/``), the lesson notebooks (``lessons/``), the grader (so students
can run ``check`` and ``submit``), pinned requirements, a README for students and the GitHub Classroom
workflow (``.github/workflows/classroom.yml``, an advisory check). It never holds ``solutions/``, the
tests, or any course secret: the grader needs none of them to check visible cases.
"""

from __future__ import annotations

import ast
import json
import shutil
import sys
import tempfile
from importlib import metadata
from pathlib import Path

from autograder import registry
from autograder.common import pins
from autograder.common.project import PACKAGE, ROOT

TEMPLATES = PACKAGE / "templates"
NOTEBOOK_TOOLS = ("jupyterlab", "ipykernel")
IGNORED = ("__pycache__", "*.pyc")
GITIGNORE = ".venv/\n__pycache__/\n*.pyc\n.ipynb_checkpoints/\nsubmission.zip\ncheck-summary.md\n"


def lesson_packages(lessons: list[Path]) -> list[str]:
    """The installed distributions the lessons import (standard library left out)."""
    owners = metadata.packages_distributions()
    found: set[str] = set()
    for path in lessons:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            if cell["cell_type"] != "code":
                continue
            try:
                tree = ast.parse("".join(cell["source"]))
            except SyntaxError:
                continue
            for node in ast.walk(tree):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                    [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else [])
                for name in names:
                    top = name.split(".")[0]
                    if top not in sys.stdlib_module_names:
                        found.update(owners.get(top, []))
    return sorted(found)


def requirements(lessons: list[Path]) -> tuple[str, str]:
    """``requirements-grader.txt`` (what ``check`` needs) and ``requirements.txt`` (that plus notebooks)."""
    grader = pins.closure(pins.grader_roots())
    extra = [line for line in pins.closure([*NOTEBOOK_TOOLS, *lesson_packages(lessons)]) if line not in grader]
    header = "# Pinned by the course (python -m autograder student-pack).\n"
    return header + "\n".join(grader) + "\n", header + "-r requirements-grader.txt\n" + "\n".join(extra) + "\n"


def build(out: Path) -> list[str]:
    """Write the pack into ``out`` (which must not exist yet, or be empty); returns the files written."""
    if out.exists() and any(out.iterdir()):
        raise FileExistsError(f"{out} already exists and is not empty")
    lessons = sorted((ROOT / "docs" / "lessons").glob("*.ipynb"))
    grader_txt, all_txt = requirements(lessons)
    sets = ", ".join(f"`{name}`" for name in registry.nonempty_sets())
    readme = (TEMPLATES / "student_readme.md").read_text(encoding="utf-8").replace("{sets}", sets)
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=".student-pack-", dir=out.parent))
    try:
        shutil.copytree(ROOT / "exercises", stage / "exercises", ignore=shutil.ignore_patterns(*IGNORED))
        shutil.copytree(ROOT / "autograder", stage / "autograder", ignore=shutil.ignore_patterns(*IGNORED))
        (stage / "lessons").mkdir()
        for lesson in lessons:
            shutil.copy2(lesson, stage / "lessons" / lesson.name)
        workflows = stage / ".github" / "workflows"
        workflows.mkdir(parents=True)
        shutil.copy2(TEMPLATES / "classroom.yml", workflows / "classroom.yml")
        shutil.copy2(ROOT / "pyproject.toml", stage / "pyproject.toml")
        (stage / "requirements-grader.txt").write_text(grader_txt, encoding="utf-8")
        (stage / "requirements.txt").write_text(all_txt, encoding="utf-8")
        (stage / "README.md").write_text(readme, encoding="utf-8")
        (stage / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
        stage.chmod(0o755)
        if out.exists():
            out.rmdir()
        stage.rename(out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())

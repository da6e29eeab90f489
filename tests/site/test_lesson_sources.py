"""Lesson sources: modern torch API in every code cell, outputs stripped, one title, goals first."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from tests.conftest import ROOT, load_module

LESSONS = sorted((ROOT / "docs/lessons").glob("[0-9][0-9]-*.ipynb"))
LEGACY = {
    "Variable": "torch.autograd.Variable (a plain tensor with requires_grad=True)",
    "FloatTensor": "torch.FloatTensor (torch.tensor(..., dtype=torch.float32))",
    "DoubleTensor": "torch.DoubleTensor",
    "data": ".data (detach() or torch.no_grad())",
}


def code_cells(nb: Path) -> list[str]:
    cells = json.loads(nb.read_text())["cells"]
    return ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]


@pytest.mark.parametrize("nb", LESSONS, ids=lambda p: p.stem)
def test_code_uses_the_modern_api_only(nb: Path) -> None:
    """The old forms may be named in the text, and run only inside a ``try`` whose run shows them fail."""
    used = []
    for source in code_cells(nb):
        cleaned = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
        tree = ast.parse(cleaned)
        failing = {id(node) for block in ast.walk(tree) if isinstance(block, ast.Try)
                   for statement in block.body for node in ast.walk(statement)}
        for node in ast.walk(tree):
            if id(node) in failing:
                continue
            if isinstance(node, ast.Attribute) and node.attr in LEGACY and isinstance(node.ctx, ast.Load):
                used.append(LEGACY[node.attr])
            if isinstance(node, ast.Name) and node.id in ("Variable", "FloatTensor"):
                used.append(LEGACY[node.id])
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "Tensor"
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "torch"):
                used.append("torch.Tensor(...) (torch.tensor(...))")
    assert not used, f"{nb.name} runs legacy API: {sorted(set(used))}"


@pytest.mark.parametrize("nb", LESSONS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs_and_opens_with_title_and_goals(nb: Path) -> None:
    data = json.loads(nb.read_text())
    for cell in data["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, f"{nb.name}: outputs are stored"
    first = "".join(data["cells"][0]["source"])
    assert re.match(rf"# {int(nb.name[:2])}\. ", first), f"{nb.name}: the first cell must be the title"
    assert "Goals" in first
    titles = [line for c in data["cells"] if c["cell_type"] == "markdown"
              for line in "".join(c["source"]).splitlines() if line.startswith("# ")]
    assert len(titles) == 1, f"{nb.name}: one H1 only"


HOOKS = load_module(ROOT / "overrides/hooks.py", "site_hooks")


def test_sources_page_gives_each_article_one_short_title_and_its_original_title() -> None:
    sources = (ROOT / "docs/sources.md").read_text()
    for short, original in HOOKS.ARTICLES.values():
        assert f"*{short}*" in sources and f"*{original}*" in sources, short


@pytest.mark.parametrize("nb", LESSONS, ids=lambda p: p.stem)
def test_lessons_name_articles_by_their_short_titles(nb: Path) -> None:
    cells = json.loads(nb.read_text())["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert not re.search(r"\b[Aa]rticles? 00\d", text), f"{nb.name}: name articles by their short titles"
    draws_on = "".join(cells[0]["source"]).split("*Draws on:*", 1)[1]
    named = [short for short, _ in HOOKS.ARTICLES.values() if f"*{short}*" in draws_on.replace("\n", " ")]
    assert named, f"{nb.name}: 'Draws on' names no article by its short title"
    for short, original in HOOKS.ARTICLES.values():
        assert (short in named) == (original in draws_on), f"{nb.name}: give {short!r} with its original title"

"""The site builds strictly, executes its lessons, and has a generated page per exercise."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from autograder import registry
from tests.conftest import ROOT
from tests.site.conftest import build

pytestmark = [pytest.mark.site, pytest.mark.xdist_group("site")]


def html(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(), "html.parser")


def test_every_lesson_is_an_executed_notebook_page(site: Path) -> None:
    lessons = sorted((ROOT / "docs/lessons").glob("[0-9][0-9]-*.ipynb"))
    assert lessons
    for nb in lessons:
        soup = html(site, f"lessons/{nb.stem}")
        assert soup.select(".jp-Notebook"), nb.name
        outputs = soup.select(".jp-OutputArea-output")
        assert outputs, f"{nb.name} has no executed output"
        assert (site / "lessons" / nb.stem / nb.name).exists(), "the notebook download is missing"


def test_every_registered_op_has_a_page_with_its_formula_and_signature(site: Path) -> None:
    for op in registry.OPS.values():
        soup = html(site, f"exercises/{op.set}/{op.name}")
        text = soup.get_text()
        assert op.signature in text
        vjp_headings = ("The Jacobian", "The vector-Jacobian product", "Convention at special points")
        headings = vjp_headings if op.takes_grad else tuple(heading for heading, _ in op.page.sections)
        for heading in (*headings, "Common mistakes", "How it is tested"):
            assert heading in text, f"{op.name}: no section {heading!r}"
        assert soup.select(".arithmatex") or not op.takes_grad, f"{op.name}: no math"


def test_the_site_loads_nothing_from_another_origin(site: Path) -> None:
    for page in site.rglob("*.html"):
        soup = BeautifulSoup(page.read_text(), "html.parser")
        for tag in soup.select("script[src], link[rel=stylesheet][href]"):
            url = str(tag.get("src") or tag.get("href"))
            assert not url.startswith(("http:", "https:", "//")), f"{page}: loads {url} from another origin"


def test_a_failing_lesson_cell_fails_the_build(tmp_path: Path) -> None:
    docs = tmp_path / "docs" / "lessons"
    docs.mkdir(parents=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (docs / "bad.ipynb").write_text(
        '{"cells": [{"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], '
        '"source": ["1 / 0"]}], "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", '
        '"language": "python"}}, "nbformat": 4, "nbformat_minor": 5}')
    config = tmp_path / "mkdocs.yml"
    config.write_text(f"site_name: t\ndocs_dir: {tmp_path / 'docs'}\nplugins:\n  - mkdocs-jupyter:\n"
                      "      include: ['lessons/*.ipynb']\n      execute: true\n      allow_errors: false\n")
    result = build(config, tmp_path / "site")
    assert result.returncode != 0
    assert "ZeroDivisionError" in result.stdout + result.stderr


def test_the_projects_config_refuses_cell_errors() -> None:
    text = (ROOT / "mkdocs.yml").read_text()
    assert "allow_errors: false" in text and "execute: true" in text and "strict: true" in text

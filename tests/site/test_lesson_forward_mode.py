"""Lesson 11 as built: its worked numbers, its measured plot, and its links to the exercises that practise it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from autograder import registry

pytestmark = [pytest.mark.site, pytest.mark.xdist_group("site")]

LESSON = "11-forward-and-reverse-mode"


def page(site: Path) -> BeautifulSoup:
    return BeautifulSoup((site / "lessons" / LESSON / "index.html").read_text(), "html.parser")


def outputs(site: Path) -> str:
    text = "\n".join(o.get_text() for o in page(site).select(".jp-OutputArea-output"))
    return " ".join(text.split())


def test_the_worked_example_prints_a_column_of_the_jacobian_and_a_jvp(site: Path) -> None:
    text = outputs(site)
    for claim in ("tangent: tensor([2.0000, 0.5403, 0.0000])", "column 0 of J: tensor([2.0000, 0.5403, 0.0000]) | "
                  "equal: True", "J v by forward mode: tensor([ 0.0000, 0.2702, -4.0000])",
                  "both equal jacobian(): True True"):
        assert claim in text, claim
    assert text.count("equal: True") >= 2  # the dual-number column, and counted products against the formula


def test_the_measurement_is_a_table_of_medians_and_a_plot(site: Path) -> None:
    text = outputs(site)
    assert "median CPU milliseconds, jacfwd / jacrev" in text
    timings = re.findall(r"(\d+\.\d\d)/(\d+\.\d\d)", text)
    assert len(timings) == 25 and all(float(a) > 0 and float(b) > 0 for a, b in timings)
    plots = [img for img in page(site).select(".jp-OutputArea-output img")
             if img["src"].startswith(("data:image/png", "data:image/webp"))]  # plots are stored as WebP if smaller
    assert len(plots) == 1


def test_the_lesson_links_every_forward_mode_exercise(site: Path) -> None:
    links = {a["href"] for a in page(site).select("a[href]")}
    for op in registry.SETS["forward_mode"]:
        assert f"../../exercises/forward_mode/{op.name}/" in links, op.name
    assert "../../exercises/semantics/jacobian_columns/" in links

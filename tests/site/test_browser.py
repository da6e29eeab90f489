"""The built site in a real headless Chromium (Debian's): math typesets, search works, nothing leaves localhost."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest

pytestmark = [pytest.mark.site, pytest.mark.browser, pytest.mark.xdist_group("site")]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def url(site: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=site))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"no Chromium at {CHROMIUM} (CI installs Debian's chromium)")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object, url: str) -> Iterator[object]:
    """A page that may load nothing but the local site, recording errors and off-site requests."""
    context = browser.new_context()
    tab = context.new_page()
    tab.errors, tab.offsite = [], []
    tab.on("pageerror", lambda err: tab.errors.append(str(err)))
    tab.on("console", lambda msg: tab.errors.append(msg.text) if msg.type == "error" else None)

    def route(r: object) -> None:
        if r.request.url.startswith(url) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            tab.offsite.append(r.request.url)
            r.abort()

    tab.route("**/*", route)
    yield tab
    context.close()


def typeset(tab: object, selector: str) -> None:
    tab.wait_for_selector(f"{selector} mjx-container", timeout=20_000)
    leftover = tab.eval_on_selector_all(selector, "els => els.map(e => e.innerText).join(' ')")
    assert "$" not in leftover and "\\(" not in leftover, leftover[:300]


def test_math_is_typeset_on_a_markdown_page(page: object, url: str) -> None:
    page.goto(f"{url}/exercises/binary/mul/")
    typeset(page, ".arithmatex")
    assert not page.errors and not page.offsite


def test_math_is_typeset_on_a_notebook_page(page: object, url: str) -> None:
    page.goto(f"{url}/lessons/01-graphs-and-leaves/")
    page.wait_for_selector(".jp-RenderedMarkdown mjx-container", timeout=20_000)
    assert not page.errors and not page.offsite


def test_lessons_have_previous_and_next_links(page: object, url: str) -> None:
    page.goto(f"{url}/lessons/02-scalar-backward/")
    previous = page.get_attribute("a.md-footer__link--prev", "href")
    following = page.get_attribute("a.md-footer__link--next", "href")
    assert previous and "01-graphs-and-leaves" in previous
    assert following and "03-gradient-argument-and-vjp" in following
    page.click("a.md-footer__link--next")
    page.wait_for_url("**/03-gradient-argument-and-vjp/")
    page.wait_for_selector(".jp-RenderedMarkdown mjx-container", timeout=20_000)
    assert not page.errors and not page.offsite


def test_math_is_typeset_after_in_site_navigation(page: object, url: str) -> None:
    page.goto(f"{url}/")
    page.click("a[href$='exercises/']")
    page.wait_for_url("**/exercises/")
    page.click("a[href$='binary/']")
    page.click("a[href$='mul/']")
    page.wait_for_url("**/exercises/binary/mul/")
    typeset(page, ".arithmatex")
    assert not page.errors and not page.offsite


def test_search_finds_a_lesson(page: object, url: str) -> None:
    page.goto(f"{url}/")
    page.click("label.md-search__icon, .md-search__input", timeout=10_000)
    page.locator(".md-search__input").press_sequentially("leaves", delay=50)
    page.wait_for_selector(".md-search-result__item", timeout=20_000)
    assert "lessons" in page.inner_html(".md-search-result")


def test_dark_mode_toggle_and_copy_buttons(page: object, url: str) -> None:
    page.goto(f"{url}/guides/students/")
    before = page.get_attribute("body", "data-md-color-scheme")
    page.click("form[data-md-component=palette] label:visible")
    page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') !== '{before}'")
    page.wait_for_selector(".md-code__button", timeout=10_000)
    assert not page.errors and not page.offsite


def test_lesson_offers_its_notebook_and_an_edit_link(page: object, url: str) -> None:
    page.goto(f"{url}/lessons/01-graphs-and-leaves/")
    download = page.get_attribute("a[download]", "href")
    assert download and download.endswith(".ipynb")
    response = page.request.get(urljoin(page.url, download))
    assert response.ok, response.status
    assert b'"cells"' in response.body()
    assert page.locator("a[title='Edit this page']").count() == 1

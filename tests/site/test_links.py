"""Every internal link, image and script on the built site resolves, anchors included."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from autograder.common.settings import SITE

pytestmark = [pytest.mark.site, pytest.mark.xdist_group("site")]
BASE = urlsplit(SITE).path  # the site_url's path: overrides/hooks.py sets site_url from settings.SITE


def target(site: Path, page: Path, ref: str) -> tuple[Path, str] | None:
    parts = urlsplit(ref)
    if parts.scheme or parts.netloc or ref.startswith(("mailto:", "javascript:", "data:")) or not ref:
        return None
    if parts.path.startswith("/"):  # absolute (404.html): relative to the site_url's path
        path = (site / unquote(parts.path).removeprefix(BASE).lstrip("/")).resolve()
    else:
        path = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
    if path.is_dir() or parts.path.endswith("/"):
        path = path / "index.html"
    return path, parts.fragment


def ids(page: Path, cache: dict[Path, set[str]]) -> set[str]:
    if page not in cache:
        soup = BeautifulSoup(page.read_text(errors="replace"), "html.parser")
        cache[page] = {tag["id"] for tag in soup.select("[id]")} | {tag["name"] for tag in soup.select("a[name]")}
    return cache[page]


def test_no_broken_internal_link_anywhere_on_the_site(site: Path) -> None:
    broken: list[str] = []
    anchors: dict[Path, set[str]] = {}
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        soup = BeautifulSoup(page.read_text(errors="replace"), "html.parser")
        for tag in soup.select("a[href], img[src], script[src], link[href]"):
            ref = tag.get("href") if tag.name in ("a", "link") else tag.get("src")
            if tag.name == "script" and ref == "":
                continue  # nbconvert's inert MathJax-2 placeholder
            resolved = target(site, page, str(ref))
            if resolved is None:
                continue
            path, fragment = resolved
            where = f"{page.relative_to(site)}: {ref}"
            if not path.exists():
                broken.append(f"{where} (no such file)")
            elif fragment and path.suffix == ".html" and fragment not in ids(path, anchors):
                broken.append(f"{where} (no anchor #{fragment})")
    assert not broken, "\n".join(broken[:40])

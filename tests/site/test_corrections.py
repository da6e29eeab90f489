"""The corrections page as built: every correction, nit and withdrawn erratum is listed with a link that works."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.conftest import ROOT, load_module

pytestmark = [pytest.mark.site, pytest.mark.xdist_group("site")]

HOOKS = load_module(ROOT / "overrides/hooks.py", "site_hooks")
BLOCKS = HOOKS.corrections(ROOT / "docs")
LISTED = HOOKS.nits(ROOT / "docs")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(), "html.parser")


def rows(site: Path) -> dict[str, tuple[str, Path]]:
    """id -> (the link of its row, the page that link opens)."""
    page = site / "corrections" / "index.html"
    found = {}
    for row in soup(page).select("table tr"):
        anchor = row.select_one("span[id]")
        if anchor is None:
            continue
        href = row.select("a[href]")[-1]["href"]
        target = (page.parent / urlsplit(href).path).resolve() / "index.html"
        found[anchor["id"]] = (href, target)
    return found


def test_the_page_lists_every_correction_nit_and_withdrawn_erratum_once(site: Path) -> None:
    listed = rows(site)
    assert sorted(listed) == sorted([c["id"] for c in BLOCKS] + list(LISTED))
    assert len(BLOCKS) >= 20 and {e["kind"] for e in LISTED.values()} == {"nit", "withdrawn"}
    headings = [h.get_text(strip=True) for h in soup(site / "corrections" / "index.html").select("h2")]
    assert [h.rstrip("¶") for h in headings] == ["Corrections in the lessons", "Nits", "Withdrawn"]


@pytest.mark.parametrize("ident", [c["id"] for c in BLOCKS])
def test_a_correction_links_to_its_collapsible_block_in_the_lesson(site: Path, ident: str) -> None:
    href, target = rows(site)[ident]
    assert urlsplit(href).fragment == ident and target.exists(), href
    block = soup(target).find(id=ident)
    assert block is not None and block.name == "details" and "correction" in block["class"], href
    assert block.summary.get_text(" ", strip=True).startswith(f"Correction {ident} (")


@pytest.mark.parametrize("ident", sorted(LISTED))
def test_a_nit_links_to_the_lesson_section_that_shows_the_modern_form(site: Path, ident: str) -> None:
    href, target = rows(site)[ident]
    fragment = urlsplit(href).fragment
    assert target.exists() and fragment, href
    heading = soup(target).find(id=fragment)
    assert heading is not None and heading.name in ("h2", "h3"), href

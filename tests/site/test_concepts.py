"""Every concept of the source articles is taught in a lesson section; every erratum is accounted for exactly once.

The ids come from ``SEED_CONCEPTS.md`` and ``SEED_FACTS.md`` in the shared folder beside the project when it is
there (``$AUTOGRAD_SHARED``, default ``../shared``), else from the committed copies next to this file.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml
from markdown.extensions.toc import slugify

from tests.conftest import ROOT, load_module

HERE = Path(__file__).parent
SHARED = Path(os.environ.get("AUTOGRAD_SHARED", ROOT.parent / "shared"))
LESSONS = ROOT / "docs/lessons"
CONCEPT_MAP = yaml.safe_load((LESSONS / "concepts.yml").read_text())
HOOKS = load_module(ROOT / "overrides/hooks.py", "site_hooks")
# Errata found after SEED_FACTS.md was written (by reviewers reading the articles): each is a correction block or
# a nit like the others.
ADDED = {"E000-9": "the revised rule (arg·J)ᵀ keeps a transpose too many",
         "E002-9": "detach() is said to stop the original tensor's tracking",
         "E001-12": "every variable is said to get its gradient in .grad",
         "E001-13": "tensor attributes are called the graph's nodes",
         "E002-10": "two plain second derivatives are labelled mixed",
         "E002-11": "the gradient is said to accumulate in the .grad of the tensor backward is called on",
         "E003-6": "a vector of three elements is called a three-dimensional tensor"}


def concept_ids_in(text: str) -> list[str]:
    """``000-5`` for item 5 under the heading ``## Article 000``."""
    ids, article = [], None
    for line in text.splitlines():
        if line.startswith("## "):
            found = re.match(r"## Article (\d{3})", line)
            article = found.group(1) if found else None
        elif article and (item := re.match(r"(\d+)\. ", line)):
            ids.append(f"{article}-{item.group(1)}")
    return ids


def errata_ids_in(text: str) -> list[str]:
    errata = text.split("## Full errata list", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\* (E\d{3}-\d+):", errata, re.M)


def committed(name: str) -> list[str]:
    return [line for line in (HERE / name).read_text().splitlines() if line and not line.startswith("#")]


def seed_ids(seed: str, parse, copy: str) -> list[str]:
    source = SHARED / "course" / seed
    return parse(source.read_text()) if source.exists() else committed(copy)


CONCEPTS = seed_ids("SEED_CONCEPTS.md", concept_ids_in, "seed_concept_ids.txt")
ERRATA = seed_ids("SEED_FACTS.md", errata_ids_in, "seed_errata_ids.txt")


def cells(notebook: Path) -> list[dict]:
    return json.loads(notebook.read_text())["cells"]


def markdown(notebook: Path) -> str:
    return "\n\n".join("".join(c["source"]) for c in cells(notebook) if c["cell_type"] == "markdown")


def heading_slugs(notebook: Path) -> set[str]:
    """Slugs of the H2/H3 headings, computed as MkDocs' toc extension does from the heading's plain text."""
    slugs = set()
    for line in markdown(notebook).splitlines():
        if found := re.match(r"#{2,3} (.+)", line):
            text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", found.group(1))  # links keep their text
            slugs.add(slugify(re.sub(r"[`*]", "", text), "-"))
    return slugs


def lessons() -> list[Path]:
    return sorted(LESSONS.glob("[0-9][0-9]-*.ipynb"))


def test_the_concept_and_errata_lists_are_complete() -> None:
    assert len(CONCEPTS) == len(set(CONCEPTS)) == 66
    assert ERRATA[0] == "E000-1" and ERRATA[-1] == "E003-5" and len(ERRATA) == len(set(ERRATA)) == 32


@pytest.mark.skipif(not (SHARED / "course").exists(), reason="the shared seed files are not beside the project")
def test_the_committed_id_lists_match_the_seed_files() -> None:
    assert committed("seed_concept_ids.txt") == concept_ids_in((SHARED / "course/SEED_CONCEPTS.md").read_text())
    assert committed("seed_errata_ids.txt") == errata_ids_in((SHARED / "course/SEED_FACTS.md").read_text())


@pytest.mark.parametrize("concept", CONCEPTS)
def test_every_seed_concept_is_mapped_to_a_lesson_section(concept: str) -> None:
    assert concept in CONCEPT_MAP, f"concept {concept} is taught nowhere: add it to docs/lessons/concepts.yml"


def test_the_map_names_only_seed_concepts() -> None:
    assert not set(CONCEPT_MAP) - set(CONCEPTS)


@pytest.mark.parametrize(("concept", "target"), sorted(CONCEPT_MAP.items()))
def test_every_mapped_section_is_a_heading_of_an_existing_lesson(concept: str, target: str) -> None:
    page, _, anchor = target.partition("#")
    notebook = ROOT / "docs" / page
    assert notebook.parent == LESSONS and notebook.exists(), f"{concept}: no lesson {page}"
    assert anchor in heading_slugs(notebook), f"{concept}: {page} has no H2/H3 heading with slug {anchor!r}"


def blocks() -> list[tuple[str, str, list[dict], int]]:
    """(lesson file, erratum id, the lesson's cells, index of the cell) for every correction block."""
    found = []
    for nb in lessons():
        notebook = cells(nb)
        for i, cell in enumerate(notebook):
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                found += [(nb.name, ident, notebook, i) for ident, _ in HOOKS.CORRECTION.findall(text)]
    return found


NITS = HOOKS.nits(ROOT / "docs")


@pytest.mark.parametrize("erratum", [*ERRATA, *ADDED])
def test_every_erratum_is_a_block_in_exactly_one_lesson_or_listed_as_a_nit_or_withdrawn(erratum: str) -> None:
    found = [name for name, ident, _, _ in blocks() if ident == erratum]
    listed = erratum in NITS
    assert len(found) + listed == 1, f"{erratum}: blocks in {found}, in nits.yml: {listed}"


def test_nits_and_withdrawn_errata_are_complete_and_point_at_a_lesson_section() -> None:
    assert {entry["kind"] for entry in NITS.values()} == {"nit", "withdrawn"}
    for ident, entry in NITS.items():
        assert ident in ERRATA or ident in ADDED, f"{ident}: a nit must be an erratum (SEED_FACTS.md or ADDED)"
        assert "「" in entry["says"] or entry["kind"] == "withdrawn", f"{ident}: quote the original"
        assert entry["truth"].strip(), ident
        page, _, anchor = entry["where"].partition("#")
        assert (ROOT / "docs" / page).exists() and anchor in heading_slugs(ROOT / "docs" / page), ident


def test_every_correction_block_quotes_the_original_says_what_is_true_and_is_followed_by_a_run() -> None:
    assert len(blocks()) >= 20
    for name, ident, notebook, i in blocks():
        body = dict(HOOKS.CORRECTION.findall("".join(notebook[i]["source"])))[ident]
        where = f"{name} {ident}"
        assert ident in ERRATA or ident in ADDED, f"{where}: not an erratum"
        assert re.search(rf"<summary>Correction {ident} \(<i>[^<]+</i>\): .+</summary>", body), where
        article = re.search(r"<summary>Correction E\d{3}-\d+ \(<i>([^<]+)</i>\)", body).group(1)
        assert article == HOOKS.ARTICLES[ident[1:4]][0], f"{where}: the article's short title is {article!r}"
        says = HOOKS.SAYS.search(body).group(1)
        assert re.search(r"「.+」\s+\(“.+”\)", says, re.S), f"{where}: quote the original and render it in English"
        assert HOOKS.TRUE.search(body) and HOOKS.RUN.search(body), where
        assert i + 1 < len(notebook) and notebook[i + 1]["cell_type"] == "code", \
            f"{where}: the block must be followed by a code cell whose run shows the truth"


def test_every_quote_is_in_the_surviving_text() -> None:
    """Each run of Chinese characters in a block's quote occurs in its article (the scraped text keeps its formulas
    garbled, so the quote's formulas are compared by eye; see notes on the corrections audit)."""
    if not (SHARED / "seeds").exists():
        pytest.skip("the seed articles are not beside the project")
    articles = {path.name[:3]: re.sub(r"\s+", "", path.read_text()) for path in (SHARED / "seeds").glob("*.txt")}
    for name, ident, notebook, i in blocks():
        says = HOOKS.SAYS.search(dict(HOOKS.CORRECTION.findall("".join(notebook[i]["source"])))[ident]).group(1)
        quote = re.search(r"「(.+?)」", says, re.S).group(1)
        runs = re.findall(r"[\u4e00-\u9fff]+", quote)
        assert runs, f"{name} {ident}: the quote has no Chinese"
        missing = [run for run in runs if run not in articles[ident[1:4]]]
        assert not missing, f"{name} {ident}: not in the article: {missing}"

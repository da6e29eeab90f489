"""MkDocs hooks: exercise pages generated from the registry, and the nav built from what exists.

Lessons are ordered by file name (``01-...ipynb``); exercise pages come from ``autograder.course.pages``.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import yaml
from mkdocs.structure.files import File, Files

from autograder import registry
from autograder.common.settings import SITE
from autograder.course import pages

GUIDES = ("guides/students.md", "guides/instructors.md", "guides/security.md")
ABOUT = ("corrections.md", "sources.md")

# The four source articles: short title (used everywhere on the site) and original title. Ids E000-* .. E003-*.
ARTICLES = {
    "000": ("What backward's argument means", "Pytorch中的自动求导函数backward()所需参数含义"),
    "001": ("Backward and the graph", "PyTorch:梯度计算之反向传播函数backward()"),
    "002": ("Autograd tutorial", "Pytorch Tutorial, Chapter 2. Autograd"),
    "003": ("Gradients and Jacobians", "梯度和Jacobian矩阵 / pytorch求变量导数的过程"),
}
# A correction in a lesson: a collapsible block with the original (quoted), the truth and the run after it.
CORRECTION = re.compile(r'<details class="[^"]*\bcorrection\b[^"]*" id="(E\d{3}-\d+)">(.*?)</details>', re.S)
SUMMARY = re.compile(r"<summary>(.*?)</summary>", re.S)
SAYS = re.compile(r"<b>The original says:</b>(.*?)</p>", re.S)
TRUE = re.compile(r"<b>What is true:</b>(.*?)</p>", re.S)
RUN = re.compile(r"<b>The run:</b>(.*?)</p>", re.S)
NITS = "lessons/nits.yml"  # typos and old spellings that still run, and withdrawn errata: listed on the page only


def _plain(fragment: str) -> str:
    text = re.sub(r"<[^>]+>", "", fragment)
    return html.unescape(" ".join(text.split())).replace("|", "\\|")


def _title(cells: list[dict[str, Any]], default: str) -> str:
    return next((line[2:].strip() for c in cells if c["cell_type"] == "markdown"
                 for line in "".join(c["source"]).splitlines() if line.startswith("# ")), default)


def corrections(docs: Path) -> list[dict[str, str]]:
    """Every correction block in the lessons, in id order, with the lesson that holds it and its parts."""
    found = []
    for nb in sorted((docs / "lessons").glob("[0-9][0-9]-*.ipynb")):
        cells = json.loads(nb.read_text())["cells"]
        for cell in cells:
            if cell["cell_type"] != "markdown":
                continue
            for ident, body in CORRECTION.findall("".join(cell["source"])):
                parts = {name: pattern.search(body) for name, pattern in
                         (("summary", SUMMARY), ("says", SAYS), ("true", TRUE), ("run", RUN))}
                found.append({"id": ident, "stem": nb.stem, "title": _title(cells, nb.stem),
                              **{name: _plain(m.group(1)) if m else "" for name, m in parts.items()}})
    return sorted(found, key=lambda c: _order(c["id"]))


def nits(docs: Path) -> dict[str, dict[str, str]]:
    """The entries of ``lessons/nits.yml``: id -> kind (nit or withdrawn), says, truth, where (a lesson section)."""
    return yaml.safe_load((docs / NITS).read_text()) if (docs / NITS).exists() else {}


def _where(docs: Path, target: str) -> str:
    """The title of the lesson a nit links to (``lessons/NN-name.ipynb#section``)."""
    notebook = docs / target.partition("#")[0]
    return _title(json.loads(notebook.read_text())["cells"], notebook.stem)


def _order(ident: str) -> tuple[int, int]:
    article, number = ident[1:].split("-")
    return int(article), int(number)


def _article(ident: str) -> str:
    return f"*{ARTICLES[ident[1:4]][0]}*"


def corrections_page(docs: Path) -> str:
    boxes = "\n".join(
        f'| <span id="{c["id"]}"></span>[{c["id"]}](lessons/{c["stem"]}.ipynb#{c["id"]}) | {_article(c["id"])} | '
        f'{c["says"]} | {c["true"]} | [{c["title"]}](lessons/{c["stem"]}.ipynb#{c["id"]}) |'
        for c in corrections(docs))
    listed = nits(docs)

    def rows(kind: str) -> str:
        return "\n".join(
            f'| <span id="{i}"></span>{i} | {_article(i)} | {_plain(e["says"])} | {_plain(e["truth"])} | '
            f'[{_where(docs, e["where"])}]({e["where"]}) |'
            for i, e in sorted(listed.items(), key=lambda item: _order(item[0])) if e["kind"] == kind)

    return f"""# Corrections to the source articles

The four source articles (see [Sources](sources.md)) are good introductions, and also wrong in places. Their
images did not survive, so a correction quotes only the text that did, in the original Chinese with an English
rendering. This page is generated from the lessons when the site is built.

## Corrections in the lessons

Each of these is a collapsible block in a lesson, where its topic comes up: what the original says, what is
true, and a run whose printed output shows it.

| id | article | the original says | what is true | where |
| --- | --- | --- | --- | --- |
{boxes}

## Nits

Typos and old spellings that still run: worth knowing when you read the original, not worth a block in a
lesson. The link goes to the lesson section that shows the modern form.

| id | article | the original says | what is true | where |
| --- | --- | --- | --- | --- |
{rows("nit")}

## Withdrawn

Errata we listed before and no longer stand by, and why.

| id | article | we said | why it is withdrawn | where |
| --- | --- | --- | --- | --- |
{rows("withdrawn")}
"""


def on_config(config: Any) -> Any:
    config["site_url"] = SITE
    docs = Path(config["docs_dir"])
    lessons = sorted(p.relative_to(docs).as_posix() for p in (docs / "lessons").glob("[0-9][0-9]-*.ipynb"))
    exercises: list[Any] = ["exercises/index.md"]
    for name, ops in registry.nonempty_sets().items():
        exercises.append({pages.set_title(name): [f"exercises/{name}/index.md",
                                                  *(f"exercises/{name}/{op.name}.md" for op in ops)]})
    nav: list[Any] = ["index.md"]
    nav.append({"Lessons": [p for p in ["lessons/index.md", *lessons] if (docs / p).exists()]})
    nav.append({"Exercises": exercises})
    nav.append({"Guides": [p for p in GUIDES if (docs / p).exists()]})
    nav += list(ABOUT)
    config["nav"] = [item for item in nav if not isinstance(item, dict) or next(iter(item.values()))]
    return config


def on_files(files: Files, config: Any) -> Files:
    generated = {**pages.generated(), "corrections.md": corrections_page(Path(config["docs_dir"]))}
    for path, content in generated.items():
        files.append(File.generated(config, path, content=content))
    return files

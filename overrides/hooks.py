"""MkDocs hooks: exercise pages generated from the registry, and the nav built from what exists.

Lessons are ordered by file name (``01-...ipynb``); exercise pages come from ``autograder.course.pages``.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from autograder import registry
from autograder.common.settings import SITE
from autograder.course import pages

GUIDES = ("guides/students.md", "guides/instructors.md", "guides/security.md")
ABOUT = ("corrections.md", "sources.md")
CORRECTION = re.compile(r'<div class="[^"]*\bcorrection\b[^"]*" id="(E\d{3}-\d+)">(.*?)</div>', re.S)
SAYS = re.compile(r"The original says:</b>(.*?)</p>", re.S)
TRUE = re.compile(r"What is true:</b>(.*?)</p>", re.S)


def _plain(fragment: str) -> str:
    text = re.sub(r"<[^>]+>", "", fragment)
    return html.unescape(" ".join(text.split())).replace("|", "\\|")


def corrections(docs: Path) -> list[tuple[str, str, str, str, str]]:
    """Every correction block in the lessons: (id, lesson stem, lesson title, what the original says, truth)."""
    found = []
    for nb in sorted((docs / "lessons").glob("[0-9][0-9]-*.ipynb")):
        cells = json.loads(nb.read_text())["cells"]
        title = next((line[2:].strip() for c in cells if c["cell_type"] == "markdown"
                      for line in "".join(c["source"]).splitlines() if line.startswith("# ")), nb.stem)
        for cell in cells:
            if cell["cell_type"] != "markdown":
                continue
            for ident, body in CORRECTION.findall("".join(cell["source"])):
                says, true = SAYS.search(body), TRUE.search(body)
                found.append((ident, nb.stem, title, _plain(says.group(1)) if says else "",
                              _plain(true.group(1)) if true else ""))
    return sorted(found)


def corrections_page(docs: Path) -> str:
    rows = "\n".join(f"| [{i}](lessons/{stem}.ipynb#{i}) | {says} | {true} | [{title}](lessons/{stem}.ipynb) |"
                     for i, stem, title, says, true in corrections(docs))
    return f"""# Corrections to the source articles

The four source articles (see [Sources](sources.md)) are good introductions, and also wrong in places.
Each lesson corrects an error where its topic comes up: what the original says, what is true, and a run
that shows it. This page is generated from those places when the site is built.

| id | the original says | what is true | lesson |
| --- | --- | --- | --- |
{rows}
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

"""MkDocs hooks: exercise pages generated from the registry, and the nav built from what exists.

Lessons are ordered by file name (``01-...ipynb``); exercise pages come from ``autograder.pages``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from mkdocs.structure.files import File, Files

from autograder import pages, registry

GUIDES = ("guides/students.md", "guides/instructors.md")
ABOUT = ("corrections.md", "sources.md")


def on_config(config: Any) -> Any:
    docs = Path(config["docs_dir"])
    lessons = sorted(p.relative_to(docs).as_posix() for p in (docs / "lessons").glob("[0-9][0-9]-*.ipynb"))
    exercises: list[Any] = ["exercises/index.md"]
    for name, ops in registry.SETS.items():
        exercises.append({pages.set_title(name): [f"exercises/{name}/index.md",
                                                  *(f"exercises/{name}/{op.name}.md" for op in ops)]})
    nav: list[Any] = ["index.md"]
    nav.append({"Lessons": [p for p in ["lessons/index.md", *lessons] if (docs / p).exists()]})
    nav.append({"Exercises": exercises})
    nav.append({"Guides": [p for p in GUIDES if (docs / p).exists()]})
    nav += [p for p in ABOUT if (docs / p).exists()]
    config["nav"] = [item for item in nav if not isinstance(item, dict) or next(iter(item.values()))]
    return config


def on_files(files: Files, config: Any) -> Files:
    for path, content in pages.generated().items():
        files.append(File.generated(config, path, content=content))
    return files

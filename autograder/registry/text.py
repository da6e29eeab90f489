"""The teaching text of the ops: one Markdown file per op, ``pages/<set>/<op>.md`` (format: ``pages/README.md``),
read once into a :class:`Page`."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).parent / "pages"
KEYED = re.compile(r"- \{(mutant|no mutant): ([^}]*)\} ")
FIELD = re.compile(r"\{\{(\w+)\}\}")
VJP_SECTIONS = {"Function": "math", "Jacobian": "jacobian", "VJP": "vjp", "Convention": "convention"}
COMMON = {"How it is tested": "testing", "Hint": "hint"}


@dataclass(frozen=True)
class Page:
    """The teaching text of an op's exercise page (Markdown with MathJax)."""

    summary: str = ""
    math: str = ""
    """The forward function, as a formula."""
    jacobian: str = ""
    """What the Jacobian looks like (diagonal, block, sparse...)."""
    vjp: str = ""
    """The VJP formula the student should implement."""
    convention: str = ""
    """What the pinned torch does at kinks and ties, in words."""
    mistakes: Sequence[str] = ()
    mutants: Sequence[str] = ()
    """Per mistake: the mutant implementing it (``sign``), or ``""`` where the file says why there is none."""
    hint: str = ""
    sections: Sequence[tuple[str, str]] = ()
    """For exercises that are not VJPs: (heading, Markdown) pairs, in place of the function, Jacobian, VJP and
    convention sections."""
    testing: str = ""
    """For exercises that are not VJPs: how the grader tests it, in place of the VJP text."""


def parse(text: str, where: str = "") -> Page:
    """A page file's text as a Page (``{{fields}}`` left as they are)."""
    _, front, body = text.split("---\n", 2)
    fields: dict[str, object] = dict(line.split(": ", 1) for line in front.splitlines())
    sections: list[tuple[str, str]] = []
    for chunk in body.split("\n## ")[1:]:
        heading, _, content = chunk.partition("\n")
        content = content.strip("\n")
        if heading == "Common mistakes":
            bullets = re.split(r"\n(?=- )", content)
            keys = [KEYED.match(b) for b in bullets]
            if not all(keys):
                raise ValueError(f"{where}: a mistake without {{mutant: ...}} or {{no mutant: ...}}")
            fields["mutants"] = tuple(k[2] if k[1] == "mutant" else "" for k in keys)  # type: ignore[index]
            fields["mistakes"] = tuple(b[k.end():].replace("\n  ", "\n") for b, k in zip(bullets, keys, strict=True))
        elif heading == "Function":
            fields["math"] = content.removeprefix("$$\n").removesuffix("\n$$")
        elif heading in VJP_SECTIONS or heading in COMMON:
            fields[VJP_SECTIONS.get(heading) or COMMON[heading]] = content
        else:
            sections.append((heading, content))
    return Page(**fields, sections=tuple(sections))  # type: ignore[arg-type]


@functools.cache
def _read(set_name: str, name: str) -> Page:
    path = ROOT / set_name / f"{name}.md"
    return parse(FIELD.sub(lambda m: _shared(set_name, m[1]) or m[0], path.read_text(encoding="utf-8")), str(path))


def _shared(set_name: str, name: str) -> str | None:
    """The text of ``pages/<set>/_<name>.md``, written once for several pages of a set, if there is one."""
    path = ROOT / set_name / f"_{name}.md"
    return path.read_text(encoding="utf-8").rstrip("\n") if path.exists() else None


def fill(page: Page, values: Callable[[str], str]) -> Page:
    """The page with every ``{{name}}`` replaced by ``values(name)``."""

    def sub(text: str) -> str:
        return FIELD.sub(lambda m: values(m[1]), text)

    return Page(summary=sub(page.summary), math=sub(page.math), jacobian=sub(page.jacobian), vjp=sub(page.vjp),
                convention=sub(page.convention), mistakes=tuple(map(sub, page.mistakes)), mutants=page.mutants,
                hint=sub(page.hint), sections=tuple((h, sub(t)) for h, t in page.sections), testing=sub(page.testing))


def page(set_name: str, name: str, values: Callable[[str], str] | None = None) -> Page:
    """The page of op ``name`` in set ``set_name``, its ``{{fields}}`` filled by ``values``."""
    raw = _read(set_name, name)
    return fill(raw, values) if values else raw


def files() -> dict[tuple[str, str], Path]:
    """Every page file, by (set, op); not the shared texts (``_<name>.md``)."""
    return {(p.parent.name, p.stem): p for p in sorted(ROOT.glob("*/*.md")) if not p.stem.startswith("_")}


"""MkDocs hooks that keep pages light for readers (issue 14).

* Math is typeset when the site is built: TeX becomes SVG (MathJax, run once per build by
  ``tools/typeset_math.cjs`` under node), so no page loads a math renderer.
* The notebook stylesheet that mkdocs-jupyter inlines in every lesson is written once to
  ``assets/stylesheets/notebook.css`` (only the rules that match something in a lesson) and linked instead;
  its copy-button script goes to ``assets/javascripts/notebook.js``; plots are stored in at most 256
  colours as lossless WebP (about a quarter of the PNG's bytes, no visible change); nbconvert's inert
  MathJax-2 block, the empty ``<script src="">`` (which re-requested the page itself) and the unused Mermaid
  loader are dropped.
* Code cells (input and output) are kept out of the search index: it holds the lessons' prose. (Material's
  ``data-search-exclude`` cannot do it: its parser stops excluding at the first nested ``</div>``.)
"""

from __future__ import annotations

import base64
import html
import io
import json
import os
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tinycss2
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
MATHJAX = Path(os.environ.get("MATHJAX_DIR", ROOT / ".cache/mathjax"))
TYPESET = ROOT / "tools/typeset_math.cjs"
NOTEBOOK_CSS = "assets/stylesheets/notebook.css"
NOTEBOOK_JS = "assets/javascripts/notebook.js"
MATH_CSS = "assets/stylesheets/math.css"

ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
DELIMITED = re.compile(r"^\\\((.*)\\\)$|^\\\[(.*)\\\]$", re.S)
TAG = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
DOLLARS = re.compile(r"(\\\$)|\$\$(.+?)\$\$|\$((?:\\.|[^$\\])+?)\$", re.S)
MATH_REGION = re.compile(r'<div\b[^>]*\bclass="[^"]*\bjp-Rendered(?:Markdown|Latex)\b')
STYLE = re.compile(r"<style[^>]*>(.*?)</style>\s*", re.S)
SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>\s*", re.S)
COMMENT = re.compile(r"<!-- (?:Load mathjax|MathJax configuration|End of mathjax configuration) -->\s*")
CODE_CELL = '<div class="jp-Cell jp-CodeCell'
CLASS_ATTR = re.compile(r'\bclass="([^"]*)"')
PNG = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=\s]+)"')


@dataclass
class Build:
    """What one build collects from its pages."""

    typesetter: subprocess.Popen[str] | None = None
    math_css: str = ""
    notebook_css: dict[str, None] = field(default_factory=dict)  # the inlined style blocks, first-seen order
    notebook_js: dict[str, None] = field(default_factory=dict)
    classes: set[str] = field(default_factory=set)
    full_content: dict[str, str] = field(default_factory=dict)  # notebook url -> HTML, while search indexes


_build = Build()


def _typesetter() -> subprocess.Popen[str]:
    if _build.typesetter is None:
        if not (MATHJAX / "es5/node-main.js").exists():
            raise PluginError(f"MathJax is not installed at {MATHJAX}: run `make build` (it fetches it with npm)")
        _build.typesetter = subprocess.Popen(["node", str(TYPESET), str(MATHJAX)], stdin=subprocess.PIPE,
                                             stdout=subprocess.PIPE, text=True, encoding="utf-8")
        _build.math_css = json.loads(_build.typesetter.stdout.readline())["stylesheet"]
    return _build.typesetter


def typeset(formulas: list[tuple[str, bool]], where: str) -> tuple[list[str], str]:
    """SVG markup for each (tex, display) formula, and the page's shared glyph definitions."""
    process = _typesetter()
    process.stdin.write(json.dumps(formulas) + "\n")
    process.stdin.flush()
    line = process.stdout.readline()
    if not line:
        raise PluginError("the math typesetter (node) stopped")
    answer = json.loads(line)
    if "error" in answer:
        raise PluginError(f"{where}: TeX error {answer['error']!r} in {answer['tex']!r}")
    return answer["svg"], answer["defs"]


def _notebook_math(content: str) -> list[tuple[int, int, str, bool]]:
    """(start, end, tex, display) of each $...$ / $$...$$ in the text of notebook Markdown and LaTeX output."""
    found: list[tuple[int, int, str, bool]] = []
    depth = 0  # open <div>s inside the current math region; 0 = outside
    skip = 0  # inside <code>, <pre>, <script> or <style>
    pos = 0
    for part in TAG.split(content):
        if part.startswith("<"):
            name = re.match(r"</?([a-zA-Z0-9-]+)", part)
            tag = name.group(1).lower() if name else ""
            closing = part.startswith("</")
            if tag == "div" and depth:
                depth += -1 if closing else 1
            elif tag == "div" and not closing and MATH_REGION.match(part):
                depth = 1
            elif tag in ("code", "pre", "script", "style"):
                skip += -1 if closing else 1
        elif depth and not skip:
            for m in DOLLARS.finditer(part):
                if m.group(1):
                    found.append((pos + m.start(), pos + m.end(), "", False))  # \$ is a literal dollar
                else:
                    display = m.group(2) is not None
                    found.append((pos + m.start(), pos + m.end(), m.group(2 if display else 3), display))
        pos += len(part)
    return found


def typeset_page(content: str, where: str) -> str:
    """Replace every formula in a page's HTML by its SVG; the glyphs they share go once at the top."""
    spans: list[tuple[int, int, str, bool, str]] = []  # start, end, tex, display, wrapper tag
    for m in ARITHMATEX.finditer(content):
        inner = DELIMITED.match(m.group(2).strip())
        if not inner:
            raise PluginError(f"{where}: arithmatex block without \\( \\) or \\[ \\]: {m.group(2)[:80]!r}")
        display = inner.group(2) is not None
        spans.append((m.start(), m.end(), inner.group(2 if display else 1), display, m.group(1)))
    spans += [(start, end, tex, display, "") for start, end, tex, display in _notebook_math(content)]
    spans.sort()
    formulas = [(html.unescape(tex).strip(), display) for _, _, tex, display, _ in spans if tex]
    if not formulas:
        return content
    svgs, defs = typeset(formulas, where)
    # What a screen reader announces (and what Wikipedia puts in its formula images' alt text): the TeX.
    labels = [f'<svg aria-label="{html.escape(tex)}" ' for tex, _ in formulas]
    svgs = [svg.replace("<svg ", label, 1) for svg, label in zip(svgs, labels, strict=True)]
    out, last, rendered = [], 0, iter(svgs)
    for start, end, tex, _display, wrapper in spans:
        out.append(content[last:start])
        if not tex:
            out.append("$")
        elif wrapper:
            out.append(f'<{wrapper} class="arithmatex">{next(rendered)}</{wrapper}>')
        else:
            out.append(next(rendered))
        last = end
    out.append(content[last:])
    glyphs = f'<svg class="mjx-glyphs" style="display: none" aria-hidden="true">{defs}</svg>'
    return glyphs + "".join(out)


def slim_notebook(content: str, page_url: str) -> str:
    """Link the shared notebook stylesheet and script instead of inlining them; drop what does nothing."""
    has_mermaid = "jp-Mermaid" in STYLE.sub("", SCRIPT.sub("", content))
    styles = []

    def keep_style(m: re.Match[str]) -> str:
        if "jp-Mermaid" in m.group(1) and not has_mermaid:
            return ""
        styles.append(m.group(1))
        return ""

    def keep_script(m: re.Match[str]) -> str:
        attrs, body = m.group(1), m.group(2)
        if 'src=""' in attrs or "text/x-mathjax-config" in attrs:
            return ""  # nbconvert's MathJax 2 placeholder: math is typeset when the site is built
        if "mermaid" in body:
            if has_mermaid:
                raise PluginError(f"{page_url}: Mermaid diagrams would load mermaid from a CDN")
            return ""
        if "src=" in attrs or "clipboard-copy" not in body:
            return m.group(0)
        _build.notebook_js[body.strip()] = None
        return "\0script\0"

    content = COMMENT.sub("", content)
    content = SCRIPT.sub(keep_script, content)
    content = STYLE.sub(keep_style, content)
    for css in styles:
        _build.notebook_css[css.strip()] = None
    _build.classes.update(c for attr in CLASS_ATTR.findall(content) for c in attr.split())
    link = f'<link rel="stylesheet" href="{get_relative_url(NOTEBOOK_CSS, page_url)}">'
    script = f'<script src="{get_relative_url(NOTEBOOK_JS, page_url)}"></script>'
    first = content.find("\0script\0")
    if first >= 0:
        content = content[:first] + script + content[first:].replace("\0script\0", "")
    content = link + content
    return content


def lighter_png(data: bytes) -> tuple[str, bytes]:
    """The same plot in at most 256 colours (matplotlib plots use a few dozen, plus anti-aliasing shades),
    stored as lossless WebP if that is smaller than the original PNG: (mime type, bytes)."""
    image = Image.open(io.BytesIO(data))
    if image.mode == "RGBA" and image.getextrema()[3][0] == 255:
        image = image.convert("RGB")  # opaque: the alpha channel carries nothing
    if image.mode not in ("RGB", "RGBA"):
        return "image/png", data
    method = Image.Quantize.MEDIANCUT if image.mode == "RGB" else Image.Quantize.FASTOCTREE
    image = image.quantize(256, method=method, dither=Image.Dither.NONE).convert(image.mode)
    out = io.BytesIO()
    image.save(out, "WEBP", lossless=True, quality=100, method=4)  # method 6: 1% smaller, 50x slower
    return ("image/webp", out.getvalue()) if len(out.getvalue()) < len(data) else ("image/png", data)


def lighter_images(content: str) -> str:
    def encode(m: re.Match[str]) -> str:
        mime, data = lighter_png(base64.b64decode(m.group(1)))
        return f'src="data:{mime};base64,{base64.b64encode(data).decode()}"'
    return PNG.sub(encode, content)


def without_code_cells(content: str) -> str:
    """The page's HTML without its code cells (input and output): what the search index gets."""
    out, depth = [], 0
    for part in TAG.split(content):
        if depth:
            if part.startswith("<div"):
                depth += 1
            elif part.startswith("</div"):
                depth -= 1
        elif part.startswith(CODE_CELL):
            depth = 1
        else:
            out.append(part)
    return "".join(out)


def _selector_list(prelude: list[Any]) -> list[str]:
    """The selectors of a rule, split at its top-level commas (not those inside :is(...) and the like)."""
    parts: list[list[Any]] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [tinycss2.serialize(part).strip() for part in parts]


def _selector_used(selector: str, classes: set[str]) -> bool:
    if re.search(r":(is|where|has)\(", selector):
        return True
    plain = re.sub(r":not\([^)]*\)", "", selector)
    return all(c in classes for c in re.findall(r"\.(-?[_a-zA-Z][\w-]*)", plain))


def _rules(css: str, classes: set[str]) -> list[Any]:
    """The rules whose selectors can match an element of the lessons: ("rule", selectors, declarations) or
    ("at", "@media ...", children) or ("raw", text)."""
    out: list[Any] = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "qualified-rule":
            selectors = _selector_list(rule.prelude)
            used = [s for s in selectors if _selector_used(s, classes)]
            if used:
                decls = [(d.name, tinycss2.serialize(d.value).strip(), d.important)
                         for d in tinycss2.parse_blocks_contents(rule.content, skip_comments=True,
                                                                  skip_whitespace=True)
                         if d.type == "declaration"]
                out.append(("rule", ",".join(used), decls))
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("media", "supports") and rule.content:
            children = _rules(tinycss2.serialize(rule.content), classes)
            if children:
                out.append(("at", f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}", children))
        elif rule.type == "at-rule" and rule.lower_at_keyword in ("keyframes", "font-face"):
            out.append(("raw", tinycss2.serialize([rule])))
    return out


def _walk(rules: list[Any]) -> Any:
    for rule in rules:
        if rule[0] == "at":
            yield from _walk(rule[2])
        else:
            yield rule


def _serialize(rules: list[Any], needed: set[str], seen: set[str]) -> list[str]:
    out = []
    for rule in rules:
        if rule[0] == "at":
            inner = _serialize(rule[2], needed, seen)
            text = f"{rule[1]}{{{''.join(inner)}}}" if inner else ""
        elif rule[0] == "raw":
            text = rule[1]
        else:
            decls = [f"{name}:{value}{' !important' if important else ''}" for name, value, important in rule[2]
                     if not name.startswith("--") or name in needed]
            text = f"{rule[1]}{{{';'.join(decls)}}}" if decls else ""
        if text and text not in seen:
            seen.add(text)
            out.append(text)
    return out


def purge_css(css: str, classes: set[str]) -> str:
    """Only the rules whose selectors can match an element of the lessons (by class names), and only the
    custom properties (--x) those rules use, directly or through other custom properties."""
    rules = _rules(css, classes)
    var = re.compile(r"var\(\s*(--[\w-]+)")
    custom: dict[str, list[str]] = {}
    needed: set[str] = set()
    for rule in _walk(rules):
        for name, value, _ in rule[2] if rule[0] == "rule" else [("", rule[1], False)]:
            if name.startswith("--"):
                custom.setdefault(name, []).append(value)
            else:
                needed.update(var.findall(value))
    todo = list(needed)
    while todo:
        for value in custom.get(todo.pop(), []):
            for name in var.findall(value):
                if name not in needed:
                    needed.add(name)
                    todo.append(name)
    return "\n".join(_serialize(rules, needed, set()))


def on_pre_build(config: Any) -> None:
    global _build
    _build = Build()


def on_page_content(content: str, page: Any, config: Any, files: Any) -> str:
    content = typeset_page(content, page.file.src_uri)
    if not page.file.src_uri.endswith(".ipynb"):
        return content
    # The search plugin indexes page.content in on_page_context, which runs before this module's (hooks come
    # after plugins): it sees the prose only, and the page gets its code back before it is rendered.
    _build.full_content[page.url] = lighter_images(slim_notebook(content, page.url))
    return without_code_cells(_build.full_content[page.url])


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    if page.url in _build.full_content:
        page.content = _build.full_content.pop(page.url)
    return context


def on_post_build(config: Any) -> None:
    site = Path(config["site_dir"])
    process = _typesetter()
    (site / MATH_CSS).parent.mkdir(parents=True, exist_ok=True)
    (site / MATH_CSS).write_text(_build.math_css)
    if _build.notebook_css:
        css = purge_css("\n".join(_build.notebook_css), _build.classes)
        (site / NOTEBOOK_CSS).write_text(css)
        (site / NOTEBOOK_JS).parent.mkdir(parents=True, exist_ok=True)
        (site / NOTEBOOK_JS).write_text("\n".join(_build.notebook_js) + "\n")
    process.stdin.close()
    process.wait(timeout=30)
    _build.typesetter = None

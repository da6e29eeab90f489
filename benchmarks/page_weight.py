"""Page weight for readers: the bytes a browser downloads to show a page of the built site (issue 14).

Builds the site cold (every lesson executed, no notebook cache), serves it on 127.0.0.1, and loads pages in
headless Chromium (Debian's), a fresh browser for each page. Every response the server sends is counted: its
raw body bytes, and its gzip size (level 6) as any static host sends text (HTML, CSS, JavaScript, JSON, SVG);
images and fonts count raw. A *second page* is loaded in the same browser right after another page of the site,
so shared assets come from the browser's cache (a 304 Not Modified has no body: 0 bytes).

Targets: the first visit of any page at most 250 KB gzip; a second page at most 60 KB gzip; 0 requests to
another origin; 0 console errors. Build time (target 180 s) is the median of --runs cold builds.
Usage: python benchmarks/page_weight.py [--runs 3] [--site DIR (measure a built site, no build)]
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic",
        # Nothing but the local site resolves. (Playwright's request routing would block offsite requests too,
        # but it turns the HTTP cache off, and a second page must find shared assets in the cache.)
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]
COMPRESSED_BY_HOSTS = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map", ".ipynb")
FIRST_VISIT_MAX = 250 * 1024
SECOND_PAGE_MAX = 60 * 1024
KB = 1024


@dataclass
class Load:
    """What one page load cost: one row per response the server sent."""

    page: str
    responses: list[tuple[str, int, int, int]] = field(default_factory=list)  # path, status, raw, gzip
    offsite: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def raw(self) -> int:
        return sum(r[2] for r in self.responses)

    @property
    def gzip(self) -> int:
        return sum(r[3] for r in self.responses)

    def largest(self, n: int = 3) -> str:
        top = sorted(self.responses, key=lambda r: -r[3])[:n]
        return ", ".join(f"{Path(p).name or p} {g / KB:.0f}" for p, _, _, g in top)


@functools.lru_cache(maxsize=4096)
def sizes(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    return len(data), len(gzip.compress(data, 6)) if path.suffix in COMPRESSED_BY_HOSTS else len(data)


class CountingServer(http.server.ThreadingHTTPServer):
    """Serves a directory like a static host (304 on If-Modified-Since) and logs what each response sent."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.log: list[tuple[str, int, int, int]] = []
        self.lock = threading.Lock()
        server = self

        class Handler(http.server.SimpleHTTPRequestHandler):
            def __init__(self, *args: object, **kwargs: object) -> None:
                super().__init__(*args, directory=str(site), **kwargs)

            def send_response(self, code: int, message: str | None = None) -> None:
                self._status = code
                super().send_response(code, message)

            def do_GET(self) -> None:
                super().do_GET()
                path = Path(self.translate_path(self.path))
                if path.is_dir():
                    path = path / "index.html"
                status = getattr(self, "_status", 0)
                raw, packed = sizes(path) if status == 200 and path.is_file() else (0, 0)
                with server.lock:
                    server.log.append((urlsplit(self.path).path, status, raw, packed))

            def log_message(self, format: str, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def take(self) -> list[tuple[str, int, int, int]]:
        with self.lock:
            log, self.log = self.log, []
        return log


@contextlib.contextmanager
def serve(site: Path) -> Iterator[CountingServer]:
    server = CountingServer(site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def settle(server: CountingServer, quiet: float = 1.0, limit: float = 20.0) -> None:
    """Wait until the server has answered nothing new for `quiet` seconds (the search worker loads late)."""
    end, seen, since = time.monotonic() + limit, -1, time.monotonic()
    while time.monotonic() < end:
        with server.lock:
            count = len(server.log)
        if count != seen:
            seen, since = count, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        time.sleep(0.1)


def load_pages(browser: object, server: CountingServer, pages: list[str]) -> list[Load]:
    """Load `pages` one after the other in one fresh browser context (its own empty cache)."""
    context = browser.new_context()
    tab = context.new_page()
    loads: list[Load] = []
    tab.on("pageerror", lambda err: loads[-1].errors.append(str(err)))
    tab.on("console", lambda msg: loads[-1].errors.append(msg.text) if msg.type == "error" else None)

    def request(r: object) -> None:
        if not r.url.startswith((server.url, "data:")):
            loads[-1].offsite.append(r.url)

    context.on("request", request)
    try:
        for page in pages:
            server.take()
            loads.append(Load(page))
            tab.goto(f"{server.url}/{page}", wait_until="networkidle")
            settle(server)
            loads[-1].responses = server.take()
    finally:
        context.close()
    return loads


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


def page_of(site: Path, html: Path) -> str:
    return html.parent.relative_to(site).as_posix().removesuffix(".") + "/" if html.parent != site else ""


def heaviest(site: Path, pattern: str) -> str:
    """The page among `pattern` whose HTML is largest after gzip (lessons carry their plots inline)."""
    return page_of(site, max(site.glob(pattern), key=lambda p: sizes(p)[1]))


def lessons(site: Path) -> list[str]:
    return [page_of(site, p) for p in sorted(site.glob("lessons/[0-9][0-9]-*/index.html"))]


def scenarios(site: Path) -> list[tuple[str, str, str | None, bool]]:
    """(label, page, page visited just before in the same browser or None, held to a target)."""
    lesson = heaviest(site, "lessons/[0-9][0-9]-*/index.html")
    other_lesson = next(p for p in lessons(site) if p != lesson)
    exercise = heaviest(site, "exercises/*/*/index.html")
    return [("heaviest lesson, first visit", lesson, None, True),
            (f"heaviest lesson, after /{other_lesson}", lesson, other_lesson, True),
            ("heaviest lesson, after the home page", lesson, "", False),
            ("an exercise page (heaviest), first visit", exercise, None, True),
            ("an exercise page, after the home page", exercise, "", True),
            ("home, first visit", "", None, True),
            ("home, after the heaviest lesson", "", lesson, True)]


def build(site: Path) -> float:
    env = {**os.environ, "MKDOCS_JUPYTER_CACHE": "false", "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-q", "-d", str(site)],
                   cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def row(label: str, load: Load) -> str:
    return (f"| {label} | `/{load.page}` | {len(load.responses)} | {load.raw / KB:,.0f} KB | {load.gzip / KB:,.0f} KB "
            f"| {load.largest()} |")


def report(site: Path) -> bool:
    lines = ["| page | path | requests | raw | gzip | largest (gzip KB) |", "|---|---|---:|---:|---:|---|"]
    ok, loads = True, []
    with serve(site) as server:
        for label, page, before, target in scenarios(site):
            with chromium() as browser:  # a fresh browser for each page
                load = load_pages(browser, server, [page] if before is None else [before, page])[-1]
            limit = FIRST_VISIT_MAX if before is None else SECOND_PAGE_MAX
            ok &= load.gzip <= limit or not target
            lines.append(row(label if target else f"{label} (notebook assets not cached yet; shown, no target)", load))
            loads.append(load)
    print("\n".join(lines))
    offsite = sum(len(load.offsite) for load in loads)
    errors = [e for load in loads for e in load.errors]
    ok &= not offsite and not errors
    print(f"\nrequests to another origin: {offsite}; console errors: {len(errors)} {errors[:3]}")
    print(f"targets: first visit <= {FIRST_VISIT_MAX // KB} KB gzip, second page <= {SECOND_PAGE_MAX // KB} KB gzip: "
          f"{'met' if ok else 'NOT met'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="cold builds to time (the last one is measured)")
    parser.add_argument("--site", type=Path, help="measure this built site instead of building one")
    args = parser.parse_args()
    if args.site:
        report(args.site.resolve())
        return
    with tempfile.TemporaryDirectory(prefix="page-weight-") as tmp:
        times = [build(Path(tmp) / f"site{i}") for i in range(args.runs)]
        print(f"cold `mkdocs build --strict`: median {statistics.median(times):.1f} s over {args.runs} runs "
              f"({', '.join(f'{t:.1f}' for t in times)}); target 180 s\n")
        report(Path(tmp) / f"site{args.runs - 1}")


if __name__ == "__main__":
    main()

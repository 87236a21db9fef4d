"""The demo site as a person sees it: headless Chromium, driven by Playwright.

One build of the demo data per session, into a temporary folder, served on
127.0.0.1 with the Content-Security-Policy header a server should send; one
browser for every test. Never skipped: when Chromium or axe-core is missing the
tests fail and say to run ``make browser-deps``.
"""

from __future__ import annotations

import csv
import functools
import http.server
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Dialog,
    Page,
    Request,
    sync_playwright,
)

from generator import cli

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
CONFIG = REPO / "mkdocs.yml"
DATA = REPO / "data"
ARTIFACTS = REPO / "test-artifacts"
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = Path(os.environ.get("SUNSHINE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
INSTALL_HINT = "run `make browser-deps` (Debian's chromium and axe-core from npm)"

# The policy every page publishes in a <meta> element (site_src/overrides/main.html)
# and that a server sends as a header (site_src/about/index.md), where
# frame-ancestors is added: browsers ignore it in a <meta> element.
# 'wasm-unsafe-eval': search (Pagefind) compiles its WebAssembly engine; no JS eval.
CSP_META = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self' 'wasm-unsafe-eval'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'"
)
CSP_HEADER = CSP_META + "; frame-ancestors 'none'"

SERVER_HOST = "127.0.0.1"
PAGE_KINDS = (
    "home",
    "project",
    "region",
    "projects_index",
    "announcement",
    "data",
    "dictionary",
    "search",
)
CHART_KINDS = ("home", "region")
TIMEOUT_MS = 15_000

# Records what the page reports itself: every CSP violation, before any page script.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline"));
});
"""


# --- The site: built once, served on localhost -------------------------------------------


def build_site(out: Path, data: Path = DATA) -> Path:
    """Build the site with the same adapter as ``sunshine build``."""
    code = cli.main(["build", "-f", str(CONFIG), "--data", str(data), "-d", str(out)])
    assert code == 0, f"sunshine build exited with {code}"
    return out


class CspHandler(http.server.SimpleHTTPRequestHandler):
    """Static files with the site's Content-Security-Policy header; no access log."""

    def end_headers(self) -> None:
        self.send_header("Content-Security-Policy", CSP_HEADER)
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        return


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve ``root`` on 127.0.0.1 (a free port) in a daemon thread; yield its base URL."""
    handler = functools.partial(CspHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer((SERVER_HOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{SERVER_HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@dataclass(frozen=True)
class Site:
    """The built demo site, its address, and one page of each kind."""

    root: Path
    url: str
    pages: dict[str, str]

    def address(self, kind_or_path: str) -> str:
        return self.url + self.pages.get(kind_or_path, kind_or_path)

    @property
    def project_id(self) -> str:
        return Path(self.pages["project"]).stem


def _pages_in(root: Path, folder: str) -> list[Path]:
    return sorted(p for p in (root / folder).glob("*.html") if p.name != "index.html")


def _fund_rows(root: Path, project: Path) -> int:
    slice_csv = root / "data" / "slices" / "projects" / project.stem / "funds.csv"
    if not slice_csv.is_file():
        return 0
    with slice_csv.open(encoding="utf-8", newline="") as f:
        return sum(1 for _ in csv.DictReader(f))


def find_page_kinds(root: Path) -> dict[str, str]:
    """One page of each kind, found in the built site (the richest where it matters)."""
    projects = _pages_in(root, "projects")
    project = max(projects, key=lambda p: _fund_rows(root, p))  # first of the richest
    charted = [p for p in _pages_in(root, "regions") if "sunshine-chart" in p.read_text("utf-8")]
    assert charted, "no region page has a chart"
    announcements = _pages_in(root, "announcements")
    assert announcements, "no announcement page was built"
    found = {
        "home": "index.html",
        "project": f"projects/{project.name}",
        "region": f"regions/{charted[0].name}",
        "projects_index": "projects/index.html",
        "announcement": f"announcements/{announcements[0].name}",
        "data": "data/index.html",
        "dictionary": "data/dictionary.html",
        "search": "search.html",
    }
    for path in found.values():
        assert (root / path).is_file(), f"{path} was not built"
    return found


@pytest.fixture(scope="session")
def site_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site, built once per session."""
    return build_site(tmp_path_factory.mktemp("browser") / "site")


@pytest.fixture(scope="session")
def site(site_root: Path) -> Iterator[Site]:
    """The demo site served on localhost with the CSP header."""
    with serve(site_root) as url:
        yield Site(site_root, url, find_page_kinds(site_root))


# --- The browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium (no downloaded browser: this machine cannot fetch one)."""
    if not CHROMIUM.is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: {INSTALL_HINT}", pytrace=False)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's browser build, installed by ``npm ci --prefix tests/browser``."""
    if not AXE_JS.is_file():
        pytest.fail(f"no axe-core at {AXE_JS}: {INSTALL_HINT}", pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


@dataclass
class RequestLog:
    """Every URL any test's browser asked for, in order."""

    urls: list[str] = field(default_factory=list)

    def add(self, request: Request) -> None:
        self.urls.append(request.url)

    def foreign(self, start: int = 0) -> list[str]:
        """URLs (from position ``start``) that would leave this machine."""
        return [url for url in self.urls[start:] if not is_local(url)]


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("data", "blob") or parts.hostname == SERVER_HOST


@pytest.fixture(scope="session")
def request_log() -> RequestLog:
    return RequestLog()


NewContext = Callable[..., BrowserContext]


@pytest.fixture
def new_context(browser: Browser, request_log: RequestLog) -> Iterator[NewContext]:
    """Make browser contexts that log every request; after the test, none may leave."""
    made: list[BrowserContext] = []
    start = len(request_log.urls)

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("request", request_log.add)
        context.add_init_script(CSP_LISTENER)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()
    assert request_log.foreign(start) == [], "requests left localhost"


@pytest.fixture
def context(new_context: NewContext) -> BrowserContext:
    """A desktop-sized context with JavaScript on and a light system palette."""
    return new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")


# --- A visited page -------------------------------------------------------------------------


@dataclass
class Visit:
    """A page and everything it reported: console errors, uncaught errors, dialogs."""

    page: Page
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def on_dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def csp_violations(self) -> list[str]:
        return list(self.page.evaluate("window.__cspViolations || []"))

    def problems(self) -> dict[str, list[str]]:
        """Everything that went wrong, by kind; empty lists when the page is clean."""
        return {
            "console errors": self.console_errors,
            "page errors": self.page_errors,
            "dialogs": self.dialogs,
            "CSP violations": self.csp_violations(),
        }

    def assert_clean(self) -> None:
        problems = {kind: found for kind, found in self.problems().items() if found}
        assert problems == {}, f"{self.page.url}: {problems}"

    def render_charts(self) -> int:
        """Scroll every chart into view (they render when seen); wait for Vega's output."""
        figures = self.page.locator("figure.sunshine-chart")
        for index in range(figures.count()):
            figure = figures.nth(index)
            figure.scroll_into_view_if_needed()
            live = figure.locator(".sunshine-chart__vega svg, .sunshine-chart__vega canvas")
            live.first.wait_for(state="attached")
        return figures.count()


def visit(context: BrowserContext, url: str) -> Visit:
    """Open ``url`` in a new tab, recording what the page reports."""
    page = context.new_page()
    seen = Visit(page)
    page.on("console", seen.on_console)
    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))
    page.on("dialog", seen.on_dialog)
    page.goto(url, wait_until="load")
    return seen

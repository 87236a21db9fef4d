"""Security as a browser enforces it: nothing leaves localhost, the pages work under
the site's Content-Security-Policy (published in a meta element and documented for
server operators), and a hostile project title stays text."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from .conftest import (
    CSP_HEADER,
    CSP_META,
    DATA,
    PAGE_KINDS,
    RequestLog,
    Site,
    build_site,
    serve,
    visit,
)

HOSTILE_TITLE = "</title><script>alert(1)</script>"


def directives(policy: str) -> dict[str, str]:
    """A policy as {directive: sources}, whitespace-insensitive."""
    parts = (" ".join(part.split()) for part in policy.split(";"))
    return {part.split(" ", 1)[0]: part.partition(" ")[2] for part in parts if part}


# --- Requests -----------------------------------------------------------------------------


def test_no_request_leaves_localhost(
    site: Site, context: BrowserContext, request_log: RequestLog
) -> None:
    """Every test's requests are checked after it (the new_context fixture); this one
    shows the log sees what pages load later: the chart library, the static chart
    images, and search's script, WebAssembly engine and the index chunks of a query."""
    start = len(request_log.urls)
    seen = visit(context, site.address("home"))
    seen.render_charts()
    search = visit(context, site.address("search.html?q=poverty"))
    search.page.locator("#sunshine-search-results li").first.wait_for()
    search.page.wait_for_load_state("networkidle")
    asked = [url.split("?")[0] for url in request_log.urls[start:]]
    endings = ("vega-bundle.js", ".min.js", ".svg", "pagefind.js", ".pagefind")
    for ending in (*endings, ".pf_meta", ".pf_index", ".pf_fragment"):
        assert any(url.endswith(ending) for url in asked), f"no request for *{ending}"
    search.assert_clean()
    assert request_log.foreign(start) == []
    assert not request_log.foreign(), "a test before this one asked another host"


# --- Content-Security-Policy ---------------------------------------------------------------


def policy_of(page: Page) -> dict[str, object]:
    """The page's CSP meta elements and where the first one sits in <head>."""
    return dict(
        page.evaluate(
            """() => {
                const head = Array.from(document.head.children);
                const csp = "meta[http-equiv='Content-Security-Policy']";
                const metas = head.filter(e => e.matches(csp));
                const loads = head.filter(e => e.matches("script, link[rel='stylesheet'], style"));
                return {
                    policies: metas.map(m => m.content),
                    before_loads: metas.length > 0 && loads.every(
                        e => head.indexOf(e) > head.indexOf(metas[0])),
                };
            }"""
        )
    )


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_meta_policy_matches_the_header(kind: str, site: Site, context: BrowserContext) -> None:
    page = context.new_page()
    response = page.goto(site.address(kind), wait_until="load")
    assert response is not None
    header = directives(response.headers["content-security-policy"])
    assert header == directives(CSP_HEADER)
    found = policy_of(page)
    assert isinstance(found["policies"], list) and len(found["policies"]) == 1
    meta = directives(found["policies"][0])
    assert meta == {name: value for name, value in header.items() if name != "frame-ancestors"}
    assert meta == directives(CSP_META)
    assert found["before_loads"] is True, "the meta policy must come before scripts and styles"


def test_about_page_documents_the_header_for_server_operators(
    site: Site, context: BrowserContext
) -> None:
    page = context.new_page()
    page.goto(site.address("about/index.html"), wait_until="load")
    code = page.locator("article pre code").all_inner_texts()
    documented = [
        line.split(":", 1)[1]
        for text in code
        for line in text.splitlines()
        if line.startswith("Content-Security-Policy:")
    ]
    assert [directives(policy) for policy in documented] == [directives(CSP_HEADER)]


def runs_as_script(script_type: str | None) -> bool:
    """Whether a <script> of this type runs (JSON and JSON-LD are data: CSP lets them be)."""
    kind = (script_type or "").strip().lower()
    return kind in ("", "module") or "javascript" in kind or "ecmascript" in kind


class InlineCode(HTMLParser):
    """Collects what a strict policy blocks: inline scripts, <style>, style=, on*=."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and "src" not in names and runs_as_script(names.get("type")):
            self.found.append("inline <script>")
        if tag == "style":
            self.found.append("<style>")
        self.found.extend(
            f"{name}= on <{tag}>" for name in names if name == "style" or name.startswith("on")
        )


def test_no_built_page_has_inline_script_or_style(site: Site) -> None:
    blocked: dict[str, list[str]] = {}
    for html in sorted(site.root.rglob("*.html")):
        parser = InlineCode()
        parser.feed(html.read_text(encoding="utf-8"))
        if parser.found:
            blocked[str(html.relative_to(site.root))] = sorted(set(parser.found))
    assert blocked == {}


# --- A hostile title ----------------------------------------------------------------------


def make_title_hostile(package: Path) -> str:
    """Give the first project of ``package`` the hostile title; return its id."""
    path = package / "projects.csv"
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or [])
        rows = list(reader)
    rows[0]["title"] = HOSTILE_TITLE
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return rows[0]["id"]


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """The demo data with one hostile project title, built and served: (url, project id)."""
    root = tmp_path_factory.mktemp("hostile")
    package = root / "data" / "lijiang-2019"
    shutil.copytree(DATA / "lijiang-2019", package)
    project_id = make_title_hostile(package)
    with serve(build_site(root / "site", root / "data")) as url:
        yield url, project_id


def test_hostile_title_is_shown_as_text(
    hostile_site: tuple[str, str], context: BrowserContext
) -> None:
    url, project_id = hostile_site
    for path in (f"projects/{project_id}.html", "projects/index.html"):
        seen = visit(context, url + path)
        page = seen.page
        assert seen.dialogs == []
        assert page.evaluate("document.querySelectorAll('head title').length") == 1
        scripts = page.evaluate(
            "Array.from(document.scripts).filter(s => s.text.includes('alert(1)')).length"
        )
        assert scripts == 0
        assert HOSTILE_TITLE in page.locator("article").inner_text()
        seen.assert_clean()
    page = visit(context, url + f"projects/{project_id}.html").page
    heading = page.locator("article h1").evaluate("h1 => h1.firstChild.textContent")
    assert heading == HOSTILE_TITLE
    assert "alert(1)" in page.title()
    # Search results: Pagefind's titles and excerpts hold the title's text unescaped;
    # it is shown as text, and only <mark> elements are made from an excerpt.
    seen = visit(context, url + "search.html?q=alert")
    link = seen.page.locator(f"#sunshine-search-results li a[href$='/projects/{project_id}.html']")
    assert link.inner_text() == HOSTILE_TITLE
    results = seen.page.locator("#sunshine-search-results")
    assert results.locator("script, title").count() == 0
    tags = results.evaluate("r => [...new Set([...r.querySelectorAll('*')].map(e => e.localName))]")
    assert set(tags) <= {"p", "ol", "li", "a", "mark"}
    assert seen.dialogs == []
    seen.assert_clean()

"""End to end, SLOW (about half a minute): the demo data through MkDocs to a static site.

Builds the real demo site three times: once with plain ``mkdocs build --strict`` in a
subprocess (as a user would), once with ``sunshine build`` in-process, and once with
broken data (which must fail and leave the previous site untouched). Not skipped:
these are the tests that show the parts fit together.
"""

from __future__ import annotations

import csv
import filecmp
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest

from generator import cli

REPO = Path(__file__).resolve().parent.parent
CONFIG = REPO / "mkdocs.yml"
DEMO = REPO / "data" / "lijiang-2019"
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


@pytest.fixture(scope="module")
def mkdocs_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site built by ``python -m mkdocs build --strict``."""
    out = tmp_path_factory.mktemp("mkdocs") / "site"
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(CONFIG)]
    done = subprocess.run(
        [*command, "-d", str(out)], cwd=REPO, env=ENV, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def sunshine_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site built by ``sunshine build`` (MkDocs strict mode, in-process)."""
    out = tmp_path_factory.mktemp("sunshine") / "site"
    assert cli.main(["build", "-f", str(CONFIG), "-d", str(out)]) == 0
    return out


def rows(resource: str) -> list[dict[str, str]]:
    with (DEMO / f"{resource}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def html_pages(site: Path) -> Iterator[Path]:
    yield from sorted(site.rglob("*.html"))


def test_every_page_kind_is_built(mkdocs_site: Path) -> None:
    for page in (
        "index.html",
        "projects/index.html",
        "regions/index.html",
        "programs/index.html",
        "sources/index.html",
        "years/index.html",
        "announcements/index.html",
        "data/index.html",
        "data/dictionary.html",
        "about/index.html",
        "about/how-to-read.html",
        "about/feedback.html",
        "404.html",
        "search.html",
        "pagefind/pagefind.js",
        "sitemap.xml",
        "assets/vendor/vega-bundle.js",
        "assets/javascripts/sunshine.js",
        "assets/stylesheets/sunshine.css",
        "assets/images/logo.svg",
    ):
        assert (mkdocs_site / page).is_file(), page
    expected = {
        "projects": {r["id"] for r in rows("projects")},
        "regions": {r["code"] for r in rows("regions")},
        "programs": {r["id"] for r in rows("programs")},
        "sources": {r["source_type"] for r in rows("funds")},
        "years": {r["year"] for r in rows("projects")},
        "announcements": {r["id"] for r in rows("announcements")},
    }
    for kind, keys in expected.items():
        missing = sorted(k for k in keys if not (mkdocs_site / kind / f"{k}.html").is_file())
        assert not missing, f"{kind}: no page for {missing}"
    assert not (mkdocs_site / "overrides").exists()  # theme templates are not content


def test_every_chart_has_its_static_svg(mkdocs_site: Path) -> None:
    specs = sorted(mkdocs_site.glob("charts/**/*.vl.json"))
    assert specs
    for spec in specs:
        svg = spec.with_name(spec.name.removesuffix(".vl.json") + ".svg")
        assert svg.is_file() and svg.read_bytes().startswith(b"<svg"), svg


def test_the_nav_stays_small(mkdocs_site: Path) -> None:
    """Generated pages are never in the menu (build time would grow with pages x nav)."""
    page = (mkdocs_site / "projects" / f"{rows('projects')[0]['id']}.html").read_text("utf-8")
    nav_links = page.count('class="md-nav__link')
    assert nav_links < 60, nav_links


def test_two_builds_are_byte_identical(mkdocs_site: Path, sunshine_site: Path) -> None:
    left = sorted(p.relative_to(mkdocs_site) for p in mkdocs_site.rglob("*") if p.is_file())
    right = sorted(p.relative_to(sunshine_site) for p in sunshine_site.rglob("*") if p.is_file())
    assert left == right
    _, mismatch, errors = filecmp.cmpfiles(mkdocs_site, sunshine_site, left, shallow=False)
    assert mismatch == [] and errors == []


class References(HTMLParser):
    """The URLs a page makes the browser fetch, and its plain links."""

    FETCHED = {
        ("script", "src"),
        ("link", "href"),
        ("img", "src"),
        ("img", "srcset"),
        ("source", "src"),
        ("source", "srcset"),
        ("iframe", "src"),
        ("video", "src"),
        ("audio", "src"),
        ("embed", "src"),
        ("object", "data"),
        ("image", "href"),
        ("use", "href"),
    }

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if (tag, name) in self.FETCHED and value:
                self.fetched.append(value)
            if name == "style" and value:
                self.styles.append(value)
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)


def is_external(url: str) -> bool:
    return url.strip().lower().startswith(("http:", "https:", "//", "ftp:"))


def test_no_page_makes_a_request_to_another_host(mkdocs_site: Path) -> None:
    offenders: list[str] = []
    for page in html_pages(mkdocs_site):
        parser = References()
        parser.feed(page.read_text("utf-8"))
        for url in parser.fetched:
            if is_external(url):
                offenders.append(f"{page.relative_to(mkdocs_site)}: {url}")
        for style in parser.styles:
            if "url(" in style and ("http:" in style or "https:" in style or "//" in style):
                offenders.append(f"{page.relative_to(mkdocs_site)}: style {style[:80]}")
    for sheet in mkdocs_site.glob("assets/stylesheets/*.css"):
        text = sheet.read_text("utf-8")
        if "@import" in text or "fonts.googleapis" in text:
            offenders.append(f"{sheet.name}: imports")
    assert not offenders, "\n".join(offenders[:20])


class Anchors(HTMLParser):
    """A page's ids, and the links and sources of its content (the ``article``)."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.refs: list[str] = []
        self._in_article = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        self._in_article = self._in_article or tag == "article"
        if self._in_article:
            self.refs += [v for n, v in attrs if n in ("href", "src") and v]

    def handle_endtag(self, tag: str) -> None:
        self._in_article = self._in_article and tag != "article"


def anchors_of(page: Path) -> Anchors:
    parser = Anchors()
    parser.feed(page.read_text("utf-8"))
    return parser


def test_every_link_of_every_page_resolves(mkdocs_site: Path) -> None:
    """Links in pages MkDocs never converted (generated pages are HTML) lead somewhere.

    Every relative ``href`` and ``src`` of a page's content is a file of the site, and
    every ``#fragment`` an id on the page it names.
    """
    pages = {page.resolve(): anchors_of(page) for page in html_pages(mkdocs_site)}
    broken: list[str] = []
    checked = fragments = 0
    for page, found in pages.items():
        for ref in found.refs:
            if is_external(ref) or ref.startswith(("mailto:", "tel:")):
                continue
            path, _, fragment = ref.partition("#")
            target = (page.parent / unquote(path.split("?")[0])).resolve() if path else page
            checked += 1
            if not target.is_file():
                broken.append(f"{page.relative_to(mkdocs_site.resolve())}: {ref}")
            elif fragment and target.suffix == ".html":
                fragments += 1
                if unquote(fragment) not in pages[target].ids:
                    broken.append(f"{page.relative_to(mkdocs_site.resolve())}: {ref} (no such id)")
    assert not broken, "\n".join(broken[:20])
    assert checked > 1000 and fragments > 100, (checked, fragments)


def test_chart_svgs_fetch_nothing(mkdocs_site: Path) -> None:
    for svg in mkdocs_site.glob("charts/**/*.svg"):
        text = svg.read_text("utf-8")
        for marker in ("@import", "@font-face", 'href="http', "url(http"):
            assert marker not in text, f"{svg}: {marker}"


def test_chinese_is_searchable(mkdocs_site: Path) -> None:
    entry = json.loads((mkdocs_site / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == ["zh"]  # Pagefind segments the Chinese text
    assert not (mkdocs_site / "search" / "search_index.json").exists()  # one index only


def test_the_feedback_page_lists_the_contacts_in_the_data(mkdocs_site: Path) -> None:
    page = (mkdocs_site / "about" / "feedback.html").read_text("utf-8")
    assert "sunshine:feedback-contacts" not in page
    for row in rows("announcements"):
        if row["contact_url"].startswith("mailto:"):
            assert row["contact_url"] in page


def test_bad_data_leaves_the_previous_site_untouched(
    mkdocs_site: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    shutil.copytree(mkdocs_site, site)
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    broken = tmp_path / "data"
    shutil.copytree(DEMO.parent, broken)
    projects = broken / DEMO.name / "projects.csv"
    with projects.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    table[1][table[0].index("region")] = "no-such-place"
    with projects.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(table)

    code = cli.main(["build", "-f", str(CONFIG), "-d", str(site), "--data", str(broken)])

    assert code == 1
    assert "no-such-place" in capsys.readouterr().out  # the problem, not a traceback
    after = {p: p.stat().st_mtime_ns for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "site"]  # no leftovers


def test_export_writes_the_generated_files(tmp_path: Path) -> None:
    out = tmp_path / "export"
    assert cli.main(["export", "-f", str(CONFIG), str(out)]) == 0
    assert (out / "index.md").is_file() and (out / "projects" / "index.md").is_file()
    assert (out / "assets" / "vendor" / "vega-bundle.js").is_file()
    assert not (out / "about").exists()  # hand-written pages are not generated files
    mtime = (out / "index.md").stat().st_mtime_ns
    assert cli.main(["export", "-f", str(CONFIG), str(out)]) == 0
    assert (out / "index.md").stat().st_mtime_ns == mtime
    assert cli.main(["export", "-f", str(CONFIG), str(REPO / "site_src")]) == 2


def _mkdocs_build(site: Path, data: Path, *, dirty: bool, startup: bool = True) -> None:
    """Build as ``mkdocs serve [--dirty]`` does: one plugin instance across rebuilds."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    from generator.plugin import overrides

    with overrides(data_dir=data):
        config = load_config(str(CONFIG), site_dir=str(site))
        if startup:
            config.plugins.on_startup(command="serve", dirty=dirty)
        build(config, dirty=dirty)


def _retitle_first_project(data: Path) -> str:
    projects = data / DEMO.name / "projects.csv"
    with projects.open(encoding="utf-8", newline="") as f:
        table = list(csv.reader(f))
    table[1][table[0].index("title")] += " (retitled)"
    with projects.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(table)
    return table[1][table[0].index("id")]


def test_a_dirty_rebuild_writes_only_what_changed_and_equals_a_clean_build(
    tmp_path: Path,
) -> None:
    data, dirty_site, clean_site = tmp_path / "data", tmp_path / "dirty", tmp_path / "clean"
    shutil.copytree(DEMO.parent, data)
    _mkdocs_build(dirty_site, data, dirty=True)
    before = {p: p.stat().st_mtime_ns for p in dirty_site.rglob("*") if p.is_file()}
    project = _retitle_first_project(data)
    _mkdocs_build(dirty_site, data, dirty=True, startup=False)  # serve's rebuild
    _mkdocs_build(clean_site, data, dirty=False)

    pages = sorted(p.relative_to(clean_site) for p in clean_site.rglob("*.html"))
    assert pages == sorted(p.relative_to(dirty_site) for p in dirty_site.rglob("*.html"))
    for page in pages:
        assert (dirty_site / page).read_bytes() == (clean_site / page).read_bytes(), page
    rewritten = {p for p, t in before.items() if p.stat().st_mtime_ns != t}
    assert dirty_site / "projects" / f"{project}.html" in rewritten
    assert len(rewritten) < len(before) / 10  # the rest kept their bytes and times

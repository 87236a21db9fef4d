"""Hostile data: each case builds a safe site, or stops with a stable code at the right place.

The cases are the folders of ``fixtures/hostile/`` (see its README), each laid
over the minimal package. A case that builds is checked page by page: every
generated page as the site shows it (an HTML page's body as written, a Markdown
page rendered with the Markdown extensions of mkdocs.yml) holds no script, event
handler, javascript: link or image from the data, no template syntax, and shows
the hostile text as text. A case that fails never replaces the last good site.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markdown
import pytest
import yaml
from datadir import FIXTURES, DataDir, errors, find, resource_of

from generator.build import build_site
from generator.cli import main
from generator.config import SiteConfig
from generator.problems import DataError, Problem
from generator.site import Site, SiteFile

HOSTILE = FIXTURES / "hostile"
MKDOCS_YML = Path(__file__).parents[1] / "mkdocs.yml"
EVIL = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "![x](http://evil.example/x.png)",
    "{{ config }}",
    '{% include "x" %}',
)
# The scripts pages may hold: chart specs and the datasets' JSON-LD (data, never code).
DATA_SCRIPTS = {("application/json", "sunshine-chart__spec"), ("application/ld+json", None)}
OWN_IMAGE = re.compile(r"(\.\./)*charts/[a-z0-9/._-]+\.svg")
TEMPLATE = re.compile(r"\{[{%#]")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)


# Markdown as the site renders it


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml; its ``!!python/name:`` and ``!ENV`` tags are not needed here."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def markdown_settings() -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The ``markdown_extensions`` of mkdocs.yml: names and their settings."""
    config = yaml.load(MKDOCS_YML.read_text("utf-8"), Loader=_Loader)  # noqa: S506
    names: list[str] = []
    settings: dict[str, dict[str, Any]] = {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if options:
            settings[name] = options
    return names, settings


def render(page: str) -> str:
    """A generated page as MkDocs renders its Markdown (front matter left out)."""
    names, settings = markdown_settings()
    body = FRONT_MATTER.sub("", page)
    return markdown.markdown(body, extensions=names, extension_configs=settings)


# What a page may hold


class _Scan(HTMLParser):
    """Tags, attributes and script contents of an HTML page, as a browser parses them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.scripts: list[tuple[dict[str, str], str]] = []
        self._script: dict[str, str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.tags.append((tag, values))
        if tag == "script":
            self._script = values
            self.scripts.append((values, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)


def scan(page_html: str) -> _Scan:
    """Parse ``page_html``."""
    parser = _Scan()
    parser.feed(page_html)
    parser.close()
    return parser


def assert_safe(page_html: str, where: str) -> None:
    """No script but data scripts, no handler, no javascript: link, no image from data."""
    found = scan(page_html)
    for tag, attrs in found.tags:
        assert not [a for a in attrs if a.startswith("on")], (where, tag, attrs)
        assert tag not in ("iframe", "object", "embed", "base", "form", "style"), (where, tag)
        for name in ("href", "src", "action", "formaction", "srcset"):
            value = re.sub(r"\s", "", attrs.get(name, "")).lower()
            assert not value.startswith(("javascript:", "data:", "vbscript:")), (where, attrs)
        if tag == "img":
            assert OWN_IMAGE.fullmatch(attrs.get("src", "")), (where, attrs)
    for attrs, content in found.scripts:
        assert (attrs.get("type"), attrs.get("class")) in DATA_SCRIPTS, (where, attrs)
        json.loads(content)
        assert "</script" not in content.lower(), where
    outside_scripts = re.sub(r"<script\b.*?</script>", "", page_html, flags=re.S)
    assert not TEMPLATE.search(outside_scripts), (where, TEMPLATE.search(outside_scripts))


def pages(site: Site) -> dict[str, SiteFile]:
    """Every generated page of a site, by path."""
    return {f.path: f for f in site if f.path.endswith(".md")}


def page_html(page: SiteFile) -> str:
    """The page as the site shows it: an HTML body as written, Markdown rendered."""
    text = page.content.decode("utf-8")
    return FRONT_MATTER.sub("", text) if page.html_body else render(text)


def rendered_safe_pages(site: Site) -> dict[str, str]:
    """Render every page, check it is safe, return the text a reader gets (unescaped)."""
    shown: dict[str, str] = {}
    for path, page in pages(site).items():
        body = FRONT_MATTER.sub("", page.content.decode("utf-8"))
        assert not TEMPLATE.search(body), (path, "template syntax")
        found = page_html(page)
        assert_safe(found, path)
        shown[path] = html.unescape(found)
    return shown


# Building a case


def with_case(data_dir: DataDir, case: str, *edits: Callable[[dict[str, Any]], Any]) -> Path:
    """The minimal package with the case's files laid over it and descriptor edits applied."""
    data_dir.add_package(overlay=f"hostile/{case}" if (HOSTILE / case).is_dir() else None)
    for change in edits:
        data_dir.edit_descriptor("minimal", change)
    return data_dir.root


def build(data: Path, tmp_path: Path) -> Site:
    """Build the site from ``data`` (charts cached per test)."""
    return build_site(SiteConfig(data_dir=data, cache_dir=tmp_path / "cache"))


def cells(case: str, resource: str) -> list[dict[str, str]]:
    """The rows of a case's CSV file as written."""
    raw = (HOSTILE / case / f"{resource}.csv").read_bytes().decode("utf-8")
    return list(csv.DictReader(io.StringIO(raw, newline="")))


def hostile_values() -> list[str]:
    """Every text cell of markup-everywhere: each starts with ``resource.field.row``."""
    values = []
    for file in sorted((HOSTILE / "markup-everywhere").glob("*.csv")):
        for row in cells("markup-everywhere", file.stem):
            values += [v for v in row.values() if re.match(r"[a-z_]+\.[a-z_]+\.\d+ ", v)]
    return values


def set_texts(descriptor: dict[str, Any]) -> None:
    descriptor["title"] = "Package " + EVIL[0] + " " + EVIL[6]
    descriptor["description"] = "package.description " + " ".join(EVIL)
    descriptor["version"] = "../../" + EVIL[0]


def declare_contact_personal(descriptor: dict[str, Any]) -> None:
    fields = resource_of(descriptor, "announcements")["schema"]["fields"]
    next(f for f in fields if f["name"] == "contact")["personal"] = "masked"


def declare_gbk(descriptor: dict[str, Any]) -> None:
    resource_of(descriptor, "organizations")["encoding"] = "gbk"


# Cases that build


@pytest.fixture(scope="module")
def markup_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """markup-everywhere, with markup in the package's title, description and version."""
    root = tmp_path_factory.mktemp("markup")
    return build(with_case(DataDir(root / "data"), "markup-everywhere", set_texts), root)


@pytest.fixture(scope="module")
def markup_pages(markup_site: Site) -> dict[str, str]:
    """Every page of markup-everywhere, checked and rendered."""
    return rendered_safe_pages(markup_site)


def test_markup_reaches_every_page_kind_safely(markup_pages: dict[str, str]) -> None:
    kinds = {path.split("/")[0] for path in markup_pages}
    assert {"index.md", "projects", "regions", "programs", "sources", "years"} <= kinds
    assert {"announcements", "data"} <= kinds


def test_no_generated_path_leaves_its_folder(markup_site: Site) -> None:
    for path in markup_site.paths():
        assert ".." not in path.split("/") and "<" not in path and " " not in path, path


def test_markup_is_shown_whole_as_text(markup_pages: dict[str, str]) -> None:
    everything = "\n".join(markup_pages.values())
    for evil in EVIL:
        assert evil in everything, evil
    for value in [*hostile_values(), "package.description " + " ".join(EVIL)]:
        marker = value.split(" ", 1)[0] + " "
        on_pages = [path for path, text in markup_pages.items() if marker in text]
        # wherever a value is shown, it is shown whole and as written
        assert all(value in markup_pages[path] for path in on_pages), (value, on_pages)


# Fields the pages show (organization descriptions, region sources and the like are
# published in the downloads only).
SHOWN_FIELDS = (
    "regions.name",
    "regions.name_local",
    "organizations.name",
    "programs.name",
    "programs.description",
    "projects.title",
    "projects.title_local",
    "projects.description",
    "projects.source",
    "funds.document",
    "funds.source",
    "benefits.unit",
    "benefits.label",
    "announcements.title",
    "announcements.body",
    "announcements.contact",
    "reported_totals.statement",
)


def test_hostile_values_are_shown(markup_pages: dict[str, str]) -> None:
    everything = "\n".join(markup_pages.values())
    shown = [v.split(" ", 1)[0] for v in hostile_values() if v in everything]
    assert set(SHOWN_FIELDS) <= {marker.rsplit(".", 1)[0] for marker in shown}


def test_unicode_edge_cases_build_and_show(data_dir: DataDir, tmp_path: Path) -> None:
    shown = "\n".join(
        rendered_safe_pages(build(with_case(data_dir, "unicode-edges"), tmp_path)).values()
    )
    texts = {row["title"] for row in cells("unicode-edges", "projects")}
    texts.add(cells("unicode-edges", "projects")[0]["description"])
    texts |= {row["name"] for row in cells("unicode-edges", "organizations")[:1]}
    texts |= {row["name"] for row in cells("unicode-edges", "regions")[3:]}
    for text in texts:
        assert text in shown, text
    for part in cells("unicode-edges", "announcements")[0]["body"].split("\n\n"):
        assert part in shown, part


@pytest.mark.parametrize("case", ["empty-all", "empty-activity"])
def test_empty_resources_build(data_dir: DataDir, tmp_path: Path, case: str) -> None:
    site = build(with_case(data_dir, case), tmp_path)
    shown = rendered_safe_pages(site)
    assert "index.md" in shown and "projects/index.md" in shown
    assert not [p for p in shown if p.startswith("projects/") and p != "projects/index.md"]


def test_zero_amounts_build(data_dir: DataDir, tmp_path: Path) -> None:
    data = with_case(data_dir, "zero-amounts")
    assert not errors(data_dir.validate().problems)
    rendered_safe_pages(build(data, tmp_path))


def test_masked_personal_data_builds(data_dir: DataDir, tmp_path: Path) -> None:
    data = with_case(data_dir, "personal-masked", declare_contact_personal)
    shown = "\n".join(rendered_safe_pages(build(data, tmp_path)).values())
    assert "138****5678" in shown and "5307**********123X" in shown


def test_declared_gbk_builds(data_dir: DataDir, tmp_path: Path) -> None:
    shown = "\n".join(
        rendered_safe_pages(build(with_case(data_dir, "gbk", declare_gbk), tmp_path)).values()
    )
    assert "永胜县扶贫开发办公室" in shown


# Cases that stop with a problem

Where = tuple[str, str, int | None, str | None]  # code, path, row, field


def resource_path_traversal(descriptor: dict[str, Any]) -> None:
    resource_of(descriptor, "programs")["path"] = "../../programs.csv"


def package_name_traversal(descriptor: dict[str, Any]) -> None:
    descriptor["name"] = "../evil"


STOPPED: dict[str, tuple[list[Callable[[dict[str, Any]], Any]], list[Where]]] = {
    "contact-url-javascript": (
        [],
        [("constraint-error", "minimal/announcements.csv", 2, "contact_url")],
    ),
    "odd-ids": (
        [],
        [
            *[("constraint-error", "minimal/funds.csv", row, "id") for row in range(2, 8)],
            ("constraint-error", "minimal/announcements.csv", 2, "projects"),
        ],
    ),
    "resource-path-traversal": (
        [resource_path_traversal],
        [("package-error", "minimal/datapackage.json", None, "resources")],
    ),
    "package-name-traversal": (
        [package_name_traversal],
        [("package-error", "minimal/datapackage.json", None, "name")],
    ),
    "personal-data": (
        [],
        [
            ("personal-data", "minimal/projects.csv", 4, "description"),
            ("personal-data", "minimal/announcements.csv", 2, "body"),
        ],
    ),
    "numbers-at-edges": (
        [],
        [
            ("constraint-error", "minimal/funds.csv", 2, "amount"),
            ("constraint-error", "minimal/funds.csv", 3, "amount"),
            ("number-format", "minimal/funds.csv", 3, "amount"),
            ("not-a-number", "minimal/funds.csv", 4, "amount"),
            ("too-many-decimals", "minimal/funds.csv", 5, "amount"),
        ],
    ),
    "dates-out-of-range": (
        [],
        [
            ("date-out-of-range", "minimal/projects.csv", 2, "planned_start"),
            ("date-out-of-range", "minimal/funds.csv", 4, "date"),
            ("date-out-of-range", "minimal/benefits.csv", 2, "as_of"),
            ("date-out-of-range", "minimal/announcements.csv", 2, "date"),
        ],
    ),
    "gbk": ([], [("encoding-error", "minimal/organizations.csv", None, None)]),
}


def _where(problem: Problem) -> Where:
    return problem.code, problem.path, problem.row, problem.field


@pytest.mark.parametrize("case", sorted(STOPPED))
def test_case_stops_with_its_problems(data_dir: DataDir, case: str, tmp_path: Path) -> None:
    edits, expected = STOPPED[case]
    data = with_case(data_dir, case, *edits)
    with pytest.raises(DataError) as stopped:
        build(data, tmp_path)
    problems = errors(stopped.value.problems)
    assert sorted({_where(p) for p in problems}, key=str) == sorted(set(expected), key=str)


def test_undeclared_gbk_says_gbk(data_dir: DataDir) -> None:
    with_case(data_dir, "gbk")
    [problem] = find(data_dir.validate().problems, "encoding-error")
    assert "GBK" in problem.message


def test_numbers_at_edges_say_what_is_wrong(data_dir: DataDir) -> None:
    with_case(data_dir, "numbers-at-edges")
    problems = data_dir.validate().problems
    messages = {(p.row, p.code): p.message for p in problems}
    assert messages[(2, "constraint-error")] == "amount cannot be negative"
    assert messages[(3, "constraint-error")] == "amount must be at most 10000000000000"


def test_duplicate_ids_across_two_packages(data_dir: DataDir, tmp_path: Path) -> None:
    data_dir.add_package()
    data_dir.add_package("second")
    with pytest.raises(DataError) as stopped:
        build(data_dir.root, tmp_path)
    duplicates = {(p.path, p.row, p.field) for p in find(stopped.value.problems, "duplicate-id")}
    assert ("second/projects.csv", 2, "id") in duplicates
    assert ("second/funds.csv", 8, "id") in duplicates
    assert ("second/announcements.csv", 2, "id") in duplicates
    assert not find(stopped.value.problems, "duplicate-id", path="minimal/projects.csv")


def test_personal_data_is_masked_in_the_report(data_dir: DataDir) -> None:
    with_case(data_dir, "personal-data")
    problems = find(data_dir.validate().problems, "personal-data")
    assert {p.value for p in problems} == {"5307**********123X", "138****5678"}
    assert not any("13812345678" in p.message or "19900101" in p.message for p in problems)


# The last good site stays


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(f.relative_to(folder)): f.read_bytes() for f in folder.rglob("*") if f.is_file()}


def assert_theme_safe(page_html: str, where: str) -> None:
    """A page as MkDocs wrote it (theme included): nothing from the data runs."""
    found = scan(page_html)
    for tag, attrs in found.tags:
        assert not [v for a, v in attrs.items() if a.startswith("on") and "alert" in v], where
        for name in ("href", "src"):
            value = re.sub(r"\s", "", attrs.get(name, "")).lower()
            assert not value.startswith("javascript:"), (where, tag, attrs)
            assert "evil.example" not in value, (where, tag, attrs)
    for attrs, content in found.scripts:
        if "alert(1)" in content:
            assert attrs.get("type") in ("application/json", "application/ld+json"), where
            assert "</script" not in content.lower(), where


def test_a_failed_build_leaves_the_last_good_site(data_dir: DataDir, tmp_path: Path) -> None:
    site_dir = tmp_path / "site"
    good = with_case(data_dir, "markup-everywhere")
    command = ["build", "--data", str(good), "-f", str(MKDOCS_YML), "-d", str(site_dir)]
    assert main(command) == 0
    before = _snapshot(site_dir)
    assert "index.html" in before
    for path, content in before.items():
        if path.endswith(".html"):
            assert_theme_safe(content.decode("utf-8"), path)

    bad = DataDir(tmp_path / "bad")
    bad.add_package(overlay="hostile/personal-data")
    assert main(["build", "--data", str(bad.root), "-f", str(MKDOCS_YML), "-d", str(site_dir)]) == 1
    assert _snapshot(site_dir) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad", "data", "site"]  # no half-built


def test_escaped_values_carry_no_template_syntax() -> None:
    # mkdocs-macros, or a Liquid site given `sunshine export`'s Markdown, would run it
    from generator.markdown import attr, script_json, text

    evil = '{{ config }} {% include "x" %} {# c #}'
    for escaped in (text(evil), attr(evil), script_json({"title": evil, "n": {"x": {}}})):
        assert not TEMPLATE.search(escaped), escaped
    assert json.loads(script_json({"title": evil})) == {"title": evil}
    assert html.unescape(attr(evil)) == evil

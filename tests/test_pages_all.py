"""Every page kind together: safe, linked, deterministic."""

from __future__ import annotations

import posixpath
import re

import pytest
from pages_model import EVIL_TEXT, assert_safe_html, make_model, shown, tags_of, visible_text

from generator import paths
from generator.pages import PAGE_BUILDERS, build_pages
from generator.pages.programs import projects_by_program
from generator.site import Site

# Pages other stages write: the data pages and the hand-written pages.
OTHER_PAGES = {paths.DATA_INDEX, paths.DATA_DICTIONARY, "about/feedback.md", "about/how-to-read.md"}


@pytest.fixture(scope="module")
def site() -> Site:
    return Site(build_pages(make_model()))


def _pages(site: Site) -> list[str]:
    return [p for p in site.paths() if p.endswith(".md")]


def test_every_kind_is_registered(site: Site) -> None:
    assert {
        "home",
        "project",
        "projects-index",
        "region",
        "regions-index",
        "program",
        "programs-index",
        "source",
        "sources-index",
        "year",
        "years-index",
        "announcement",
        "announcements-index",
    } <= set(PAGE_BUILDERS)
    model = make_model()
    expected = {
        paths.HOME,
        paths.PROJECTS_INDEX,
        paths.REGIONS_INDEX,
        paths.PROGRAMS_INDEX,
        paths.SOURCES_INDEX,
        paths.YEARS_INDEX,
        paths.ANNOUNCEMENTS_INDEX,
    }
    expected |= {paths.project_page(p) for p in model.projects}
    expected |= {paths.region_page(r) for r in model.regions}
    expected |= {paths.program_page(p) for p in model.programs}
    expected |= {paths.source_page(f.source_type) for f in model.funds}
    expected |= {paths.year_page(p.year) for p in model.projects.values()}
    expected |= {paths.announcement_page(a) for a in model.announcements}
    assert set(_pages(site)) == expected


def test_building_twice_gives_identical_bytes() -> None:
    first = {f.path: f.content for f in Site(build_pages(make_model()))}
    second = {f.path: f.content for f in Site(build_pages(make_model()))}
    assert first == second


def test_pages_are_safe_and_show_data_as_text(site: Site) -> None:
    shown_somewhere = 0
    for path in _pages(site):
        html = shown(site[path])
        assert_safe_html(html)
        if " ".join(EVIL_TEXT.split()) in visible_text(html):
            shown_somewhere += 1
    assert shown_somewhere >= 5


def test_pages_start_with_title_and_heading(site: Site) -> None:
    for path in _pages(site):
        text = site[path].content.decode("utf-8")
        assert re.match(r'---\ntitle: ".*"\n---\n\n<h1 data-pagefind-weight="10" id="', text), path


def _targets(site: Site, path: str) -> list[str]:
    html = shown(site[path])
    found = []
    for tag, attrs in tags_of(html):
        ref = attrs.get("href") if tag == "a" else attrs.get("src") if tag == "img" else None
        if ref and not ref.startswith(("http://", "https://", "mailto:", "#")):
            found.append(posixpath.normpath(posixpath.join(posixpath.dirname(path), ref)))
    return found


def test_internal_links_resolve(site: Site) -> None:
    pages = set(_pages(site))
    for path in _pages(site):
        for target in _targets(site, path):
            assert not target.endswith(".md"), (path, target)  # MkDocs rewrites no link here
            if target.endswith(".html"):
                assert target.removesuffix(".html") + ".md" in pages | OTHER_PAGES, (path, target)
            elif target.endswith(".svg"):
                assert target.removesuffix(".svg") + ".vl.json" in site, (path, target)
            else:
                assert target.startswith("data/slices/") and target.endswith(".csv"), target


def test_chart_specs_match_their_blocks(site: Site) -> None:
    specs = [p for p in site.paths() if p.endswith(".vl.json")]
    assert specs
    for spec_path in specs:
        page = spec_path.removeprefix("charts/").rsplit("/", 1)[0] + ".md"
        name = spec_path.rsplit("/", 1)[1].removesuffix(".vl.json")
        assert f'id="chart-{name}"' in site[page].content.decode("utf-8"), spec_path


def test_no_chart_on_project_pages(site: Site) -> None:
    for path in _pages(site):
        if path.startswith("projects/"):
            assert "sunshine-chart" not in site[path].content.decode("utf-8")
    assert not [p for p in site.paths() if p.startswith("charts/projects/")]


def test_projects_by_program_are_each_programs_projects() -> None:
    model = make_model()
    grouped = projects_by_program(model)
    assert set(grouped) <= set(model.programs) | {p.program for p in model.projects.values()}
    for program in {*model.programs, *grouped}:
        assert grouped.get(program, ()) == model.projects_of_program(program)

"""Region, program, funding-source and year pages, and their indexes."""

from __future__ import annotations

import json

import pytest
from pages_model import link_targets, make_model, shown, visible_text

from generator import fmt, paths
from generator.figures import compute_totals, sum_funds
from generator.model import Model
from generator.pages import build_pages
from generator.site import Site


@pytest.fixture(scope="module")
def model() -> Model:
    return make_model()


@pytest.fixture(scope="module")
def site(model: Model) -> Site:
    return Site(build_pages(model))


def _html(site: Site, path: str) -> str:
    return shown(site[path])


def _hrefs(html: str) -> list[str]:
    return link_targets(html)


def test_region_page_totals_children_and_projects(model: Model, site: Site) -> None:
    html = _html(site, paths.region_page("530722"))
    totals = compute_totals(model, model.projects_in("530722"))
    text = visible_text(html)
    assert f"Allocated {fmt.yuan(totals.allocated)}" in text
    assert "Part of Lijiang City" in text and "Level County" in text
    hrefs = _hrefs(html)
    assert "5307.html" in hrefs  # breadcrumb up
    assert "530722101.html" in hrefs  # child place
    for project in model.projects_in("530722"):
        assert f"../projects/{project.id}.html" in hrefs
    assert 'id="chart-places"' in html
    assert "../data/slices/regions/530722/projects.csv" in hrefs


def test_region_chart_data_equals_child_totals(model: Model, site: Site) -> None:
    spec = json.loads(site[paths.chart_spec(paths.region_page("5307"), "places")].content)
    values = {(v["item"], v["series"]): v["amount"] for v in spec["data"]["values"]}
    for child in model.children_of("5307"):
        totals = compute_totals(model, model.projects_in(child.code))
        assert values[(child.name, "Allocated")] == float(totals.allocated)
        assert values[(child.name, "Disbursed")] == float(totals.disbursed)


def test_village_pages_have_no_chart(site: Site) -> None:
    assert "sunshine-chart" not in site[paths.region_page("530722101201")].content.decode()
    assert paths.chart_spec(paths.region_page("530722101201"), "places") not in site


def test_regions_index_lists_places_above_village(model: Model, site: Site) -> None:
    hrefs = _hrefs(_html(site, paths.REGIONS_INDEX))
    expected = [f"{r.code}.html" for r in model.regions.values() if r.level != "village"]
    assert sorted(hrefs) == sorted(expected)


def test_program_page(model: Model, site: Site) -> None:
    html = _html(site, paths.program_page("whole-village"))
    text = visible_text(html)
    totals = compute_totals(model, model.projects_of_program("whole-village"))
    assert f"Allocated {fmt.yuan(totals.allocated)}" in text
    assert "整村推进" in text and "Villages." in text
    assert {"../projects/p1.html", "../projects/p3.html", "../projects/p5.html"} <= set(
        _hrefs(html)
    )
    assert 'id="chart-funds-by-source"' in html
    index = _html(site, paths.PROGRAMS_INDEX)
    assert {"whole-village.html", "training.html", "evil.html"} <= set(_hrefs(index))


def test_source_page(model: Model, site: Site) -> None:
    html = _html(site, paths.source_page("central"))
    text = visible_text(html)
    central = [f for f in model.funds if f.source_type == "central"]
    assert f"Allocated {fmt.yuan(sum_funds(central, 'allocation'))}" in text
    assert f"Disbursed {fmt.yuan(sum_funds(central, 'disbursement'))}, 75%" in text
    assert "Projects 1" in text
    assert "../projects/p1.html" in _hrefs(html)
    assert "../programs/whole-village.html" in _hrefs(html)
    index = visible_text(_html(site, paths.SOURCES_INDEX))
    assert "Total 4 2,362,345 1,150,000" in index


def test_year_page_plan_against_outcome(model: Model, site: Site) -> None:
    html = _html(site, paths.year_page(2019))
    text = visible_text(html)
    of_year = [p for p in model.projects.values() if p.year == 2019]
    totals = compute_totals(model, of_year)
    assert f"Declared budgets {fmt.yuan(totals.budget)}" in text
    assert f"Allocated {fmt.yuan(totals.allocated)}" in text
    assert '<td>Completed</td>\n<td align="right">2</td>' in html
    assert "Planned" in text
    index = _html(site, paths.YEARS_INDEX)
    assert _hrefs(index) == ["2018.html", "2019.html", "2020.html"]


def test_charts_only_at_county_level_and_above(model: Model, site: Site) -> None:
    for region in model.regions.values():
        page = site[paths.region_page(region.code)].content.decode("utf-8")
        has_chart = 'class="sunshine-chart"' in page
        if region.level in ("township", "village"):
            assert not has_chart, region.code
        elif model.children_of(region.code) and model.projects_in(region.code):
            assert has_chart, region.code

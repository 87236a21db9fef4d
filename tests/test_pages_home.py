"""The home page: headline figures from ``figures``, charts, notices, stated vs summed."""

from __future__ import annotations

import json
import re

import pytest
from pages_model import link_targets, make_model, shown, visible_text

from generator import fmt, paths
from generator.figures import compute_totals
from generator.model import Model
from generator.pages.home import build_home
from generator.site import Site


@pytest.fixture(scope="module")
def model() -> Model:
    return make_model()


@pytest.fixture(scope="module")
def site(model: Model) -> Site:
    return Site(build_home(model))


def _text(site: Site) -> str:
    return visible_text(shown(site[paths.HOME]))


def test_headline_figures_equal_figures_sums(model: Model, site: Site) -> None:
    totals = compute_totals(model, list(model.projects.values()))
    text = _text(site)
    assert f"Allocated {fmt.yuan(totals.allocated)}" in text
    assert f"Disbursed {fmt.yuan(totals.disbursed)}, {fmt.percent(totals.disbursed_share)}" in text
    assert f"Projects {totals.projects}" in text
    assert f"Completed projects {totals.completed} of {totals.projects}" in text
    assert (
        f"Households benefiting {fmt.number(totals.households_planned)} planned, "
        f"{fmt.number(totals.households_achieved)} achieved" in text
    )
    assert "Villages covered 1 planned, 1 achieved (100%)" in text
    assert "2,362,345 yuan" in text  # the test model's allocations, summed by hand


def test_five_charts_with_specs(site: Site) -> None:
    page = site[paths.HOME].content.decode("utf-8")
    names = re.findall(r'id="chart-([a-z-]+)"', page)
    assert names == [
        "funds-by-source",
        "funds-by-county",
        "allocated-vs-disbursed",
        "benefits",
        "investment-over-time",
    ]
    for name in names:
        spec = json.loads(site[paths.chart_spec(paths.HOME, name)].content)
        assert spec["data"]["values"]
    by_source = json.loads(site[paths.chart_spec(paths.HOME, "funds-by-source")].content)
    assert [(v["item"], v["amount"]) for v in by_source["data"]["values"]] == [
        ("Central government funds", 200000.0),
        ("Provincial funds", 1760000.0),
        ("Municipal funds", 100000.0),
        ("County funds", 290000.0),
        ("Donations", 12345.0),
    ]
    by_county = json.loads(site[paths.chart_spec(paths.HOME, "funds-by-county")].content)
    assert [(v["item"], v["amount"]) for v in by_county["data"]["values"]] == [
        ("Yongsheng County", 602345.0),
        ("Huaping County", 1760000.0),
    ]


def test_sources_table_links_each_source(site: Site) -> None:
    html = shown(site[paths.HOME])
    hrefs = link_targets(html)
    for source in ("central", "provincial", "municipal", "county", "donation"):
        assert f"sources/{source}.html" in hrefs


def test_latest_notices_with_state(site: Site) -> None:
    html = shown(site[paths.HOME])
    assert re.search(
        r'<span class="sunshine-notice-status" data-end="2020-01-05" data-start="2019-12-25">'
        r"open</span>",
        html,
    )
    assert 'data-end="2019-03-11" data-start="2019-03-01">closed</span>' in html
    assert 'href="announcements/index.html"' in html


def test_stated_totals_surface_differences(site: Site) -> None:
    text = _text(site)
    assert "1 of 3 stated figures differ" in text
    html = shown(site[paths.HOME])
    differing = re.search(
        r'<table class="sunshine-table" id="stated-differing".*?</table>', html, flags=re.S
    )
    assert differing is not None
    cells = visible_text(differing.group(0))
    assert "Households benefiting: 1,000" in cells and "170" in cells and "\u2212830" in cells
    assert "differs" in cells
    assert "matches" in visible_text(html)


def test_links_to_reading_and_feedback_pages(site: Site) -> None:
    hrefs = link_targets(shown(site[paths.HOME]))
    for target in (
        "about/how-to-read.html",
        "about/feedback.html",
        "data/index.html",
        "data/dictionary.html",
        "projects/index.html",
    ):
        assert target in hrefs


def test_home_benefits_table_and_rates_not_added(model: Model) -> None:
    from dataclasses import replace

    from generator.model import Benefit

    rate = Benefit(
        "b9",
        "p1",
        "income-per-head",
        "yuan per person",
        None,
        None,
        None,
        None,
        "s",
        False,
        package="x",
        origin=model.benefits[0].origin,
    )
    with_rate = replace(model, benefits=(*model.benefits, rate))
    html = shown(Site(build_home(with_rate))[paths.HOME])
    text = visible_text(html)
    assert "Households benefiting 170 100 59% households" in text
    assert "Income per head" not in text
    assert "Rates such as income per head are not added up" in text


def test_money_by_year_splits_the_headline_into_years(model: Model, site: Site) -> None:
    page = site[paths.HOME].content.decode("utf-8")
    years = sorted({p.year for p in model.projects.values()})
    for year in years:
        totals = compute_totals(model, [p for p in model.projects.values() if p.year == year])
        row = re.search(rf'<tr><td><a href="years/{year}\.html">{year}</a></td>(.*?)</tr>', page)
        assert row is not None, year
        assert f'data-value="{fmt.plain(totals.allocated)}"' in row.group(1)
        assert f'data-value="{fmt.plain(totals.disbursed)}"' in row.group(1)

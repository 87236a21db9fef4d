"""Accessibility: axe-core on every page kind in the light and the dark palette; charts
carry text alternatives and never rely on colour alone."""

from __future__ import annotations

import json
from typing import Any

import pytest
from playwright.sync_api import Page

from .conftest import CHART_KINDS, PAGE_KINDS, NewContext, Site, visit

BLOCKING = {"serious", "critical"}
# The system palette a person has chosen, and the Material scheme the page must show.
PALETTES = {"light": "default", "dark": "slate"}


def run_axe(page: Page, axe_source: str) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now."""
    page.evaluate(axe_source)  # Playwright's evaluate is not subject to the page's CSP
    result = page.evaluate(
        "async () => (await axe.run(document, { resultTypes: ['violations'] })).violations"
    )
    return list(result)


def describe(violations: list[dict[str, Any]]) -> str:
    """Rule, impact and the failing nodes of each violation, one per line."""
    lines = []
    for violation in violations:
        nodes = [" ".join(node["target"]) for node in violation["nodes"]][:8]
        lines.append(f"{violation['id']} ({violation['impact']}): {json.dumps(nodes)}")
        lines.extend(f"    {node['failureSummary']}" for node in violation["nodes"][:2])
    return "\n".join(lines)


def blocking_violations(page: Page, axe_source: str, palette: str) -> list[str]:
    """Serious and critical violations with the system palette set to ``palette``."""
    page.emulate_media(color_scheme=palette)  # Material's automatic palette follows it
    page.wait_for_function(
        "scheme => document.body.dataset.mdColorScheme === scheme", arg=PALETTES[palette]
    )
    violations = [v for v in run_axe(page, axe_source) if v["impact"] in BLOCKING]
    return [f"{palette} palette:\n{describe(violations)}"] if violations else []


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_serious_accessibility_violations_light_or_dark(
    kind: str, site: Site, new_context: NewContext, axe_source: str
) -> None:
    context = new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    seen = visit(context, site.address(kind))
    seen.render_charts()
    found = [
        report
        for palette in PALETTES
        for report in blocking_violations(seen.page, axe_source, palette)
    ]
    assert found == [], f"{kind}:\n" + "\n".join(found)


@pytest.mark.parametrize("width", [1280, 360])
def test_search_results_have_no_serious_accessibility_violations(
    width: int, site: Site, new_context: NewContext, axe_source: str
) -> None:
    context = new_context(viewport={"width": width, "height": 900}, color_scheme="light")
    seen = visit(context, site.address("search.html?q=poverty"))
    seen.page.locator("#sunshine-search-results li").first.wait_for()
    found = [
        report
        for palette in PALETTES
        for report in blocking_violations(seen.page, axe_source, palette)
    ]
    assert found == [], "search results:\n" + "\n".join(found)
    widths = seen.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the results are {widths[0]} px wide in {widths[1]} px"
    seen.assert_clean()


def chart_alternatives(page: Page) -> list[dict[str, Any]]:
    """For each chart: image alt, caption, whether the live chart is hidden from
    assistive technology, and the data table's header and row counts."""
    return list(
        page.evaluate(
            """() => Array.from(document.querySelectorAll("figure.sunshine-chart")).map(f => ({
                alt: (f.querySelector("img.sunshine-chart__static") || {}).alt || "",
                caption: (f.querySelector("figcaption") || {}).textContent || "",
                liveHidden: f.querySelector(".sunshine-chart__vega")
                    .getAttribute("aria-hidden") === "true",
                headers: f.querySelectorAll("table thead th").length,
                rows: f.querySelectorAll("table tbody tr").length,
            }))"""
        )
    )


@pytest.mark.parametrize("kind", CHART_KINDS)
def test_charts_have_text_alternatives(kind: str, site: Site, new_context: NewContext) -> None:
    page = new_context(java_script_enabled=True).new_page()
    page.goto(site.address(kind), wait_until="load")
    charts = chart_alternatives(page)
    assert charts
    for chart in charts:
        assert chart["alt"].strip() and chart["caption"].strip()
        assert chart["liveHidden"] is True
        assert chart["headers"] >= 2 and chart["rows"] >= 1


def chart_words(page: Page) -> list[dict[str, Any]]:
    """Per live chart: the labels and colour-legend entries of its spec, and the text
    the rendered SVG shows."""
    return list(
        page.evaluate(
            """() => Array.from(document.querySelectorAll("figure.sunshine-chart")).map(f => {
                const spec = JSON.parse(f.querySelector("script.sunshine-chart__spec").textContent);
                const values = (spec.data && spec.data.values) || [];
                const layers = spec.layer || [spec];
                const colour = layers.map(l => l.encoding && l.encoding.color)
                    .find(c => c && c.scale && c.scale.domain);
                return {
                    labels: values.map(v => v.label).filter(Boolean),
                    legend: colour ? colour.scale.domain : [],
                    shown: Array.from(f.querySelectorAll(".sunshine-chart__vega svg text"))
                        .map(t => t.textContent.trim()),
                };
            })"""
        )
    )


@pytest.mark.parametrize("kind", CHART_KINDS)
def test_colour_is_never_the_only_carrier_of_meaning(
    kind: str, site: Site, new_context: NewContext
) -> None:
    seen = visit(new_context(viewport={"width": 1280, "height": 900}), site.address(kind))
    seen.render_charts()
    for chart in chart_words(seen.page):
        assert chart["labels"], "every bar is labelled with its value in text"
        assert set(chart["labels"]) <= set(chart["shown"])
        assert set(chart["legend"]) <= set(chart["shown"]), "colours are named in a legend"
    bars = seen.page.evaluate(
        """() => Array.from(document.querySelectorAll(".sunshine-bar")).map(bar => [
            bar.getAttribute("aria-hidden"), /\\d/.test(bar.parentElement.textContent)])"""
    )
    assert bars and all(bar == ["true", True] for bar in bars), "table bars repeat a number"

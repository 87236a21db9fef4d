"""Each page kind loads cleanly, its charts render (and degrade without JavaScript),
it fits a phone's width, and a project page's download matches what it shows."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import pytest
from playwright.sync_api import BrowserContext, Page

from .conftest import ARTIFACTS, CHART_KINDS, PAGE_KINDS, NewContext, Site, visit

PHONE = {"width": 360, "height": 740}


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_loads_cleanly_and_every_chart_renders(
    kind: str, site: Site, context: BrowserContext
) -> None:
    seen = visit(context, site.address(kind))
    figures = seen.render_charts()
    seen.page.wait_for_load_state("networkidle")
    assert seen.page.locator("article h1").count() == 1
    live = seen.page.locator("figure.sunshine-chart--live .sunshine-chart__vega svg")
    assert live.count() == figures
    # Once live, the static image is left for print only: each chart shows once.
    assert seen.page.locator("img.sunshine-chart__static:visible").count() == 0
    if kind in CHART_KINDS:
        assert figures > 0, f"no chart on the {kind} page"
    seen.assert_clean()


# --- Charts -------------------------------------------------------------------------------


def static_image_state(page: Page) -> list[dict[str, object]]:
    """For each chart: its static image's size and visibility, and its data table."""
    figures = page.locator("figure.sunshine-chart")
    states: list[dict[str, object]] = []
    for index in range(figures.count()):
        figure = figures.nth(index)
        figure.scroll_into_view_if_needed()
        image = figure.locator("img.sunshine-chart__static")
        image.wait_for(state="visible")
        states.append(
            {
                "visible": image.is_visible(),
                "natural_width": image.evaluate("img => img.complete ? img.naturalWidth : 0"),
                "table_rows": figure.locator("details table tbody tr").count(),
            }
        )
    return states


@pytest.mark.parametrize("kind", CHART_KINDS)
def test_static_chart_shows_without_javascript(
    kind: str, site: Site, new_context: NewContext
) -> None:
    context = new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site.address(kind), wait_until="load")
    states = static_image_state(page)
    assert states, "no chart on the page"
    for state in states:
        assert state["visible"] is True
        assert isinstance(state["natural_width"], int) and state["natural_width"] > 0
        assert isinstance(state["table_rows"], int) and state["table_rows"] > 0
    assert page.locator(".sunshine-chart__vega svg").count() == 0


# --- Narrow screens -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_no_sideways_scrolling_at_360_px(kind: str, site: Site, new_context: NewContext) -> None:
    context = new_context(viewport=PHONE, device_scale_factor=1, color_scheme="light")
    seen = visit(context, site.address(kind))
    seen.render_charts()
    widths = seen.page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{kind}: page is {widths[0]} px wide in a {widths[1]} px window"
    if kind in ("home", "project"):
        ARTIFACTS.mkdir(exist_ok=True)
        seen.page.screenshot(path=str(ARTIFACTS / f"{kind}-360px.png"), full_page=True)
    seen.assert_clean()


# --- Downloads ----------------------------------------------------------------------------


def fund_rows_shown(page: Page) -> list[tuple[str, Decimal, str]]:
    """(type, amount, date) of each row of the page's "every fund row" table."""
    table = page.locator("xpath=(//h2[@id='money']/following::details)[1]//table")
    rows = table.locator("tbody tr")
    shown: list[tuple[str, Decimal, str]] = []
    for index in range(rows.count()):
        cells = rows.nth(index).locator("td")
        kind = (cells.nth(0).text_content() or "").strip().lower()
        amount = Decimal(cells.nth(2).get_attribute("data-value") or "NaN")
        date = cells.nth(3).get_attribute("data-value") or ""
        shown.append((kind, amount, date))
    return shown


def money_total_shown(page: Page) -> Decimal:
    """The allocated total in the last row of the money summary table."""
    table = page.locator("xpath=(//h2[@id='money']/following::table)[1]")
    cell = table.locator("tbody tr").last.locator("td").nth(1)
    return Decimal(cell.get_attribute("data-value") or "NaN")


def fetch_through_link(page: Page, selector: str) -> tuple[int, str, str]:
    """Follow the page's own link with fetch(): status, content type, body."""
    href = page.locator(selector).first.evaluate("a => a.href")
    result = page.evaluate(
        """async (href) => {
            const response = await fetch(href);
            const type = response.headers.get("content-type") || "";
            return [response.status, type, await response.text()];
        }""",
        href,
    )
    return int(result[0]), str(result[1]), str(result[2])


def test_download_link_returns_the_rows_on_the_page(site: Site, context: BrowserContext) -> None:
    seen = visit(context, site.address("project"))
    status, content_type, body = fetch_through_link(seen.page, "a[href$='funds.csv']")
    assert status == 200 and content_type.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body)))
    assert rows and {row["project"] for row in rows} == {site.project_id}
    downloaded = sorted(
        (row["transaction_type"], Decimal(row["amount"]), row["date"]) for row in rows
    )
    shown = fund_rows_shown(seen.page)
    assert len(shown) == len(rows) > 1
    assert sorted(shown) == downloaded
    allocated = sum(amount for kind, amount, _ in downloaded if kind == "allocation")
    assert money_total_shown(seen.page) == allocated
    seen.assert_clean()

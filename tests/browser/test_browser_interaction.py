"""What a reader does: sort and filter the projects table, search, switch to dark."""

from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Locator, Page

from .conftest import Site, visit

WORD = re.compile(r"[A-Za-z]{4,}")


def sortable_table(page: Page) -> Locator:
    table = page.locator("table.sunshine-table[data-sortable][data-filterable]")
    assert table.count() == 1, "the projects index has one sortable, filterable table"
    return table


def column_values(table: Locator, index: int) -> list[str]:
    """The sort key of each visible row in column ``index`` (data-value, else the text)."""
    return list(
        table.evaluate(
            """(table, index) => Array.from(table.tBodies[0].rows)
                .filter(row => !row.hidden)
                .map(row => row.cells[index])
                .map(cell => cell.getAttribute("data-value") ?? cell.textContent.trim())""",
            index,
        )
    )


def numeric_column(table: Locator) -> int:
    """The first numeric column whose values are not already in ascending order."""
    headers = table.locator("thead th")
    for index in range(headers.count()):
        if headers.nth(index).get_attribute("data-sort") != "number":
            continue
        values = [float(v) for v in column_values(table, index)]
        if values != sorted(values):
            return index
    raise AssertionError("no numeric column to sort")


def test_projects_table_sorts_by_a_column(site: Site, context: BrowserContext) -> None:
    seen = visit(context, site.address("projects_index"))
    table = sortable_table(seen.page)
    index = numeric_column(table)
    header = table.locator("thead th").nth(index)
    before = column_values(table, index)
    header.locator("button").click()
    ascending = column_values(table, index)
    assert header.get_attribute("aria-sort") == "ascending"
    assert ascending != before
    assert [float(v) for v in ascending] == sorted(float(v) for v in before)
    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    descending = [float(v) for v in column_values(table, index)]
    assert descending == sorted(descending, reverse=True)
    assert table.locator("thead th[aria-sort]").count() == 1
    seen.assert_clean()


def project_titles(page: Page) -> dict[str, str]:
    """Project page address (relative to projects/) to its title, from the index table."""
    links = page.locator("table.sunshine-table tbody tr td a[href$='.html']")
    return {
        str(links.nth(i).get_attribute("href")): links.nth(i).inner_text().strip()
        for i in range(links.count())
    }


def distinctive_word(titles: dict[str, str], page_name: str) -> str:
    """The word of one project's title found in the fewest other titles (longest first)."""
    counts: Counter[str] = Counter()
    for title in titles.values():
        counts.update({word.lower() for word in WORD.findall(title)})
    words = WORD.findall(titles[page_name])
    assert words, f"no word to search for in {titles[page_name]!r}"
    return min(words, key=lambda word: (counts[word.lower()], -len(word)))


def visible_rows(table: Locator) -> int:
    return table.locator("tbody tr:not([hidden])").count()


def test_projects_table_filters_by_part_of_a_title(site: Site, context: BrowserContext) -> None:
    seen = visit(context, site.address("projects_index"))
    table = sortable_table(seen.page)
    total = visible_rows(table)
    word = distinctive_word(project_titles(seen.page), f"{site.project_id}.html")
    count = seen.page.locator(".sunshine-filter [role='status']")
    before = count.inner_text()
    box = seen.page.locator(".sunshine-filter input[type='search']")
    box.press_sequentially(word[: max(4, len(word) - 2)].lower(), delay=20)
    seen.page.wait_for_function(
        "([table, total]) => table.querySelectorAll('tbody tr:not([hidden])').length < total",
        arg=[table.element_handle(), total],
    )
    shown = visible_rows(table)
    assert 1 <= shown < total
    assert count.inner_text() != before
    assert re.findall(r"\d+", count.inner_text())[:2] == [str(shown), str(total)]
    assert table.locator(f"tbody tr:not([hidden]) a[href='{site.project_id}.html']").count() == 1
    box.fill("")
    seen.page.wait_for_function(
        "([table, total]) => table.querySelectorAll('tbody tr:not([hidden])').length === total",
        arg=[table.element_handle(), total],
    )
    seen.assert_clean()


def test_search_finds_a_project_by_a_word_of_its_title(site: Site, context: BrowserContext) -> None:
    index = visit(context, site.address("projects_index"))
    word = distinctive_word(project_titles(index.page), f"{site.project_id}.html")
    index.page.close()
    seen = visit(context, site.address("home"))
    page = seen.page
    page.locator("input.md-search__input").click()
    page.locator("input.md-search__input").press_sequentially(word, delay=20)
    results = page.locator(".md-search-result__item > a")
    results.first.wait_for()
    paths = [
        urlsplit(str(results.nth(i).get_attribute("href"))).path for i in range(results.count())
    ]
    target = "/" + site.pages["project"]
    assert target in paths, f"searching {word!r} gave {paths}"
    results.nth(paths.index(target)).click()
    page.wait_for_url(re.compile(re.escape(target)))
    assert word in page.locator("article h1").inner_text()
    seen.assert_clean()


def body_scheme(page: Page) -> str:
    return str(page.locator("body").get_attribute("data-md-color-scheme"))


def test_palette_toggle_switches_to_dark_and_is_remembered(
    site: Site, context: BrowserContext
) -> None:
    seen = visit(context, site.address("project"))
    page = seen.page
    for _ in range(3):  # automatic -> light -> dark
        if body_scheme(page) == "slate":
            break
        page.locator("form[data-md-component='palette'] label:visible").click()
    assert body_scheme(page) == "slate"
    page.reload(wait_until="load")
    assert body_scheme(page) == "slate"
    stored = page.evaluate("() => Object.keys(localStorage).filter(k => k.endsWith('__palette'))")
    assert stored == ["/.__palette"]
    seen.assert_clean()

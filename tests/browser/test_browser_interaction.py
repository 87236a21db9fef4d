"""What a reader does: sort and filter the projects table, search (English and Chinese),
switch to dark."""

from __future__ import annotations

import gzip
import html
import json
import re
from collections import Counter
from urllib.parse import urlsplit

from playwright.sync_api import BrowserContext, Locator, Page

from .conftest import Site, visit

WORD = re.compile(r"[A-Za-z]{4,}")
HAN = re.compile(r"[\u3400-\u9fff]{2,}")
ZH_TITLE = re.compile(r'</h1>\s*<p[^>]*><span lang="zh">(.*?)</span></p>')


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


# --- Search (Pagefind, on search.html) ------------------------------------------------------


def pagefind_words(site: Site, page: str) -> list[str]:
    """The words Pagefind cut a page's text into, read from the built index.

    Each page's fragment is gzipped JSON after a ``pagefind_dcd`` signature; with the
    site indexed as Chinese, its text has a zero-width space between words.
    """
    for fragment in sorted((site.root / "pagefind" / "fragment").glob("*.pf_fragment")):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        if data["url"] == "/" + page:
            return [word.strip() for word in data["content"].split("\u200b") if word.strip()]
    raise AssertionError(f"{page} is not in the search index")


def distinctive_english_word(site: Site, context: BrowserContext) -> str:
    """The word of the test project's title found in the fewest other project titles."""
    index = visit(context, site.address("projects_index"))
    word = distinctive_word(project_titles(index.page), f"{site.project_id}.html")
    index.page.close()
    return word


def chinese_titles(site: Site) -> dict[str, str]:
    """Project page path to its Chinese title (the line under the English heading)."""
    found = {}
    for path in sorted((site.root / "projects").glob("*.html")):
        match = ZH_TITLE.search(path.read_text("utf-8"))
        if match:
            found[f"projects/{path.name}"] = html.unescape(match.group(1))
    return found


def distinctive_chinese_word(site: Site, page: str) -> str:
    """A Chinese word of the page's Chinese title, as Pagefind indexed it, found in the
    fewest other Chinese titles (longest first)."""
    titles = chinese_titles(site)
    assert page in titles, f"{page} has no Chinese title"
    words = {w for w in pagefind_words(site, page) if HAN.fullmatch(w) and w in titles[page]}
    assert words, f"no Chinese word of {titles[page]!r} in the index"
    counts = {w: sum(w in title for title in titles.values()) for w in words}
    return min(sorted(words), key=lambda w: (counts[w], -len(w)))


def search_results(page: Page) -> list[str]:
    """The address paths of the listed search results, once there are some."""
    results = page.locator("#sunshine-search-results li a")
    results.first.wait_for()
    return [urlsplit(str(href)).path for href in results.evaluate_all("as => as.map(a => a.href)")]


def search_for(page: Page, query: str) -> list[str]:
    """Type ``query`` into the search page's box; the result paths once they are shown."""
    box = page.locator("#sunshine-search-input")
    box.fill("")
    page.wait_for_function("() => !document.querySelector('#sunshine-search-results li')")
    box.press_sequentially(query, delay=20)
    page.wait_for_function(
        "query => new URLSearchParams(location.search).get('q') === query", arg=query
    )
    return search_results(page)


def test_search_finds_a_project_by_an_english_and_a_chinese_title_word(
    site: Site, context: BrowserContext
) -> None:
    english = distinctive_english_word(site, context)
    chinese = distinctive_chinese_word(site, site.pages["project"])
    seen = visit(context, site.address("search"))
    page = seen.page
    # Served over http, the note for readers without search is hidden once it loads.
    page.locator("#sunshine-search-fallback").wait_for(state="hidden")
    target = "/" + site.pages["project"]
    for word in (english, chinese):
        paths = search_for(page, word)
        assert target in paths, f"searching {word!r} gave {paths}"
        assert len(paths) <= 20
        status = page.locator("#sunshine-search-results .sunshine-search__status").inner_text()
        assert word in status
    marks = page.locator("#sunshine-search-results mark")
    assert marks.count() > 0, "the excerpts mark the words found"
    assert page.locator("#sunshine-search-results script").count() == 0
    page.locator(f"#sunshine-search-results li a[href$='{target}']").click()
    page.wait_for_url(re.compile(re.escape(target)))
    assert english in page.locator("article h1").inner_text()
    assert chinese in page.locator("article").inner_text()
    seen.assert_clean()


def test_header_search_box_opens_the_search_page(site: Site, context: BrowserContext) -> None:
    english = distinctive_english_word(site, context)
    seen = visit(context, site.address("project"))
    page = seen.page
    box = page.get_by_role("search").get_by_role("searchbox")
    box.fill(english)
    box.press("Enter")
    page.wait_for_url(re.compile(r"/search\.html\?q="))
    assert page.locator("#sunshine-search-input").input_value() == english
    assert "/" + site.pages["project"] in search_results(page)
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

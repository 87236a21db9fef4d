"""Escaping: any data value renders as its own text, never as markup or a link."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from pages_model import EVIL, assert_safe_html, render, tags_of, visible_text

from generator import markdown as md
from generator.markdown import Cell, Column


def _page(value: str) -> str:
    """Every context a data value can land in, on one page."""
    return "\n".join(
        [
            md.page_start(value),
            md.heading(2, value),
            md.paragraph(value),
            md.bullets([value]),
            md.definition_list([("Term", value)]),
            md.table(["A"], [[value]]),
            md.html_table([Column("A")], [[value], [Cell(value, "1")]]),
            md.paragraph(md.internal_link(value, "projects/p1.md", "regions/5307.md")),
            md.paragraph(md.link(value, "https://example.org/x")),
        ]
    )


@pytest.mark.parametrize("value", EVIL)
def test_data_value_renders_as_its_own_text(value: str) -> None:
    html = render(_page(value))
    assert_safe_html(html)
    for tag in ("h1", "h2", "p", "li", "dd", "td"):
        for inner in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", html, flags=re.S):
            if inner.startswith("<a ") and "example.org" in inner:
                continue
            shown = visible_text(inner)
            if shown not in ("Term", "A", "1"):
                assert shown == " ".join(value.split()), (tag, inner[:200])


@pytest.mark.parametrize("value", EVIL)
def test_no_block_starts_from_data(value: str) -> None:
    html = render(md.paragraph(value))
    assert re.fullmatch(r"<p>.*</p>", html, flags=re.S), html
    assert [t for t, _ in tags_of(html)] in (["p"], ["p", "bdi"])


def test_text_encodes_syntax_and_folds_lines() -> None:
    assert md.text("a\n\n# b\tc") == "a &#35; b c"
    assert md.text("*_`[]{}|~^=:$%@!<>&\"'\\") == "".join(
        f"&#{ord(c)};" for c in "*_`[]{}|~^=:$%@!<>&\"'\\"
    )
    assert md.text(None) == ""
    assert md.text("1. item").startswith("1&#46;")


def test_text_is_idempotent_on_markup() -> None:
    once = md.text("<b>")
    assert md.text(once) == once
    assert md.join(["<", once]) == "&#60;&#60;b&#62;"


def test_markdown_placeholders_and_controls_are_dropped() -> None:
    # Python-Markdown uses STX/ETX around stash keys: data must never forge them.
    assert md.text("\x02wzxhzdk:0\x03x\x00") == "wzxhzdk&#58;0x"


def test_bidi_text_is_isolated() -> None:
    assert md.text("abc\u202edef") == "<bdi>abc\u202edef</bdi>"
    assert md.text("שלום") == "<bdi>שלום</bdi>"
    assert md.text("zero\u200bwidth") == "zero\u200bwidth"


def test_attr_escapes_quotes() -> None:
    assert md.attr('"><script>') == "&quot;&gt;&lt;script&gt;"


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " JAVASCRIPT:alert(1)",
        "data:text/html,x",
        "ftp://x",
        "/local",
        "http://a b",
        'http://x"onmouseover=1',
        None,
    ],
)
def test_only_http_and_mailto_become_links(url: str | None) -> None:
    out = md.link("label", url)
    assert "<a " not in out
    assert out == "label"


def test_safe_links() -> None:
    assert (
        md.link("Mail us", "mailto:a@example.org") == '<a href="mailto:a@example.org">Mail us</a>'
    )
    assert md.link("x", "https://e.org/?a=1&b=2") == '<a href="https://e.org/?a=1&amp;b=2">x</a>'
    assert md.link(None, "https://e.org/") == '<a href="https://e.org/">https&#58;//e&#46;org/</a>'


def test_internal_links_are_relative_markdown() -> None:
    assert md.internal_link("City", "projects/p1.md", "regions/5307.md") == (
        "[City](../regions/5307.md)"
    )
    assert md.html_link("City", "projects/p1.md", "regions/5307.md") == (
        '<a href="../regions/5307.html">City</a>'
    )
    html = render(md.paragraph(md.internal_link("[x](y)", "index.md", "projects/p1.md")))
    assert tags_of(html)[1] == ("a", {"href": "projects/p1.md"})


def test_page_title_front_matter_has_no_markup_characters() -> None:
    start = md.page_start('</title><script>"x" & \u202eevil')
    front = start.split("---\n")[1]
    title = json.loads(front.removeprefix("title: ").strip())
    assert not set("<>&\"'\u202e") & set(title)
    assert "script" in title


def test_html_table_contract() -> None:
    html = md.html_table(
        [Column("Name"), Column("Amount", "number"), Column("Date", "date")],
        [["<x>", Cell("1,000", "1000"), Cell("2019-01-02", "2019-01-02")]],
        table_id="t",
        sortable=True,
        filterable=True,
        caption="Cap",
    )
    tags = tags_of(html)
    assert tags[0] == (
        "table",
        {"class": "sunshine-table", "id": "t", "data-sortable": "", "data-filterable": ""},
    )
    assert [a["data-sort"] for t, a in tags if t == "th"] == ["text", "number", "date"]
    assert [a.get("data-value") for t, a in tags if t == "td"] == [None, "1000", "2019-01-02"]
    assert "&#60;x&#62;" in html
    rendered = render("before\n\n" + html + "\nafter\n")
    assert "<p>after</p>" in rendered and "&#60;x&#62;" in rendered


def test_markdown_table_escapes_pipes() -> None:
    html = render(md.table(["A", "B"], [["| x |", 2]], numeric_columns=[1]))
    assert visible_text(re.findall(r"<td[^>]*>(.*?)</td>", html)[0]) == "| x |"
    assert 'style="text-align: right;"' in html


def test_chart_block_contract() -> None:
    spec = {"width": 560, "height": 200, "data": {"values": [{"a": "</script><script>x"}]}}
    block = md.chart_block(
        "funds",
        spec,
        "charts/index/funds.vl.json",
        "index.md",
        'Summary "<b>"',
        [Column("A")],
        [["</details>"]],
    )
    assert block.startswith('<figure class="sunshine-chart" id="chart-funds" markdown="0">')
    assert "</script><script>" not in block
    payload = re.search(r'class="sunshine-chart__spec">(.*?)</script>', block, flags=re.S)
    assert payload is not None and json.loads(payload.group(1)) == spec
    tags = dict((t, a) for t, a in tags_of(block))
    assert tags["img"] == {
        "class": "sunshine-chart__static",
        "src": "charts/index/funds.svg",
        "alt": 'Summary "<b>"',
        "loading": "lazy",
        "width": "560",
        "height": "200",
    }
    assert tags["div"] == {"class": "sunshine-chart__vega", "aria-hidden": "true"}
    assert tags["details"] == {"class": "sunshine-chart__data"}
    html = render("# T\n\n" + block + "\nafter\n")
    assert_safe_html(html)
    assert "<p>after</p>" in html
    assert visible_text(re.search(r"<figcaption>(.*?)</figcaption>", html).group(1)) == (  # type: ignore[union-attr]
        'Summary "<b>"'
    )


def test_chart_image_path_is_relative_to_page() -> None:
    block = md.chart_block(
        "x",
        {"width": 1, "height": 1},
        "charts/regions/5307/x.vl.json",
        "regions/5307.md",
        "s",
        [Column("A")],
        [],
    )
    assert 'src="../charts/regions/5307/x.svg"' in block


def test_paragraphs_split_on_blank_lines() -> None:
    html = render(md.paragraphs("One\nline.\n\n<b>Two</b>\r\n\r\n- three"))
    assert re.findall(r"<p>(.*?)</p>", html) == [
        "One line&#46;",
        "&#60;b&#62;Two&#60;/b&#62;",
        "&#45; three",
    ]


def test_admonition_and_details_render() -> None:
    html = render(md.admonition("warning", "Illustrative", md.paragraph("<x>")))
    assert 'class="admonition warning"' in html and "&#60;x&#62;" in html
    html = render(md.details("Rows", md.html_table([Column("A")], [["v"]])))
    assert "<details" in html and "<td>v</td>" in html and "<p><table" not in html


def test_bar_is_decorative_and_clamped() -> None:
    assert md.bar(None) == ""
    assert 'data-w="100"' in md.bar(Decimal("1.7"))
    assert 'aria-hidden="true"' in md.bar(Decimal("0.42"))


def test_fast_relative_links_equal_the_address_layout() -> None:
    from itertools import product

    from generator import paths

    pages = [
        "index.md",
        "projects/p1.md",
        "regions/5307.md",
        "about/feedback.md",
        "charts/regions/5307/places.vl.json",
        "data/slices/projects/p1/funds.csv",
        "data/index.md",
        "projects/index.md",
        "charts/index/funds.vl.json",
    ]
    for source, target in product(pages, pages):
        expected = paths.relative(source, target)
        assert md.internal_link("x", source, target) == f"[x]({expected})"


def test_titles_weigh_most_in_search_and_data_cannot_add_attributes() -> None:
    start = md.page_start("Songping {: onclick=alert(1) }", md.lang("松坪乡", "zh"))
    html = render(start.split("---\n", 2)[2])
    weighted = [t for t, a in tags_of(html) if a.get("data-pagefind-weight") == "10"]
    assert weighted == ["h1", "p"]
    assert all("onclick" not in a for _, a in tags_of(html))
    assert "Songping {: onclick=alert(1) }" in visible_text(html)

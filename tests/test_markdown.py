"""Escaping: any data value shows as its own text, never as markup or a link.

Generated pages are HTML, shown as written; the Markdown helpers (for the data pages)
are checked through Python-Markdown. The HTML helpers make what Python-Markdown made
of the site's Markdown: same ids, permalinks, lists and tables.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import markdown
import pytest
import yaml
from pages_model import EVIL, assert_safe_html, body_of, render, tags_of, visible_text

from generator import markdown as md
from generator.markdown import Cell, Column


def _html_page(value: str) -> str:
    """Every context a data value can land in on a generated page, as the site shows it."""
    return body_of(
        md.page_text(
            [
                md.page_start(value, value),
                md.html_heading(2, value),
                md.html_paragraph(value),
                md.html_bullets([value]),
                md.html_definition_list([("Term", value)]),
                md.html_plain_table(["A"], [[value]]),
                md.html_table([Column("A")], [[value], [Cell(value, "1")]]),
                md.html_paragraph(md.html_link(value, "projects/p1.md", "regions/5307.md")),
                md.html_paragraph(md.link(value, "https://example.org/x")),
                md.admonition("note", "Note", md.html_paragraphs(value)),
                md.html_block("box", md.html_paragraph(value)),
            ]
        )
    )


def _markdown_page(value: str) -> str:
    """Every context a data value can land in on a Markdown page (the data pages)."""
    return render(
        "\n".join(
            [
                md.heading(2, value),
                md.paragraph(value),
                md.bullets([value]),
                md.definition_list([("Term", value)]),
                md.table(["A"], [[value]]),
                md.paragraph(md.internal_link(value, "projects/p1.md", "regions/5307.md")),
                md.paragraph(md.link(value, "https://example.org/x")),
            ]
        )
    )


@pytest.mark.parametrize("page", [_html_page, _markdown_page])
@pytest.mark.parametrize("value", EVIL)
def test_data_value_renders_as_its_own_text(value: str, page: Callable[[str], str]) -> None:
    html = page(value)
    assert_safe_html(html)
    for tag in ("h1", "h2", "p", "li", "dd", "td"):
        for inner in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", html, flags=re.S):
            if inner.startswith("<a ") and "example.org" in inner:
                continue
            shown = visible_text(inner)
            if shown not in ("Term", "A", "1", "Note"):
                assert shown == " ".join(value.split()), (tag, inner[:200])


@pytest.mark.parametrize("value", EVIL)
def test_no_block_starts_from_data(value: str) -> None:
    for html in (render(md.paragraph(value)), md.html_paragraph(value)):
        assert re.fullmatch(r"<p>.*</p>\n?", html, flags=re.S), html
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


def test_links_between_pages_are_relative() -> None:
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
    assert block.startswith('<figure class="sunshine-chart" id="chart-funds">')
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
    html = body_of(md.page_text([md.page_start("T"), block, md.html_paragraph("after")]))
    assert_safe_html(html)
    assert html.endswith("</figure>\n<p>after</p>\n")
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
    html = md.html_paragraphs("One\nline.\n\n<b>Two</b>\r\n\r\n- three")
    assert re.findall(r"<p>(.*?)</p>", html) == [
        "One line&#46;",
        "&#60;b&#62;Two&#60;/b&#62;",
        "&#45; three",
    ]


def test_admonition_and_details_render() -> None:
    html = md.admonition("warning", "Illustrative", md.html_paragraph("<x>"))
    assert html == (
        '<div class="admonition warning">\n<p class="admonition-title">Illustrative</p>\n'
        "<p>&#60;x&#62;</p>\n</div>\n"
    )
    html = md.details("Rows", md.html_table([Column("A")], [["v"]]))
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
    html = body_of(start)
    weighted = [t for t, a in tags_of(html) if a.get("data-pagefind-weight") == "10"]
    assert weighted == ["h1", "p"]
    assert all("onclick" not in a for _, a in tags_of(html))
    assert "Songping {: onclick=alert(1) }" in visible_text(html)


# --- the HTML of generated pages is what Python-Markdown made of their Markdown ----------

MKDOCS_YML = Path(__file__).resolve().parents[1] / "mkdocs.yml"


class _Loader(yaml.SafeLoader):
    """Reads mkdocs.yml; its ``!!python/name:`` and ``!ENV`` tags are not needed here."""


_Loader.add_multi_constructor("", lambda loader, suffix, node: None)


def _site_markdown(text: str) -> str:
    """Markdown to HTML with the ``markdown_extensions`` of mkdocs.yml and their settings."""
    config = yaml.load(MKDOCS_YML.read_text("utf-8"), Loader=_Loader)  # noqa: S506
    names: list[str] = []
    settings: dict[str, object] = {}
    for entry in config["markdown_extensions"]:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        if options:
            settings[name] = options
    return markdown.markdown(text, extensions=names, extension_configs=settings)


def _trailing_spaces_trimmed(html: str) -> str:
    """The HTML helpers trim text where Python-Markdown kept a last space: no difference."""
    return re.sub(r" +(?=</)", "", html)


SAMPLES = (
    *EVIL,
    "Money",
    "Money",
    "money_1",
    "扶贫",
    "扶贫",
    "Ünïcödé — title",
    "Source 1",
    "x &amp; y",
    "1. item",
    "  spaced   out  ",
)


def test_headings_have_the_ids_and_permalinks_toc_gave_them() -> None:
    old = "\n".join(md.heading(2, v) for v in SAMPLES)
    new = md.page_text(md.html_heading(2, v) for v in SAMPLES)
    assert new.rstrip("\n") == _site_markdown(old)
    assert len(set(re.findall(r' id="([^"]*)"', new))) == len(SAMPLES)


@pytest.mark.parametrize("value", SAMPLES)
def test_page_start_makes_what_the_markdown_title_made(value: str) -> None:
    weight = '{: data-pagefind-weight="10" }'
    old = f"# {md.text(value)} {weight}\n\n{md.text(value)}\n{weight}\n"
    new = body_of(md.page_start(value, value))
    assert new.rstrip("\n") == _trailing_spaces_trimmed(_site_markdown(old))


@pytest.mark.parametrize("value", SAMPLES)
def test_blocks_make_what_their_markdown_made(value: str) -> None:
    pairs = [
        (md.paragraph(value), md.html_paragraph(value)),
        (md.paragraph(value) + "\n" + md.paragraph("Two"), md.html_paragraphs(value + "\n\nTwo")),
        (md.bullets([value, "b"]), md.html_bullets([value, "b"])),
        (
            md.definition_list([("Term", value), (value, "2"), ("Empty", "")]),
            md.html_definition_list([("Term", value), (value, "2"), ("Empty", "")]),
        ),
        (
            md.table(["A", "N"], [[value, 1], ["", 2]], numeric_columns=[1]),
            md.html_plain_table(["A", "N"], [[value, 1], ["", 2]], numeric_columns=[1]),
        ),
        (
            f'!!! warning "Illustrative"\n\n    {md.paragraph(value)}',
            md.admonition("warning", "Illustrative", md.html_paragraph(value)),
        ),
        (
            f'<div class="box" markdown="1">\n\n{md.paragraph(value)}\n</div>\n',
            md.html_block("box", md.html_paragraph(value)),
        ),
    ]
    for old, new in pairs:
        assert new.rstrip("\n") == _trailing_spaces_trimmed(_site_markdown(old)), old


def test_toc_tokens_and_ids_of_a_page() -> None:
    body = md.page_text(
        [
            md.page_start("Title", "Sub"),
            md.html_heading(2, "Money"),
            '<ol><li id="source-1">x</li></ol>\n',
            md.html_heading(3, md.join(["Source 1 ", md.lang("扶贫", "zh")])),
            md.html_heading(2, "Money"),
        ]
    )
    assert md.page_headings(body) == [
        md.Heading(1, "title", "Title"),
        md.Heading(2, "money", "Money"),
        md.Heading(3, "source-1_1", 'Source 1 <span lang="zh">扶贫</span>'),
        md.Heading(2, "money_1", "Money"),
    ]
    assert md.page_ids(body) == {"title", "money", "source-1", "source-1_1", "money_1"}

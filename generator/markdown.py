"""All Markdown and HTML syntax of generated pages, and all escaping, in one place.

Data values never reach a page as written: ``text`` turns any value into inert
text that renders identically through Python-Markdown (with the site's
extensions) and inside raw HTML blocks, and ``attr`` makes attribute values.
Both return ``Markup``; passing ``Markup`` again is a no-op, so composing pieces
never escapes twice, and every helper here escapes what is not yet ``Markup``.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal, NamedTuple

from generator import paths
from generator.wording import t


class Markup(str):
    """A string already safe to put into a page as Markdown or HTML."""

    __slots__ = ()


# ASCII punctuation that starts or closes Markdown, HTML or extension syntax
# (all of it but , ; ? / which start nothing) becomes a numeric character reference.
_SYNTAX = "!\"#$%&'()*+-.:<=>@[\\]^_`{|}~"
_ENTITIES = {ord(c): f"&#{ord(c)};" for c in _SYNTAX}
# C0/C1 controls (STX/ETX are Python-Markdown's own placeholders) are dropped.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SPACE = re.compile("[\t\n\x0b\x0c\r \x85\u2028\u2029]+")
# Bidi controls and right-to-left scripts: isolated so they cannot reorder the page.
_BIDI = re.compile(
    "[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]"
)
# Anything ``text`` would change: syntax, controls and whitespace other than a space, bidi.
_SPECIAL = re.compile(
    "[" + re.escape(_SYNTAX) + "\x00-\x1f\x7f-\x9f\u2028\u2029"
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]"
)
_ATTR_SPECIAL = re.compile("[&<>\"'{}\x00-\x1f\x7f-\x9f\u2028\u2029]|  |^ | $")
# Braces as references: template syntax from data ({{ }}, {% %}) must not reach the
# Markdown (mkdocs-macros, or a Liquid site given the export, would evaluate it).
_BRACES = {ord("{"): "&#123;", ord("}"): "&#125;"}
_TEMPLATE_START = re.compile(r"\{(?=[{%#])")
_EMPTY = Markup("")
_SAFE_URL = re.compile(r"(?:https?://|mailto:)[^\s<>\"'`\x00-\x1f\x7f]+", re.IGNORECASE)


def text(value: object) -> Markup:
    """Any value as inert text: no Markdown, HTML or extension syntax, one line."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return _EMPTY
    raw = value if type(value) is str else str(value)
    if _SPECIAL.search(raw) is None and "  " not in raw:
        return Markup(raw)  # nothing to encode (the common case: words and numbers)
    return _escape(raw)


@lru_cache(maxsize=65536)
def _escape(raw: str) -> Markup:
    folded = _SPACE.sub(" ", _CONTROL.sub("", raw))
    safe = folded.translate(_ENTITIES)
    if _BIDI.search(folded):
        return Markup(f"<bdi>{safe}</bdi>")
    return Markup(safe)


def attr(value: object) -> Markup:
    """A value for a double-quoted HTML attribute."""
    if isinstance(value, Markup):
        return value
    if type(value) is str and _ATTR_SPECIAL.search(value) is None:
        return Markup(value)
    raw = _SPACE.sub(" ", _CONTROL.sub("", "" if value is None else str(value))).strip()
    return Markup(html.escape(raw, quote=True).translate(_BRACES))


def join(parts: Iterable[object], sep: str = "") -> Markup:
    """Join pieces, escaping those that are not ``Markup`` yet."""
    return Markup(sep.join(text(p) for p in parts))


def safe_url(url: str | None) -> str | None:
    """The URL if it may become a link (http, https or mailto), else ``None``."""
    if url is None:
        return None
    stripped = url.strip()
    return stripped if _SAFE_URL.fullmatch(stripped) else None


def link(label: object, url: str | None) -> Markup:
    """An external link; a URL that is not http(s) or mailto is shown as text."""
    target = safe_url(url)
    if target is None:
        return text(label if label not in (None, "") else url)
    return Markup(f'<a href="{attr(target)}">{text(label or target)}</a>')


def internal_link(label: object, from_page: str, to_path: str) -> Markup:
    """A Markdown link to a generated page or file, relative, so MkDocs checks it."""
    return Markup(f"[{text(label)}]({_relative(from_page.rpartition('/')[0], to_path)})")


def html_link(label: object, from_page: str, to_path: str) -> Markup:
    """A raw-HTML link to a generated page (its built ``.html``) for use in HTML blocks."""
    target = paths.html_of(to_path) if to_path.endswith(".md") else to_path
    href = _relative(from_page.rpartition("/")[0], target)
    return Markup(f'<a href="{attr(href)}">{text(label)}</a>')


@lru_cache(maxsize=131072)
def _relative(from_dir: str, to_path: str) -> str:
    """``paths.relative`` from any page in ``from_dir``, by string operations only.

    Generated paths are normalised and relative to the docs root, so this equals
    ``posixpath.relpath`` without its calls to ``abspath`` (tested).
    """
    if not from_dir:
        return to_path
    here = from_dir.split("/")
    there = to_path.split("/")
    common = 0
    while common < min(len(here), len(there) - 1) and here[common] == there[common]:
        common += 1
    return "/".join([".."] * (len(here) - common) + there[common:])


def strong(value: object) -> Markup:
    """Bold text."""
    return Markup(f"<strong>{text(value)}</strong>")


def small(value: object) -> Markup:
    """Secondary text in a table cell or heading."""
    return Markup(f"<small>{text(value)}</small>")


def span(value: object, css_class: str, **data: str) -> Markup:
    """Text in a ``span`` with a class and ``data-*`` attributes."""
    extra = "".join(f' data-{k.replace("_", "-")}="{attr(v)}"' for k, v in sorted(data.items()))
    return Markup(f'<span class="{attr(css_class)}"{extra}>{text(value)}</span>')


def bar(share: Decimal | None) -> Markup:
    """A CSS bar for a share between 0 and 1 (decorative: the number is beside it)."""
    if share is None:
        return _EMPTY
    pct = f"{max(Decimal(0), min(Decimal(100), share * 100)):.0f}"
    # data-w, not style="--w: ...": sunshine.css maps 0..100 to widths, and the site's
    # Content-Security-Policy (style-src 'self') blocks inline style attributes.
    return Markup(f'<span class="sunshine-bar" data-w="{pct}" aria-hidden="true"></span>')


def lang(value: object, code: str) -> Markup:
    """Text in another language (e.g. ``zh`` for Chinese names), marked for screen readers."""
    shown = text(value)
    return Markup(f'<span lang="{attr(code)}">{shown}</span>') if shown else shown


# --- blocks -----------------------------------------------------------------------------

# The theme prints the page title unescaped (and in <title> strips tags and decodes
# entities first), so a title from data gets look-alikes for HTML's syntax characters.
_TITLE_SAFE = str.maketrans(
    {"<": "\u2039", ">": "\u203a", "&": "\uff06", '"': "\u201d", "'": "\u2019"}
)
_BIDI_CONTROL = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def plain_title(value: object) -> str:
    """A title safe to print unescaped in HTML: no markup characters, one line."""
    raw = _SPACE.sub(" ", _CONTROL.sub("", "" if value is None else str(value))).strip()
    return _BIDI_CONTROL.sub("", raw).translate(_TITLE_SAFE)


# Search ranks a page by its title words first (English and Chinese), so that a
# place name finds its project before the many pages that merely mention it.
_TITLE_WEIGHT = '{: data-pagefind-weight="10" }'


def page_start(title: object, subtitle: object = None) -> str:
    """Front matter with a safe ``title`` and the ``# Title`` heading of a page."""
    front = "---\ntitle: " + json.dumps(plain_title(title), ensure_ascii=False) + "\n---\n\n"
    head = heading(1, title).rstrip("\n") + " " + _TITLE_WEIGHT + "\n"
    sub = paragraph(subtitle).rstrip("\n") + "\n" + _TITLE_WEIGHT + "\n" if subtitle else ""
    return front + head + ("\n" + sub if sub else "") + "\n"


def heading(level: int, value: object) -> str:
    """An ATX heading line."""
    return f"{'#' * max(1, min(6, level))} {text(value)}\n"


def paragraph(value: object) -> str:
    """A paragraph of text."""
    content = text(
        value.strip() if isinstance(value, str) and not isinstance(value, Markup) else value
    )
    return f"{content}\n" if content.strip() else ""


def paragraphs(body: str | None) -> str:
    """Plain text with blank-line-separated paragraphs as escaped paragraphs."""
    if not body:
        return ""
    parts = re.split(r"\n[ \t]*\n", body.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(p for p in (paragraph(part) for part in parts) if p)


def bullets(items: Iterable[object]) -> str:
    """A bulleted list; each item escaped unless already ``Markup``."""
    return "".join(f"- {text(item)}\n" for item in items)


def definition_list(items: Sequence[tuple[object, object]]) -> str:
    """Key/value pairs as a definition list; empty values are left out."""
    lines: list[str] = []
    for term, value in items:
        shown = text(value)
        if shown.strip():
            lines.append(f"{text(term)}\n:   {shown}\n")
    return "\n".join(lines)


AdmonitionKind = Literal["note", "info", "tip", "warning", "abstract", "question"]


def admonition(kind: AdmonitionKind, title: str, body: str) -> str:
    """A Material admonition; ``title`` is the site's own wording, ``body`` Markdown."""
    clean_title = title.replace('"', "'").replace("\n", " ")
    indented = "".join(f"    {line}\n" if line else "\n" for line in body.rstrip("\n").split("\n"))
    return f'!!! {kind} "{clean_title}"\n\n{indented}'


def table(
    headers: Sequence[object],
    rows: Iterable[Sequence[object]],
    numeric_columns: Iterable[int] = (),
) -> str:
    """A Markdown table; numeric columns are right-aligned."""
    numeric = set(numeric_columns)
    head = "| " + " | ".join(text(h) for h in headers) + " |"
    rule = "|" + "|".join("---:" if i in numeric else "---" for i in range(len(headers))) + "|"
    body = ["| " + " | ".join(text(c) or " " for c in row) + " |" for row in rows]
    return "\n".join([head, rule, *body]) + "\n"


SortKind = Literal["text", "number", "date"]


@dataclass(frozen=True)
class Column:
    """A column of an HTML table: header label and how the sorting script compares it."""

    label: str
    sort: SortKind = "text"


class Cell(NamedTuple):
    """A table cell with a machine value (``data-value``) for sorting numbers and dates."""

    content: object
    value: object = None


def html_table(
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    *,
    table_id: str | None = None,
    caption: object = None,
    sortable: bool = False,
    filterable: bool = False,
) -> str:
    """A raw HTML table (``class="sunshine-table"``) that works without JavaScript.

    Cells are escaped unless ``Markup``; a ``Cell`` with a value adds ``data-value``.
    """
    opening = ['<table class="sunshine-table"']
    if table_id:
        opening.append(f' id="{attr(table_id)}"')
    if sortable:
        opening.append(" data-sortable")
    if filterable:
        opening.append(" data-filterable")
    out = ["".join(opening) + ">"]
    if caption:
        out.append(f"<caption>{text(caption)}</caption>")
    out.append(_thead(tuple(columns)))
    out.append("<tbody>")
    td = _td
    out.extend("<tr>" + "".join([td(c) for c in row]) + "</tr>" for row in rows)
    out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out) + "\n"


@lru_cache(maxsize=256)
def _thead(columns: tuple[Column, ...]) -> str:
    cells = "".join(f'<th scope="col" data-sort="{c.sort}">{text(c.label)}</th>' for c in columns)
    return f"<thead><tr>{cells}</tr></thead>"


def _td(cell: object) -> str:
    if type(cell) is Cell:
        if cell.value is None:
            return f"<td>{text(cell.content)}</td>"
        return f'<td data-value="{attr(cell.value)}">{text(cell.content)}</td>'
    return f"<td>{text(cell)}</td>"


def html_block(css_class: str, content: str) -> str:
    """Markdown content wrapped in a ``div`` (parsed as Markdown via ``md_in_html``)."""
    return f'<div class="{attr(css_class)}" markdown="1">\n\n{content.rstrip()}\n\n</div>\n'


def details(summary: object, html_content: str) -> str:
    """A collapsed block around raw HTML (e.g. an ``html_table``), as a raw HTML block."""
    return (
        f'<details class="note sunshine-details">\n<summary>{text(summary)}</summary>\n'
        f"{html_content.rstrip()}\n</details>\n"
    )


# --- charts -----------------------------------------------------------------------------


def script_json(spec: dict[str, Any]) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` appear literally.

    Nor template syntax: a ``{`` before ``{``, ``%`` or ``#`` can only be inside a
    string (an object opens with ``"`` or ``}``), and is written ``\\u007b`` there.
    """
    dumped = json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    dumped = dumped.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return _TEMPLATE_START.sub(r"\\u007b", dumped)


def canonical_json(spec: dict[str, Any]) -> str:
    """The canonical serialisation of a chart spec file."""
    return json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def chart_block(
    chart_id: str,
    spec: dict[str, Any],
    spec_path: str,
    page_path: str,
    summary: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[object]],
    language: str = "en",
) -> str:
    """A chart: inline spec for the script, static SVG fallback, caption and its data table."""
    svg = paths.relative(page_path, paths.chart_svg(spec_path))
    width = int(spec.get("width", 600))
    height = int(spec.get("height", 300))
    data_table = html_table(columns, rows)
    return (
        f'<figure class="sunshine-chart" id="chart-{attr(chart_id)}" markdown="0">\n'
        f'<script type="application/json" class="sunshine-chart__spec">{script_json(spec)}'
        "</script>\n"
        '<div class="sunshine-chart__vega" aria-hidden="true"></div>\n'
        f'<img class="sunshine-chart__static" src="{attr(svg)}" alt="{attr(summary)}" '
        f'loading="lazy" width="{width}" height="{height}">\n'
        f"<figcaption>{text(summary)}</figcaption>\n"
        '<details class="sunshine-chart__data"><summary>'
        f"{text(t('chart.data', language))}</summary>\n{data_table}</details>\n"
        "</figure>\n"
    )

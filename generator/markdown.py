"""All HTML and Markdown syntax of generated pages, and all escaping, in one place.

Generated pages are HTML under YAML front matter (``page_start``, ``page_text``):
MkDocs hands their body to the theme without running Python-Markdown on it. The
data pages of ``generator/downloads`` are still Markdown, written with the helpers
at the end of this module.

Data values never reach a page as written: ``text`` turns any value into inert
text that shows identically in HTML and through Python-Markdown (with the site's
extensions), and ``attr`` makes attribute values. Both return ``Markup``; passing
``Markup`` again is a no-op, so composing pieces never escapes twice, and every
helper here escapes what is not yet ``Markup``.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
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
    """A Markdown link to a page or file, relative, so MkDocs checks it (Markdown pages)."""
    return Markup(f"[{text(label)}]({_relative(from_page.rpartition('/')[0], to_path)})")


def html_link(label: object, from_page: str, to_path: str) -> Markup:
    """A relative link to a generated page (its built ``.html``) or file."""
    return Markup(f'<a href="{_href(from_page.rpartition("/")[0], to_path)}">{text(label)}</a>')


@lru_cache(maxsize=131072)
def _href(from_dir: str, to_path: str) -> str:
    target = paths.html_of(to_path) if to_path.endswith(".md") else to_path
    return attr(_relative(from_dir, target))


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


# --- pages: front matter and an HTML body ------------------------------------------------
#
# Generated pages are ``*.md`` files whose body is ready HTML: the plugin hands it to the
# theme as it is, without Python-Markdown. So the markup here is the markup Python-Markdown
# made from the site's Markdown (``toc`` ids and permalinks, ``def_list``, ``admonition``).

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
_TITLE_WEIGHT = ' data-pagefind-weight="10"'


def page_start(title: object, subtitle: object = None) -> str:
    """Front matter with a safe ``title``, the page's ``h1`` and its subtitle, if any."""
    front = "---\ntitle: " + json.dumps(plain_title(title), ensure_ascii=False) + "\n---\n\n"
    sub = _inline(subtitle)
    return (
        front
        + html_heading(1, title, _TITLE_WEIGHT)
        + (f"<p{_TITLE_WEIGHT}>{sub}</p>\n" if sub else "")
    )


def page_text(parts: Iterable[str]) -> str:
    """A page from its blocks (``page_start`` first), its heading ids made unique."""
    return unique_heading_ids("".join(p if p.endswith("\n") else p + "\n" for p in parts if p))


def html_heading(level: int, value: object, attrs: str = "") -> str:
    """A heading with the id and permalink the ``toc`` extension gives it."""
    inner = _inline(value)
    return _heading(max(1, min(6, level)), attrs, heading_id(inner), inner)


def _heading(level: int, attrs: str, anchor: str, inner: str) -> str:
    permalink = f'<a class="headerlink" href="#{anchor}" title="Permanent link">&para;</a>'
    return f'<h{level}{attrs} id="{anchor}">{inner}{permalink}</h{level}>\n'


_TAG = re.compile(r"<[^>]*>")
_NOT_SLUG = re.compile(r"[^\w\s-]")
_SLUG_GAP = re.compile(r"[-\s]+")


def heading_id(inner: Markup) -> str:
    """The ``toc`` extension's id for a heading: its text as an ASCII slug.

    A heading with no ASCII letter or digit gets ``_1`` (as ``toc`` gives it, or
    the next free ``_n`` once ``unique_heading_ids`` has run).
    """
    shown = html.unescape(" ".join(_TAG.sub("", inner).split()))
    ascii_only = unicodedata.normalize("NFKD", shown).encode("ascii", "ignore").decode("ascii")
    return _SLUG_GAP.sub("-", _NOT_SLUG.sub("", ascii_only).strip().lower()) or "_1"


# ``text`` and ``attr`` never let ``"`` through, so data cannot spell `` id="``. In a
# chart's JSON a string may end in " id=", but what follows its quote (``,``, ``:``,
# ``}`` or ``]``) is never a heading's id, so such a match does no harm.
_ID = re.compile(r'\sid="([^"]*)"')
_HEADING = re.compile(
    r'<h([1-6])((?: [a-z-]+="[^"]*")*) id="([^"]*)">(.*?)'
    r'<a class="headerlink" href="#[^"]*" title="Permanent link">&para;</a></h\1>\n'
)
_NUMBERED = re.compile(r"^(.*)_([0-9]+)$")


def unique_heading_ids(body: str) -> str:
    """Repeated heading ids get ``_1``, ``_2``... in page order, as ``toc`` numbers them.

    Like ``toc``, a heading never takes an id another element of the page has.
    """
    anchors = [match.group(3) for match in _HEADING.finditer(body)]
    if all(body.count(f' id="{anchor}"') == 1 for anchor in anchors):
        return body  # the common case, found without parsing every tag
    taken = set(_ID.findall(_HEADING.sub("", body)))

    def renumber(match: re.Match[str]) -> str:
        level, attrs, anchor, inner = match.groups()
        free = _unique(anchor, taken)
        return match.group(0) if free == anchor else _heading(int(level), attrs, free, inner)

    return _HEADING.sub(renumber, body)


def _unique(anchor: str, taken: set[str]) -> str:
    """``anchor``, or the next ``base_n`` not in ``taken``; the result is taken."""
    if anchor in taken:
        numbered = _NUMBERED.match(anchor)
        base, count = (numbered.group(1), int(numbered.group(2))) if numbered else (anchor, 0)
        count += 1
        while f"{base}_{count}" in taken:
            count += 1
        anchor = f"{base}_{count}"
    taken.add(anchor)
    return anchor


class Heading(NamedTuple):
    """A heading of a page: level, id and inner HTML (the permalink left out)."""

    level: int
    anchor: str
    inner: str


def page_headings(body: str) -> list[Heading]:
    """The headings of a page body, in order."""
    return [Heading(int(m.group(1)), m.group(3), m.group(4)) for m in _HEADING.finditer(body)]


def page_ids(body: str) -> set[str]:
    """Every id in a page body: the anchors a link to the page may name."""
    return {html.unescape(anchor) for anchor in _ID.findall(body)}


def _inline(value: object) -> Markup:
    """Text for inside a block: a string trimmed, then escaped (``Markup`` as it is)."""
    return text(value.strip() if type(value) is str else value)


def html_paragraph(value: object, attrs: str = "") -> str:
    """A paragraph of text; nothing for empty text. ``attrs``: ready attributes, space first."""
    content = _inline(value)
    return f"<p{attrs}>{content}</p>\n" if content else ""


def html_paragraphs(body: str | None) -> str:
    """Plain text with blank-line-separated paragraphs as escaped paragraphs."""
    if not body:
        return ""
    parts = re.split(r"\n[ \t]*\n", body.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(html_paragraph(part) for part in parts)


def html_bullets(items: Iterable[object], attrs: str = "") -> str:
    """A bulleted list; each item escaped unless already ``Markup``."""
    lines = "".join(f"<li>{_inline(item)}</li>\n" for item in items)
    return f"<ul{attrs}>\n{lines}</ul>\n" if lines else ""


def html_definition_list(items: Sequence[tuple[object, object]]) -> str:
    """Key/value pairs as a definition list; empty values are left out."""
    lines = []
    for term, value in items:
        shown = _inline(value)
        if shown:
            lines.append(f"<dt>{_inline(term)}</dt>\n<dd>{shown}</dd>\n")
    return "<dl>\n" + "".join(lines) + "</dl>\n" if lines else ""


AdmonitionKind = Literal["note", "info", "tip", "warning", "abstract", "question"]


def admonition(kind: AdmonitionKind, title: str, body: str) -> str:
    """A Material admonition around HTML blocks; ``title`` is the site's own wording."""
    return (
        f'<div class="admonition {attr(kind)}">\n'
        f'<p class="admonition-title">{_inline(title)}</p>\n{body.rstrip()}\n</div>\n'
    )


def html_block(css_class: str, content: str) -> str:
    """HTML blocks wrapped in a ``div`` with a class."""
    return f'<div class="{attr(css_class)}">\n{content.rstrip()}\n</div>\n'


def details(summary: object, html_content: str) -> str:
    """A collapsed block around HTML (e.g. an ``html_table``)."""
    return (
        f'<details class="note sunshine-details">\n<summary>{text(summary)}</summary>\n'
        f"{html_content.rstrip()}\n</details>\n"
    )


def html_plain_table(
    headers: Sequence[object],
    rows: Iterable[Sequence[object]],
    numeric_columns: Iterable[int] = (),
) -> str:
    """A small table as the site's Markdown tables look: numeric columns right-aligned."""
    numeric = set(numeric_columns)
    right = ' align="right"'

    def cells(tag: str, values: Sequence[object]) -> str:
        return "".join(
            f"<{tag}{right if i in numeric else ''}>{_inline(v)}</{tag}>\n"
            for i, v in enumerate(values)
        )

    body = "".join(f"<tr>\n{cells('td', row)}</tr>\n" for row in rows)
    return (
        f"<table>\n<thead>\n<tr>\n{cells('th', headers)}</tr>\n</thead>\n"
        f"<tbody>\n{body}</tbody>\n</table>\n"
    )


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
    rows: Iterable[Sequence[object]] | Markup,
    *,
    table_id: str | None = None,
    caption: object = None,
    sortable: bool = False,
    filterable: bool = False,
) -> str:
    """An HTML table (``class="sunshine-table"``) that works without JavaScript.

    Cells are escaped unless ``Markup``; a ``Cell`` with a value adds ``data-value``.
    ``rows`` may be a body made by ``html_table_rows`` (a big table built in pieces).
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
    body = rows if isinstance(rows, Markup) else html_table_rows(rows)
    if body:
        out.append(body)
    out.append("</tbody>")
    out.append("</table>")
    return "\n".join(out) + "\n"


def html_table_rows(rows: Iterable[Sequence[object]]) -> Markup:
    """The ``<tr>`` lines of a table body; bodies join with a newline between them."""
    td = _td
    return Markup("\n".join(["<tr>" + "".join([td(c) for c in row]) + "</tr>" for row in rows]))


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


# --- Markdown blocks: for the data pages (generator/downloads/pages.py), still Markdown --


def heading(level: int, value: object) -> str:
    """An ATX heading line."""
    return f"{'#' * max(1, min(6, level))} {text(value)}\n"


def paragraph(value: object) -> str:
    """A paragraph of text."""
    content = text(
        value.strip() if isinstance(value, str) and not isinstance(value, Markup) else value
    )
    return f"{content}\n" if content.strip() else ""


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
        f'<figure class="sunshine-chart" id="chart-{attr(chart_id)}">\n'
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

"""A small writer of Excel workbooks (SpreadsheetML), fast and deterministic.

Sheets are written as text: one string per row, inline strings (so a sheet
depends on its own rows only and can be cached alone), numbers and booleans as
values, dates as serial numbers with a date format. The header row is bold and
frozen. Every text cell goes through the formula neutralisation of
``safety.neutralise`` and is stored as text, never as a formula. The package
holds only the parts Excel needs (content types, relationships, workbook,
styles, sheets) and the core properties, dated by the caller, so the same
sheets give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from functools import cache
from typing import Any

from generator.downloads.safety import FORMULA_STARTS, neutralise
from generator.downloads.ziparchive import Deflated, deflate, zip_archive

MAX_TEXT = 32_767  # the most characters a cell holds
BOLD, DATE = ' s="1"', ' s="2"'  # cell formats, in the order of styles.xml
EXCEL_EPOCH = date(1899, 12, 30)
_HUGE = 1e308  # beyond it a number cannot be a float, let alone an Excel number
# Characters that need work before they go in a text cell: markup, carriage returns
# and the control characters XML cannot hold.
_UNUSUAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\r&<>\ufffe\uffff]")
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

SHEET_END = "</sheetData></worksheet>"


# Cells and rows


@cache
def column_letter(index: int) -> str:
    """The letters of the column at ``index`` (0 is ``A``, 26 is ``AA``)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@cache
def column_letters(count: int) -> tuple[str, ...]:
    """The letters of the first ``count`` columns."""
    return tuple(column_letter(i) for i in range(count))


def sheet_start(header: Sequence[str]) -> str:
    """A sheet's XML up to its rows: the frozen first row, then the header in bold."""
    cells = "".join(
        text_cell(f"{column_letter(i)}1", column, BOLD) for i, column in enumerate(header)
    )
    return (
        f'{_DECLARATION}<worksheet xmlns="{_MAIN}"><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
        f'<sheetData><row r="1">{cells}</row>'
    )


def rows_xml(rows: Iterable[Sequence[Any]], first: int) -> str:
    """Rows of values (text, number, boolean, date or ``None``), numbered from ``first``."""
    out = []
    for number, values in enumerate(rows, first):
        n = str(number)
        cells = [
            cell(letter + n, value)
            for letter, value in zip(column_letters(len(values)), values, strict=True)
            if value is not None
        ]
        out.append(f'<row r="{n}">{"".join(cells)}</row>')
    return "".join(out)


def cell(ref: str, value: Any) -> str:
    """One cell: text as text, numbers and booleans as values, a date as a serial number."""
    kind = type(value)
    if kind is str:
        return text_cell(ref, value)
    if kind is bool:
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if (kind is int or kind is float) and -_HUGE < value < _HUGE:  # NaN and inf are text
        return f'<c r="{ref}" t="n"><v>{value:.16g}</v></c>'
    if kind is date:
        return f'<c r="{ref}"{DATE} t="n"><v>{serial(value)}</v></c>'
    return text_cell(ref, str(value))


def text_cell(ref: str, value: str, style: str = "") -> str:
    """A text cell, neutralised when a spreadsheet could read it as a formula."""
    text = neutralise(value) if value.startswith(FORMULA_STARTS) else value  # most do not
    if _UNUSUAL.search(text) is not None or len(text) > MAX_TEXT:
        text = escape(clean_text(text))
    if not text:
        return f'<c r="{ref}"{style}/>'
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def clean_text(text: str) -> str:
    """Text as a cell can hold it: line breaks as line feeds, no control characters.

    XML reads a carriage return as a line feed anyway, so a line break is written
    as a line feed, as Excel writes it; other control characters cannot be stored
    and become U+FFFD. A cell holds at most 32,767 characters.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _ILLEGAL.sub("\ufffd", text)[:MAX_TEXT]


def escape(text: str) -> str:
    """Text with XML's markup characters escaped (also fit for attribute values)."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def serial(day: date) -> int:
    """Excel's serial number of a day (1900 date system, with its 29 February 1900)."""
    days = (day - EXCEL_EPOCH).days
    return days - 1 if 0 < days <= 60 else days


def sheet(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A whole sheet's XML: the bold, frozen header and the rows below it."""
    return (sheet_start(header) + rows_xml(rows, 2) + SHEET_END).encode("utf-8")


# The package


def workbook(sheets: Sequence[tuple[str, Deflated]], created: datetime, creator: str) -> bytes:
    """A workbook of the named sheets (compressed sheet XML), in order, dated ``created``."""
    parts = [
        ("[Content_Types].xml", content_types(len(sheets))),
        ("_rels/.rels", _package_rels()),
        ("docProps/core.xml", core_properties(created, creator)),
        ("xl/workbook.xml", workbook_xml([title for title, _ in sheets])),
        ("xl/_rels/workbook.xml.rels", workbook_rels(len(sheets))),
        ("xl/styles.xml", STYLES),
    ]
    members = [(name, deflate(content.encode("utf-8"))) for name, content in parts]
    members += [(f"xl/worksheets/sheet{i}.xml", s) for i, (_, s) in enumerate(sheets, 1)]
    return zip_archive(members, created.date())


def content_types(sheet_count: int) -> str:
    """``[Content_Types].xml``: the type of every part."""
    overrides = [
        ("/xl/workbook.xml", f"{_OFFICE}.sheet.main+xml"),
        ("/xl/styles.xml", f"{_OFFICE}.styles+xml"),
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        *((f"/xl/worksheets/sheet{i}.xml", f"{_OFFICE}.worksheet+xml") for i in _ids(sheet_count)),
    ]
    listed = "".join(f'<Override PartName="{p}" ContentType="{t}"/>' for p, t in overrides)
    return (
        f'{_DECLARATION}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{listed}</Types>'
    )


def _package_rels() -> str:
    return _relationships(
        [
            (f"{_DOC_RELS}/officeDocument", "xl/workbook.xml"),
            (f"{_PKG_RELS}/metadata/core-properties", "docProps/core.xml"),
        ]
    )


def workbook_rels(sheet_count: int) -> str:
    """The workbook's relationships: its sheets (``rId1``…), then its styles."""
    sheets = [(f"{_DOC_RELS}/worksheet", f"worksheets/sheet{i}.xml") for i in _ids(sheet_count)]
    return _relationships([*sheets, (f"{_DOC_RELS}/styles", "styles.xml")])


def _relationships(targets: Sequence[tuple[str, str]]) -> str:
    listed = "".join(
        f'<Relationship Id="rId{i}" Type="{kind}" Target="{target}"/>'
        for i, (kind, target) in enumerate(targets, 1)
    )
    return f'{_DECLARATION}<Relationships xmlns="{_PKG_RELS}">{listed}</Relationships>'


def workbook_xml(titles: Sequence[str]) -> str:
    """``xl/workbook.xml``: the sheets by title, the first one open."""
    sheets = "".join(
        f'<sheet name="{escape(title)}" sheetId="{i}" r:id="rId{i}"/>'
        for i, title in enumerate(titles, 1)
    )
    return (
        f'{_DECLARATION}<workbook xmlns="{_MAIN}" xmlns:r="{_DOC_RELS}">'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{sheets}</sheets></workbook>'
    )


def core_properties(created: datetime, creator: str) -> str:
    """``docProps/core.xml``: who made the workbook and when (created and modified alike)."""
    when = created.strftime("%Y-%m-%dT%H:%M:%SZ")
    who = escape(clean_text(creator))
    stamp = f'xsi:type="dcterms:W3CDTF">{when}'
    return (
        f"{_DECLARATION}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:creator>{who}</dc:creator><cp:lastModifiedBy>{who}</cp:lastModifiedBy>"
        f"<dcterms:created {stamp}</dcterms:created><dcterms:modified {stamp}</dcterms:modified>"
        "</cp:coreProperties>"
    )


def _ids(count: int) -> range:
    return range(1, count + 1)


# Cell formats: 0 plain, 1 bold (BOLD), 2 a date as yyyy-mm-dd (DATE).
STYLES = (
    f'{_DECLARATION}<styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs>"
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)

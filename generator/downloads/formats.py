"""Writers of the download formats: JSON rows, Excel-friendly CSV, workbook, zip, checksums.

Every writer is deterministic: the same rows give the same bytes (fixed zip
timestamps and entry order, fixed workbook properties).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.writer.excel import ExcelWriter

from generator.downloads.fields import constraints_in_words, excel_value, is_required, json_value
from generator.downloads.resources import Resource
from generator.downloads.safety import neutralise

if TYPE_CHECKING:
    from _typeshed import SizedBuffer, StrPath

BOM = "\ufeff"
ZIP_EPOCH = date(1980, 1, 1)  # the earliest time a zip entry can carry
FIELDS_SHEET = "fields"
FIELDS_HEADER = ("resource", "field", "title", "type", "required", "constraints", "description")


# JSON


def rows_json(resource: Resource) -> bytes:
    """The rows as a JSON array of objects, one object per line, values typed by the schema."""
    rows = resource.table.rows
    lines = [json.dumps(_json_row(resource, row), ensure_ascii=False) for row in rows]
    body = ",\n".join(lines)
    return f"[\n{body}\n]\n".encode() if lines else b"[]\n"


def _json_row(resource: Resource, row: Mapping[str, str]) -> dict[str, Any]:
    return {
        column: json_value(row.get(column, ""), resource.typed_fields.get(column), resource.missing)
        for column in resource.table.header
    }


# Excel-friendly CSV


def excel_csv(resource: Resource) -> bytes:
    """UTF-8 with BOM, comma-separated, CRLF, formula-like cells neutralised."""
    out = io.StringIO(newline="")
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    header = resource.table.header
    writer.writerow(neutralise(column) for column in header)
    for row in resource.table.rows:
        writer.writerow(neutralise(row.get(column, "")) for column in header)
    return out.getvalue().encode("utf-8")


# Workbook


def workbook(resources: Sequence[Resource], created: datetime, creator: str) -> bytes:
    """A workbook with a sheet per resource (typed cells, bold frozen header) and a fields sheet."""
    book = Workbook(write_only=True)
    book.properties.created = created
    book.properties.modified = created
    book.properties.creator = creator
    book.properties.lastModifiedBy = creator
    titles = sheet_titles([r.name for r in resources])
    for resource, title in zip(resources, titles, strict=True):
        _resource_sheet(book.create_sheet(title), resource)
    _fields_sheet(book.create_sheet(FIELDS_SHEET), resources)
    return _save(book, created)


def sheet_titles(names: Sequence[str]) -> list[str]:
    """Sheet titles for resource names: at most 31 characters, unique."""
    titles: list[str] = []
    for name in names:
        title = name[:31]
        while title.lower() in (t.lower() for t in [*titles, FIELDS_SHEET]):
            title = f"{title[:29]}_{len(titles)}"
        titles.append(title)
    return titles


def _resource_sheet(sheet: WriteOnlyWorksheet, resource: Resource) -> None:
    sheet.freeze_panes = "A2"
    sheet.append(_header_cells(sheet, resource.table.header))
    for row in resource.table.rows:
        sheet.append(_sheet_row(resource, row))


def _header_cells(sheet: WriteOnlyWorksheet, header: Iterable[str]) -> list[WriteOnlyCell]:
    bold = Font(bold=True)
    cells = []
    for column in header:
        cell = _cell(sheet, column)
        cell.font = bold
        cells.append(cell)
    return cells


def _sheet_row(resource: Resource, row: Mapping[str, str]) -> list[Any]:
    # Plain values, not cells: several times faster. Text never starts with "=" once
    # neutralised, so openpyxl keeps every text value a string, never a formula.
    return [
        _sheet_value(excel_value(row.get(c, ""), resource.field(c), resource.missing))
        for c in resource.table.header
    ]


def _sheet_value(value: Any) -> Any:
    return _sheet_text(value) if isinstance(value, str) else value


def _cell(sheet: WriteOnlyWorksheet, value: Any) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=_sheet_value(value))
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _sheet_text(value: str) -> str:
    # XML reads a carriage return as a line feed anyway, so say so: a line break in a
    # cell is a line feed, as Excel writes it. Other control characters cannot be stored.
    text = neutralise(value).replace("\r\n", "\n").replace("\r", "\n")
    return str(ILLEGAL_CHARACTERS_RE.sub("\ufffd", text))


def _fields_sheet(sheet: WriteOnlyWorksheet, resources: Sequence[Resource]) -> None:
    sheet.freeze_panes = "A2"
    sheet.append(_header_cells(sheet, FIELDS_HEADER))
    for resource in resources:
        for column in resource.table.header:
            sheet.append([_sheet_value(v) for v in _field_row(resource, column)])


def _field_row(resource: Resource, column: str) -> list[str]:
    field = resource.field(column) or {}
    return [
        resource.name,
        column,
        str(field.get("title", "")),
        str(field.get("type", "string")),
        "yes" if is_required(field) else "no",
        constraints_in_words(field),
        str(field.get("description", "")),
    ]


def _save(book: Workbook, created: datetime) -> bytes:
    out = io.BytesIO()
    archive = fixed_time_zip(out, created.date())
    # ExcelWriter directly: Workbook.save would stamp the current time as "modified".
    ExcelWriter(book, archive).save()
    return out.getvalue()


# Zip


class FixedTimeZip(zipfile.ZipFile):
    """A zip file whose entries all carry one fixed time and Unix permissions."""

    when: date = ZIP_EPOCH

    def writestr(
        self,
        zinfo_or_arcname: str | zipfile.ZipInfo,
        data: SizedBuffer | str,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Write an entry, stamped with the fixed time whatever the caller gave."""
        name = (
            zinfo_or_arcname.filename
            if isinstance(zinfo_or_arcname, zipfile.ZipInfo)
            else zinfo_or_arcname
        )
        super().writestr(self._info(name), data, compress_type, compresslevel)

    def write(
        self,
        filename: StrPath,
        arcname: StrPath | None = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """Write a file from disk as an entry with the fixed time (not the file's own)."""
        with open(filename, "rb") as source:
            self.writestr(str(arcname or filename), source.read(), compress_type, compresslevel)

    def _info(self, name: str) -> zipfile.ZipInfo:
        day = max(self.when, ZIP_EPOCH)
        info = zipfile.ZipInfo(name, (day.year, day.month, day.day, 0, 0, 0))
        info.compress_type = self.compression
        info.create_system = 3  # Unix, on every platform
        info.external_attr = 0o100644 << 16
        return info


def fixed_time_zip(out: io.BytesIO, when: date) -> FixedTimeZip:
    """A deflating zip writer into ``out`` whose entries are all dated ``when``."""
    archive = FixedTimeZip(out, "w", zipfile.ZIP_DEFLATED)
    archive.when = when
    return archive


def zip_bytes(entries: Mapping[str, bytes], when: date) -> bytes:
    """A deflated zip of ``entries`` (name -> bytes), sorted by name, all at ``when``."""
    out = io.BytesIO()
    with fixed_time_zip(out, when) as archive:
        for name in sorted(entries):
            archive.writestr(name, entries[name])
    return out.getvalue()


# Checksums


def sha256(content: bytes) -> str:
    """Hex SHA-256 of ``content``."""
    return hashlib.sha256(content).hexdigest()


def sha256sums(files: Mapping[str, bytes]) -> bytes:
    """A ``SHA256SUMS`` file in ``sha256sum`` format (hash, two spaces, name), sorted by name."""
    return "".join(f"{sha256(files[name])}  {name}\n" for name in sorted(files)).encode()

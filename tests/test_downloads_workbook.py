"""The workbook writer and the zip writer, read back with openpyxl, pandas and zipfile."""

from __future__ import annotations

import io
import zipfile
import zlib
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import openpyxl
import pandas as pd
import pytest
from downloads_support import (
    MINIMAL,
    RELEASE,
    Files,
    add_benefit_labels,
    build,
    csv_rows,
    minimal_data,
)

from generator.downloads import xlsx
from generator.downloads.fields import fields_by_name
from generator.downloads.safety import neutralise
from generator.downloads.ziparchive import (
    crc32_combine,
    deflate,
    joined,
    segment,
    zip_archive,
)

WORKBOOK = "minimal-1.0.0.xlsx"
HOSTILE_ROWS = [
    '=HYPERLINK("http://evil","x")',
    "+1+1",
    "@SUM(1)",
    "#N/A",
    'a & b <c> "d"',
    "  padded  ",
    "line\r\nbreak\rand\tbell\x07",
]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    data = minimal_data(tmp_path_factory.mktemp("workbook"))
    return build(add_benefit_labels(data, HOSTILE_ROWS))


def _schemas() -> dict[str, dict[str, Any]]:
    import json

    descriptor = json.loads((MINIMAL / "datapackage.json").read_text("utf-8"))
    return {r["name"]: fields_by_name(r["schema"]) for r in descriptor["resources"]}


def _matches(value: Any, cell: str, field: dict[str, Any]) -> bool:
    """Whether a workbook value is the CSV cell as the field types it."""
    kind = field.get("type", "string")
    if cell == "":
        return value is None or value == ""
    if kind == "date":
        return bool(value.date() == date.fromisoformat(cell))
    if kind == "boolean":
        return value is (cell == "true")
    if kind in ("integer", "number", "year"):
        return Decimal(str(value)) == Decimal(cell)
    text = neutralise(cell).replace("\r\n", "\n").replace("\r", "\n").replace("\x07", "\ufffd")
    return bool(value == text)


def _csv_of(files: Files, resource: str) -> list[list[str]]:
    return csv_rows(files[f"{RELEASE}/{resource}.csv"])


def test_every_cell_read_with_openpyxl_is_the_csv_cell(files: Files) -> None:
    book = openpyxl.load_workbook(io.BytesIO(files[f"{RELEASE}/{WORKBOOK}"]))
    for resource, fields in _schemas().items():
        rows = _csv_of(files, resource)
        values = list(book[resource].iter_rows(values_only=True))
        assert [list(v) for v in values[:1]] == [rows[0]]
        assert len(values) == len(rows), resource
        for number, (row, read) in enumerate(zip(rows[1:], values[1:], strict=True), 2):
            for column, cell, value in zip(rows[0], row, read, strict=True):
                assert _matches(value, cell, fields[column]), (resource, number, column, value)


def test_every_cell_read_with_pandas_is_the_csv_cell(files: Files) -> None:
    content = io.BytesIO(files[f"{RELEASE}/{WORKBOOK}"])
    # As read: no guessing of types from text, and "#N/A" is text, not a missing value.
    sheets = pd.read_excel(content, sheet_name=None, dtype=object, keep_default_na=False)
    for resource, fields in _schemas().items():
        rows = _csv_of(files, resource)
        frame = sheets[resource]
        assert list(frame.columns) == rows[0]
        assert len(frame) == len(rows) - 1
        for row, (_, read) in zip(rows[1:], frame.iterrows(), strict=True):
            for column, cell in zip(rows[0], row, strict=True):
                value = read[column]
                if isinstance(value, pd.Timestamp):
                    value = value.to_pydatetime()
                assert _matches(value, cell, fields[column]), (resource, column, value)


def test_hostile_text_stays_text_and_whole(files: Files) -> None:
    book = openpyxl.load_workbook(io.BytesIO(files[f"{RELEASE}/{WORKBOOK}"]))
    cells = [r[4] for r in book["benefits"].iter_rows(min_row=2) if r[0].value.startswith("host")]
    assert [c.data_type for c in cells] == ["s"] * len(HOSTILE_ROWS)
    assert cells[0].value == "'" + HOSTILE_ROWS[0]
    assert cells[3].value == "#N/A"  # text, not an error value
    assert cells[4].value == HOSTILE_ROWS[4]
    assert cells[5].value == "  padded  "
    assert cells[6].value == "line\nbreak\nand\tbell\ufffd"


def test_header_is_bold_and_frozen_dates_have_a_date_format(files: Files) -> None:
    book = openpyxl.load_workbook(io.BytesIO(files[f"{RELEASE}/{WORKBOOK}"]))
    funds = book["funds"]
    assert funds.freeze_panes == "A2"
    assert all(cell.font.b for cell in funds[1])
    assert not funds["A2"].font.b
    assert funds["G2"].is_date and funds["G2"].number_format == "yyyy-mm-dd"


def test_workbook_parts_are_listed_and_deterministic(files: Files) -> None:
    content = files[f"{RELEASE}/{WORKBOOK}"]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        types = archive.read("[Content_Types].xml").decode()
    assert names[0] == "[Content_Types].xml"
    for name in names:
        if name.endswith(".xml") and not name.startswith("["):
            assert f'PartName="/{name}"' in types, name


# Cells


@pytest.mark.parametrize(
    ("index", "letters"), [(0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA")]
)
def test_column_letters(index: int, letters: str) -> None:
    assert xlsx.column_letter(index) == letters


@pytest.mark.parametrize(
    ("day", "number"),
    [
        (date(1900, 1, 1), 1),
        (date(1900, 2, 28), 59),
        (date(1900, 3, 1), 61),
        (date(2019, 3, 1), 43525),
    ],
)
def test_dates_are_excel_serial_numbers(day: date, number: int) -> None:
    assert xlsx.serial(day) == number


def test_values_keep_their_types_when_read_back() -> None:
    values = ["text", 3, -1.5, 150000.5, True, False, date(2019, 3, 1), None, 12345678901234567]
    book = _book(xlsx.sheet([f"c{i}" for i in range(len(values))], [values]))
    read = [c.value for c in book.active[2]]
    assert read[:6] == ["text", 3, -1.5, 150000.5, True, False]
    assert read[6] == datetime(2019, 3, 1)
    assert read[7] is None
    assert read[8] == pytest.approx(12345678901234567)


def test_long_text_is_cut_at_the_cell_limit() -> None:
    book = _book(xlsx.sheet(["c"], [["x" * 40_000]]))
    assert book.active["A2"].value == "x" * xlsx.MAX_TEXT


def _book(sheet: bytes) -> Any:
    content = xlsx.workbook([("s", deflate(sheet))], datetime(2024, 1, 1), "Office & Co")
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.properties.creator == "Office & Co"
    return book


# Zip


def test_segments_join_into_one_stream() -> None:
    pieces = [b"a" * 70_000, b"", "数据,1\n".encode() * 500, bytes(range(256))]
    stream = joined(segment(piece) for piece in pieces)
    whole = b"".join(pieces)
    assert zlib.decompress(stream.data, -15) == whole
    assert (stream.crc, stream.size) == (zlib.crc32(whole), len(whole))


def test_crc_of_a_concatenation_from_its_parts() -> None:
    first, second = b"first part", b"and the second"
    combined = crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second))
    assert combined == zlib.crc32(first + second)


def test_zip_archive_reads_back_with_its_date_and_mode() -> None:
    members = [("b.csv", deflate(b"b\n")), ("目录/a.json", deflate(b"{}"))]
    content = zip_archive(members, date(2019, 12, 31))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None
        assert archive.namelist() == ["b.csv", "目录/a.json"]
        assert archive.read("目录/a.json") == b"{}"
        info = archive.getinfo("b.csv")
    assert info.date_time == (2019, 12, 31, 0, 0, 0)
    assert (info.create_system, info.external_attr >> 16) == (3, 0o100644)

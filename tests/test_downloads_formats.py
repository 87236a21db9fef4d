"""Building blocks of the downloads: neutralisation, typed values, zip and checksums."""

from __future__ import annotations

import hashlib
import io
import zipfile
import zlib
from datetime import date

import pytest

from generator.downloads import formats
from generator.downloads.fields import constraints_in_words, json_value, number
from generator.downloads.formats import sha256sums, zip_bytes
from generator.downloads.safety import neutralise
from generator.downloads.ziparchive import crc32_combine

HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(1)", "\tcmd", "\rcmd"]


@pytest.mark.parametrize("cell", HOSTILE)
def test_formula_like_cells_get_a_leading_quote(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize("cell", ["-5", "-1.5", "+3", "-0.25", "1e5", "-2E-3", "plain", "", "a=b"])
def test_numbers_and_plain_text_are_left_alone(cell: str) -> None:
    assert neutralise(cell) == cell


@pytest.mark.parametrize("cell", ["-", "+", "-5-", "--5", "- 5", "-5,0"])
def test_signs_that_are_not_plain_numbers_are_neutralised(cell: str) -> None:
    assert neutralise(cell) == "'" + cell


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("150000.5", 150000.5), ("500000", 500000), ("100.00", 100), ("0.1", 0.1), ("-3", -3)],
)
def test_numbers_are_ints_when_integral_else_floats_as_written(raw: str, expected: float) -> None:
    value = number(raw)
    assert value == expected
    assert type(value) is type(expected)
    assert repr(value) == repr(expected)  # no binary noise such as 0.1000000000000000055


def test_json_values_follow_the_field_type() -> None:
    missing = frozenset({""})
    assert json_value("2019", {"type": "integer"}, missing) == 2019
    assert json_value("2019-03-01", {"type": "date"}, missing) == "2019-03-01"
    assert json_value("true", {"type": "boolean"}, missing) is True
    assert json_value("false", {"type": "boolean"}, missing) is False
    assert json_value("p1;p3", {"type": "list", "delimiter": ";"}, missing) == ["p1", "p3"]
    assert json_value("", {"type": "number"}, missing) is None
    assert json_value("", {"type": "string"}, missing) is None
    assert json_value("=1+1", {"type": "string"}, missing) == "=1+1"


def test_constraints_read_as_words() -> None:
    field = {
        "type": "number",
        "constraints": {"required": True, "minimum": 0, "maximum": 1e13, "enum": ["a", "b"]},
    }
    words = constraints_in_words(field)
    assert "one of: a, b" in words
    assert "at least 0" in words
    assert "at most 10,000,000,000,000" in words
    assert "at most 300 characters" in constraints_in_words({"constraints": {"maxLength": 300}})


def test_zip_is_sorted_deterministic_and_dated() -> None:
    entries = {"b.csv": b"b\n", "a/datapackage.json": b"{}\n"}
    first = zip_bytes(entries, date(2019, 12, 31))
    assert first == zip_bytes(dict(reversed(entries.items())), date(2019, 12, 31))
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist() == ["a/datapackage.json", "b.csv"]
        assert {i.date_time for i in archive.infolist()} == {(2019, 12, 31, 0, 0, 0)}
        assert archive.read("b.csv") == b"b\n"


def test_zip_dates_before_1980_use_1980() -> None:
    with zipfile.ZipFile(io.BytesIO(zip_bytes({"a": b""}, date(1970, 1, 1)))) as archive:
        assert archive.infolist()[0].date_time == (1980, 1, 1, 0, 0, 0)


def test_sha256sums_has_the_sha256sum_format() -> None:
    sums = sha256sums({"b.csv": b"b", "a.csv": b"a"}).decode()
    digest = hashlib.sha256(b"a").hexdigest()
    assert sums.splitlines()[0] == f"{digest}  a.csv"
    assert [line.split("  ")[1] for line in sums.splitlines()] == ["a.csv", "b.csv"]


def test_versions_sort_by_number_not_text() -> None:
    from generator.downloads import version_key

    versions = ["1.10.0", "1.9.0", "2.0.0-beta", "2.0.0", "1.0.0"]
    assert sorted(versions, key=version_key) == ["1.0.0", "1.9.0", "1.10.0", "2.0.0-beta", "2.0.0"]


@pytest.mark.parametrize("sizes", [(0, 0), (5, 0), (0, 7), (1, 1), (3000, 70_000), (1, 1 << 20)])
def test_crcs_combine_as_the_crc_of_the_bytes_joined(sizes: tuple[int, int]) -> None:
    first, second = (bytes((i * 37 + n) % 251 for i in range(n)) for n in sizes)
    combined = crc32_combine(zlib.crc32(first), zlib.crc32(second), len(second))
    assert combined == zlib.crc32(first + second)


def test_a_named_hash_resumed_after_an_edit_is_the_hash_of_the_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(formats, "_CHECKPOINT", 8)  # a state kept every 8 bytes
    base = bytes(range(200))
    contents = [
        base,
        base[:50] + b"edited" + base[56:],  # the same length, an edit inside
        base[:50] + b"edited" + base[56:] + b"longer",
        base[:50] + b"ed" + base[56:],  # shorter from the edit on
        base[:64],  # cut at a kept state
        base[:64],  # equal, another object
        bytes(range(1, 200)),  # different from the first byte
        b"short",  # under a state's stretch: hashed whole
        base[:120] + b"x" * 80,
    ]
    for content in contents:
        assert formats.sha256(content, "file") == hashlib.sha256(content).hexdigest()
        assert formats.sha256(content, "file") == hashlib.sha256(content).hexdigest()

"""A package release re-read with other tools: pandas, openpyxl, jsonschema, frictionless."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

import frictionless
import jsonschema
import openpyxl
import pandas as pd
import pytest
from downloads_support import (
    MINIMAL,
    PROFILES,
    RELEASE,
    Files,
    add_benefit_labels,
    build,
    csv_rows,
    minimal_data,
    replace_in,
)

RESOURCES = [p.stem for p in sorted(MINIMAL.glob("*.csv"))]
HOSTILE = ['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(1)", "\tcmd", "\rcmd"]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    return build(minimal_data(tmp_path_factory.mktemp("release")))


def _read(files: Files, name: str) -> bytes:
    return files[f"{RELEASE}/{name}"]


def _frame(content: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_release_folder_has_every_format(files: Files) -> None:
    names = {p.removeprefix(RELEASE + "/") for p in files if p.startswith(RELEASE + "/")}
    for resource in RESOURCES:
        assert {f"{resource}.csv", f"{resource}.json", f"{resource}.excel.csv"} <= names
    assert {"datapackage.json", "minimal-1.0.0.xlsx", "minimal-1.0.0.zip"} <= names
    assert {"dataset.jsonld", "SHA256SUMS"} <= names


@pytest.mark.parametrize("resource", RESOURCES)
def test_canonical_csv_is_the_committed_file(files: Files, resource: str) -> None:
    assert _read(files, f"{resource}.csv") == (MINIMAL / f"{resource}.csv").read_bytes()


@pytest.mark.parametrize("resource", RESOURCES)
def test_excel_csv_has_the_same_rows_with_a_bom(files: Files, resource: str) -> None:
    content = _read(files, f"{resource}.excel.csv")
    assert content.startswith(b"\xef\xbb\xbf")
    canonical = _frame(_read(files, f"{resource}.csv"))
    pd.testing.assert_frame_equal(_frame(content), canonical)


@pytest.mark.parametrize("resource", RESOURCES)
def test_json_has_the_same_rows_typed(files: Files, resource: str) -> None:
    content = _read(files, f"{resource}.json")
    frame = pd.read_json(io.BytesIO(content), orient="records", dtype=False)
    canonical = _frame(_read(files, f"{resource}.csv"))
    assert len(frame) == len(canonical)
    assert list(frame.columns) == list(canonical.columns)
    rows = json.loads(content)
    for row, (_, source) in zip(rows, canonical.iterrows(), strict=True):
        for column, value in row.items():
            assert _as_cell(value) == source[column], (resource, column)


def _as_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def test_json_numbers_dates_lists_and_nulls(files: Files) -> None:
    funds = {row["id"]: row for row in json.loads(_read(files, "funds.json"))}
    assert funds["f1"]["amount"] == 300000 and isinstance(funds["f1"]["amount"], int)
    assert funds["f4"]["amount"] == 150000.5
    assert funds["f1"]["date"] == "2019-02-20"
    assert funds["f1"]["funder"] is None
    assert funds["f1"]["illustrative"] is True
    notices = json.loads(_read(files, "announcements.json"))
    assert notices[0]["projects"] == ["p1", "p3"]


def test_workbook_has_every_sheet_and_row(files: Files) -> None:
    book = openpyxl.load_workbook(io.BytesIO(_read(files, "minimal-1.0.0.xlsx")))
    assert book.sheetnames == [*_descriptor_order(), "fields"]
    for resource in RESOURCES:
        sheet = book[resource]
        canonical = csv_rows(_read(files, f"{resource}.csv"))
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        assert len(values) == len(canonical)
        assert [str(v) for v in values[0]] == canonical[0]
        assert [str(row[0]) for row in values[1:]] == [row[0] for row in canonical[1:]]
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.b


def test_workbook_properties_carry_the_package_date(files: Files) -> None:
    book = openpyxl.load_workbook(io.BytesIO(_read(files, "minimal-1.0.0.xlsx")))
    assert book.properties.created == datetime(2024, 1, 1)
    assert book.properties.modified == datetime(2024, 1, 1)
    with zipfile.ZipFile(io.BytesIO(_read(files, "minimal-1.0.0.xlsx"))) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2024, 1, 1, 0, 0, 0)}


def _descriptor_order() -> list[str]:
    descriptor = json.loads((MINIMAL / "datapackage.json").read_text("utf-8"))
    return [r["name"] for r in descriptor["resources"]]


def test_workbook_cells_are_typed(files: Files) -> None:
    book = openpyxl.load_workbook(io.BytesIO(_read(files, "minimal-1.0.0.xlsx")))
    funds = book["funds"]
    header = [c.value for c in funds[1]]
    f4 = {h: c for h, c in zip(header, funds[5], strict=True)}
    assert f4["id"].value == "f4"
    assert f4["amount"].value == 150000.5
    assert f4["date"].is_date and f4["date"].value.date().isoformat() == "2019-11-30"
    assert f4["illustrative"].value is True
    assert f4["document"].value is None


def test_workbook_fields_sheet_describes_every_field(files: Files) -> None:
    book = openpyxl.load_workbook(io.BytesIO(_read(files, "minimal-1.0.0.xlsx")))
    rows = list(book["fields"].iter_rows(values_only=True))
    assert rows[0][:5] == ("resource", "field", "title", "type", "required")
    described = {(r[0], r[1]) for r in rows[1:]}
    for resource in RESOURCES:
        header = csv_rows(_read(files, f"{resource}.csv"))[0]
        assert {(resource, column) for column in header} <= described
    assert ("funds", "amount", "Amount (yuan)", "number", "yes") in {r[:5] for r in rows}


def test_sha256sums_match_every_file_of_the_folder(files: Files) -> None:
    folder = {p.removeprefix(RELEASE + "/"): c for p, c in files.items() if p.startswith(RELEASE)}
    listed = {}
    for line in folder["SHA256SUMS"].decode().splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    assert set(listed) == set(folder) - {"SHA256SUMS"}
    assert list(listed) == sorted(listed)
    for name, digest in listed.items():
        assert hashlib.sha256(folder[name]).hexdigest() == digest


def test_latest_is_a_copy_of_the_newest_version(files: Files) -> None:
    release = {p.removeprefix(RELEASE): c for p, c in files.items() if p.startswith(RELEASE)}
    latest = "data/minimal/latest"
    copy = {p.removeprefix(latest): c for p, c in files.items() if p.startswith(latest)}
    assert copy == release


def _profile(version: str) -> dict[str, Any]:
    file = PROFILES / version / "datapackage.json"
    if not file.is_file():
        pytest.skip(f"the official Data Package profiles are not available at {PROFILES}")
    profile: dict[str, Any] = json.loads(file.read_text("utf-8"))
    return profile


@pytest.mark.parametrize("version", ["2.0", "1.0"])
def test_descriptor_passes_the_official_profile(files: Files, version: str) -> None:
    descriptor = json.loads(_read(files, "datapackage.json"))
    validator = jsonschema.Draft7Validator(
        _profile(version), format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
    )
    errors = [
        f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(descriptor)
    ]
    assert errors == []


def test_descriptor_is_complete(files: Files) -> None:
    descriptor = json.loads(_read(files, "datapackage.json"))
    for key in ("name", "title", "description", "version", "created", "licenses"):
        assert descriptor[key]
    for key in ("contributors", "keywords"):
        assert descriptor[key]
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    projects = next(r for r in descriptor["resources"] if r["name"] == "projects")
    raw = (MINIMAL / "projects.csv").read_bytes()
    assert projects["path"] == "projects.csv"
    assert projects["bytes"] == len(raw)
    assert projects["hash"] == "sha256:" + hashlib.sha256(raw).hexdigest()
    assert projects["schema"]["primaryKey"] == ["id"]


def test_frictionless_validates_the_zip(files: Files, tmp_path: Path) -> None:
    with zipfile.ZipFile(io.BytesIO(_read(files, "minimal-1.0.0.zip"))) as archive:
        assert sorted(archive.namelist()) == sorted(
            ["datapackage.json", *(f"{r}.csv" for r in RESOURCES)]
        )
        archive.extractall(tmp_path)
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_combined_zip_has_a_folder_per_package(tmp_path: Path) -> None:
    data = minimal_data(tmp_path)
    second = data / "second"
    second.mkdir()
    for file in (data / "minimal").iterdir():
        (second / file.name).write_bytes(file.read_bytes())
    replace_in(second / "datapackage.json", '"name": "minimal"', '"name": "second"')
    files = build(data)
    with zipfile.ZipFile(io.BytesIO(files["data/all/sunshine-all.zip"])) as archive:
        names = archive.namelist()
    assert "minimal/datapackage.json" in names and "second/projects.csv" in names
    digest, name = files["data/all/SHA256SUMS"].decode().strip().split("  ")
    assert name == "sunshine-all.zip"
    assert digest == hashlib.sha256(files["data/all/sunshine-all.zip"]).hexdigest()


def test_same_data_gives_the_same_bytes(tmp_path: Path) -> None:
    first = build(minimal_data(tmp_path / "a"))
    second = build(minimal_data(tmp_path / "b"))
    assert first.keys() == second.keys()
    assert [p for p in first if first[p] != second[p]] == []


# A hostile cell


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Files:
    data = minimal_data(tmp_path_factory.mktemp("hostile"))
    return build(add_benefit_labels(data, HOSTILE))


def test_hostile_cells_are_unchanged_in_the_canonical_csv(hostile: Files) -> None:
    labels = [
        r[4] for r in csv_rows(hostile[f"{RELEASE}/benefits.csv"]) if r[0].startswith("hostile")
    ]
    assert labels == HOSTILE


def test_hostile_cells_are_neutralised_in_the_excel_csv(hostile: Files) -> None:
    rows = csv_rows(hostile[f"{RELEASE}/benefits.excel.csv"])
    labels = [r[4] for r in rows if r[0].startswith("hostile")]
    assert labels == ["'" + cell for cell in HOSTILE]
    planned = [r[5] for r in rows[1:]]
    assert "1" in planned and not any(p.startswith("'") for p in planned)


def test_hostile_cells_are_text_in_the_workbook(hostile: Files) -> None:
    book = openpyxl.load_workbook(io.BytesIO(hostile[f"{RELEASE}/minimal-1.0.0.xlsx"]))
    cells = [
        row[4]
        for row in book["benefits"].iter_rows(min_row=2)
        if row[0].value.startswith("hostile")
    ]
    # A workbook stores a line break as a line feed (XML turns a carriage return into one).
    expected = ["'" + cell.replace("\r", "\n") for cell in HOSTILE]
    assert [c.value for c in cells] == expected
    assert {c.data_type for c in cells} == {"s"}
    with zipfile.ZipFile(io.BytesIO(hostile[f"{RELEASE}/minimal-1.0.0.xlsx"])) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert not any(b"<f>" in archive.read(n) for n in sheets)


def test_hostile_cells_are_unchanged_in_the_json(hostile: Files) -> None:
    rows = json.loads(hostile[f"{RELEASE}/benefits.json"])
    assert [r["label"] for r in rows if r["id"].startswith("hostile")] == HOSTILE


def test_a_free_text_version_becomes_one_safe_path_segment(tmp_path: Path) -> None:
    data = minimal_data(tmp_path)
    replace_in(
        data / "minimal" / "datapackage.json", '"version": "1.0.0"', '"version": "1.0 beta/2"'
    )
    files = build(data)
    assert "data/minimal/1.0-beta-2/minimal-1.0-beta-2.zip" in files
    descriptor = json.loads(files["data/minimal/1.0-beta-2/datapackage.json"])
    assert descriptor["version"] == "1.0 beta/2"

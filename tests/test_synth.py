"""The synthetic province: deterministic, valid and consistent by construction."""

from __future__ import annotations

import argparse
import csv
import json
from collections import defaultdict
from datetime import date
from pathlib import Path

import frictionless
import pytest

from generator.model import RESOURCES
from generator.synth import (
    add_synth_arguments,
    load_schema,
    run_synth,
    write_synthetic_package,
)

Rows = dict[str, list[dict[str, str]]]


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_synthetic_package(tmp_path_factory.mktemp("small"), 30, 7)


@pytest.fixture(scope="module")
def rows(tmp_path_factory: pytest.TempPathFactory) -> Rows:
    path = write_synthetic_package(tmp_path_factory.mktemp("medium"), 400, 11)
    return {name: _read(path.parent / f"{name}.csv") for name in RESOURCES}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    write_synthetic_package(tmp_path / "a", 50, 3)
    write_synthetic_package(tmp_path / "b", 50, 3)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert len(_files(tmp_path / "a")) == 1 + len(RESOURCES)


def test_different_seed_gives_different_data(tmp_path: Path) -> None:
    write_synthetic_package(tmp_path / "a", 50, 3)
    write_synthetic_package(tmp_path / "b", 50, 4)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a["projects.csv"] != b["projects.csv"]
    assert a["funds.csv"] != b["funds.csv"]


def test_frictionless_finds_the_package_valid(small: Path) -> None:
    report = frictionless.validate(str(small))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_descriptor_embeds_canonical_schemas(small: Path) -> None:
    descriptor = json.loads(small.read_text("utf-8"))
    assert descriptor["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert descriptor["name"] == "synthetic-30-7"
    assert descriptor["version"] == "1.0.0"
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert [r["name"] for r in descriptor["resources"]] == list(RESOURCES)
    for resource in descriptor["resources"]:
        assert resource["path"] == f"{resource['name']}.csv"
        assert resource["mediatype"] == "text/csv"
        assert resource["schema"] == load_schema(resource["name"])


def test_csv_headers_follow_schema_order_with_unix_newlines(small: Path) -> None:
    for name in RESOURCES:
        content = (small.parent / f"{name}.csv").read_bytes()
        assert b"\r\n" not in content
        header = content.decode("utf-8").split("\n", 1)[0].split(",")
        assert header == [f["name"] for f in load_schema(name)["fields"]]


def test_row_counts_scale_with_projects(rows: Rows) -> None:
    assert len(rows["projects"]) == 400
    assert 6 * 400 < len(rows["funds"]) < 9 * 400
    assert len(rows["benefits"]) == 4 * 400
    assert len(rows["announcements"]) == 400 // 20


def test_identifiers_are_unique(rows: Rows) -> None:
    for name in RESOURCES:
        key = "code" if name == "regions" else "id"
        ids = [row[key] for row in rows[name]]
        assert len(ids) == len(set(ids)), name


def test_references_resolve(rows: Rows) -> None:
    regions = {r["code"] for r in rows["regions"]}
    orgs = {o["id"] for o in rows["organizations"]}
    projects = {p["id"] for p in rows["projects"]}
    assert all(r["parent"] in regions for r in rows["regions"] if r["parent"])
    assert all(p["region"] in regions and p["implementer"] in orgs for p in rows["projects"])
    assert all(f["funder"] in orgs for f in rows["funds"] if f["funder"])
    for notice in rows["announcements"]:
        named = notice["projects"].split(";")
        assert 1 <= len(named) <= 3
        assert set(named) <= projects


def test_budget_equals_allocations(rows: Rows) -> None:
    allocated: dict[str, int] = defaultdict(int)
    for fund in rows["funds"]:
        if fund["transaction_type"] == "allocation":
            allocated[fund["project"]] += int(fund["amount"])
    for project in rows["projects"]:
        assert int(project["budget"]) == allocated[project["id"]], project["id"]


def test_disbursed_never_exceeds_allocated(rows: Rows) -> None:
    amounts: dict[tuple[str, str, str], int] = defaultdict(int)
    for fund in rows["funds"]:
        key = (fund["project"], fund["source_type"], fund["transaction_type"])
        amounts[key] += int(fund["amount"])
    for (project, source, kind), amount in amounts.items():
        if kind == "disbursement":
            assert amount <= amounts[(project, source, "allocation")]


def test_completed_projects_report_achieved_values(rows: Rows) -> None:
    completed = {p["id"] for p in rows["projects"] if p["status"] == "completed"}
    assert completed
    for benefit in rows["benefits"]:
        if benefit["project"] in completed:
            assert benefit["achieved"] and benefit["as_of"]


def test_statuses_are_mixed(rows: Rows) -> None:
    statuses = [p["status"] for p in rows["projects"]]
    assert 0.5 < statuses.count("completed") / len(statuses) < 0.7
    assert 0.2 < statuses.count("in-progress") / len(statuses) < 0.4
    assert {"planned", "cancelled"} <= set(statuses)


def test_dates_are_consistent(rows: Rows) -> None:
    for p in rows["projects"]:
        assert p["planned_start"] <= p["planned_end"]
        assert (p["actual_start"] != "") == (p["status"] in ("completed", "in-progress"))
        assert (p["actual_end"] != "") == (p["status"] == "completed")
        if p["actual_end"]:
            assert p["actual_start"] <= p["actual_end"] <= "2020-12-31"
    for notice in rows["announcements"]:
        period = date.fromisoformat(notice["notice_end"]) - date.fromisoformat(notice["date"])
        assert 10 <= period.days <= 20


def test_titles_name_place_and_program(rows: Rows) -> None:
    regions = {r["code"]: r for r in rows["regions"]}
    for p in rows["projects"]:
        region = regions[p["region"]]
        assert region["name"] in p["title"]
        assert region["name_local"] in p["title_local"]
        assert p["title_local"].endswith("项目")


def test_reported_totals_equal_the_sums_they_state(rows: Rows) -> None:
    assert len(rows["reported_totals"]) >= 8
    for total in rows["reported_totals"]:
        assert _covered(rows, total) == int(total["value"]), total["id"]


def _covered(rows: Rows, total: dict[str, str]) -> int:
    projects = {p["id"] for p in rows["projects"] if _in_scope(p, total)}
    if total["basis"] == "count":
        return len(projects)
    if total["measure"] == "amount":
        sources = total["source_type"].split(";") if total["source_type"] else None
        return sum(
            int(f["amount"])
            for f in rows["funds"]
            if f["project"] in projects
            and f["transaction_type"] == total["basis"]
            and (sources is None or f["source_type"] in sources)
        )
    return sum(
        int(b[total["basis"]] or 0)
        for b in rows["benefits"]
        if b["project"] in projects and b["indicator"] == total["measure"]
    )


def _in_scope(project: dict[str, str], total: dict[str, str]) -> bool:
    regions = total["region"].split(";") if total["region"] else []
    return (
        (not total["program"] or project["program"] in total["program"].split(";"))
        and (not total["year"] or project["year"] == total["year"])
        and (not regions or any(project["region"].startswith(r) for r in regions))
    )


def test_cli_writes_and_prints_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    add_synth_arguments(parser)
    args = parser.parse_args(["--projects", "12", "--seed", "5", str(tmp_path / "out")])
    assert run_synth(args) == 0
    printed = capsys.readouterr().out
    assert str(tmp_path / "out" / "datapackage.json") in printed
    assert "projects.csv" in printed and " 12 rows" in printed


def test_cli_rejects_zero_projects(tmp_path: Path) -> None:
    parser = argparse.ArgumentParser()
    add_synth_arguments(parser)
    with pytest.raises(SystemExit):
        parser.parse_args(["--projects", "0", str(tmp_path)])

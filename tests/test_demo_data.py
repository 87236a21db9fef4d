"""The shipped demo package data/lijiang-2019: valid, on the canonical schemas, faithful."""

from __future__ import annotations

import csv
import json
from decimal import Decimal
from pathlib import Path

import frictionless
import pandas as pd
import pytest

from generator.model import RESOURCES

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "data" / "lijiang-2019"
DESCRIPTOR = PACKAGE / "datapackage.json"
SCHEMAS = ROOT / "generator" / "schemas"


def descriptor() -> dict:
    return json.loads(DESCRIPTOR.read_text(encoding="utf-8"))


def table(name: str) -> pd.DataFrame:
    return pd.read_csv(PACKAGE / f"{name}.csv", dtype=str, keep_default_na=False)


def amounts(frame: pd.DataFrame, column: str = "amount") -> Decimal:
    return sum((Decimal(v) for v in frame[column] if v != ""), Decimal(0))


def test_resources_in_order_with_canonical_schemas() -> None:
    resources = descriptor()["resources"]
    assert [r["name"] for r in resources] == list(RESOURCES)
    for i, name in enumerate(RESOURCES):
        canonical = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
        assert descriptor()["resources"][i]["schema"] == canonical, name
        assert resources[i]["path"] == f"{name}.csv"


def test_package_metadata() -> None:
    d = descriptor()
    assert d["$schema"] == "https://datapackage.org/profiles/2.0/datapackage.json"
    assert d["name"] == "lijiang-2019"
    assert d["version"] == "1.0.0"
    assert d["created"] == "2019-12-31T00:00:00Z"
    assert d["licenses"][0]["name"] == "CC-BY-4.0"


def test_package_is_valid() -> None:
    report = frictionless.validate(str(DESCRIPTOR))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "message"])


@pytest.mark.parametrize("name", RESOURCES)
def test_csv_layout(name: str) -> None:
    raw = (PACKAGE / f"{name}.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no BOM"
    assert b"\r\n" not in raw, "Unix newlines"
    schema = json.loads((SCHEMAS / f"{name}.json").read_text(encoding="utf-8"))
    with open(PACKAGE / f"{name}.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [f["name"] for f in schema["fields"]]
    keys = [r[0] for r in rows[1:]]
    assert keys == sorted(keys)


def test_whole_village_allocations_add_up_to_published_total() -> None:
    projects = table("projects")
    wv = set(projects.loc[(projects.program == "whole-village") & (projects.year == "2019"), "id"])
    funds = table("funds")
    alloc = funds[funds.project.isin(wv) & (funds.transaction_type == "allocation")]
    assert amounts(alloc) == Decimal(58_150_000)
    by_source = {s: amounts(g) for s, g in alloc.groupby("source_type")}
    assert by_source["provincial"] + by_source.get("central", Decimal(0)) == 28_050_000
    assert by_source["municipal"] == 5_400_000
    assert by_source["county"] == 2_900_000


def test_housing_subsidy_standard() -> None:
    projects = table("projects")
    housing = projects[(projects.program == "housing") & (projects.year == "2019")]
    assert set(housing.subsidy_standard) == {"6000"}
    assert set(housing.subsidy_unit) == {"household"}


def test_micro_credit_reported_totals() -> None:
    totals = table("reported_totals")
    mc = totals[totals.program == "microcredit"]
    stated = {(r.measure, r.value) for r in mc.itertuples()}
    assert ("amount", "90000000") in stated
    assert ("households", "8113") in stated


def test_relocation_funds_per_county_as_published() -> None:
    published = {
        "530724": 5_000_000,  # Ninglang, 1000 people
        "530722": 875_000,  # Yongsheng, 175 people
        "530721": 1_150_000,  # Yulong, 230 people
        "530723": 22_250_000,  # Huaping, 445 people: "22.25 million yuan" kept as published
        "530702": 750_000,  # Gucheng, 150 people
    }
    projects = table("projects")
    reloc = projects[(projects.program == "relocation") & (projects.year == "2019")]
    funds = table("funds")
    for region, amount in published.items():
        ids = set(reloc.loc[reloc.region == region, "id"])
        rows = funds[funds.project.isin(ids) & (funds.transaction_type == "allocation")]
        assert amounts(rows) == amount, region
    huaping = funds[funds.project.isin(set(reloc.loc[reloc.region == "530723", "id"]))]
    assert "22250000" in set(huaping.amount)
    totals = table("reported_totals")
    assert "10000000" in set(totals.loc[totals.program == "relocation", "value"])


def test_songping_total_kept_as_published() -> None:
    projects = table("projects").set_index("id")
    assert projects.loc["tp-2019-songping", "budget"] == "74228000"


def test_disbursed_never_exceeds_allocated() -> None:
    funds = table("funds")
    funds["value"] = funds.amount.map(Decimal)
    sums = funds.groupby(["project", "source_type", "transaction_type"]).value.sum()
    for (project, source, kind), value in sums.items():
        if kind == "disbursement":
            assert value <= sums.get((project, source, "allocation"), Decimal(0)), project


def test_completed_projects_report_achieved_values() -> None:
    projects = table("projects")
    benefits = table("benefits")
    for pid in projects.loc[projects.status == "completed", "id"]:
        rows = benefits[benefits.project == pid]
        assert len(rows), pid
        assert (rows.achieved != "").all(), pid


def test_notice_periods_at_least_ten_days() -> None:
    notices = table("announcements")
    for row in notices.itertuples():
        start, end = pd.Timestamp(row.date), pd.Timestamp(row.notice_end)
        assert (end - start).days >= 10, row.id

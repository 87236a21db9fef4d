"""The home page's totals equal the sums of the shipped CSVs, computed straight from
the files with pandas: the site and an outside reader's spreadsheet must agree."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from generator import paths
from generator.build import build_site
from generator.config import SiteConfig

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def home() -> str:
    site = build_site(SiteConfig(data_dir=DATA))
    return site[paths.HOME].content.decode("utf-8")


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    names = ("funds", "projects", "benefits")
    return {
        n: pd.concat(pd.read_csv(f, dtype={"id": str}) for f in sorted(DATA.glob(f"*/{n}.csv")))
        for n in names
    }


def _figure(home: str, label: str) -> int:
    match = re.search(rf"^<dt>{label}</dt>\n<dd>([\d,]+) yuan", home, re.M)
    assert match, label
    return int(match.group(1).replace(",", ""))


@pytest.mark.parametrize("kind", ["allocation", "disbursement"])
def test_headline_money_equals_the_csv_sums(
    home: str, frames: dict[str, pd.DataFrame], kind: str
) -> None:
    funds = frames["funds"]
    expected = funds.loc[funds["transaction_type"] == kind, "amount"].sum()
    label = {"allocation": "Allocated", "disbursement": "Disbursed"}[kind]
    assert _figure(home, label) == expected


def test_headline_project_count_equals_the_csv_rows(
    home: str, frames: dict[str, pd.DataFrame]
) -> None:
    match = re.search(r"^<dt>Projects</dt>\n<dd>(\d+)", home, re.M)
    assert match and int(match.group(1)) == len(frames["projects"])


def test_each_source_row_equals_the_csv_sums(home: str, frames: dict[str, pd.DataFrame]) -> None:
    funds = frames["funds"]
    sums = funds.groupby(["source_type", "transaction_type"])["amount"].sum()
    for (source, kind), amount in sums.items():
        row = re.search(rf'<tr><td><a href="sources/{source}\.html">.*?</tr>', home)
        assert row, source
        values = re.findall(r'data-value="([\d.]+)"', row.group(0))
        column = 0 if kind == "allocation" else 1
        assert float(values[column]) == amount, (source, kind)


@pytest.mark.parametrize("indicator,label", [("households", "Households"), ("people", "People")])
def test_beneficiaries_equal_the_csv_sums(
    home: str, frames: dict[str, pd.DataFrame], indicator: str, label: str
) -> None:
    rows = frames["benefits"][frames["benefits"]["indicator"] == indicator]
    match = re.search(
        rf"^<dt>{label} benefiting</dt>\n<dd>([\d,]+) planned, ([\d,]+) achieved", home, re.M
    )
    assert match, label
    planned, achieved = (int(g.replace(",", "")) for g in match.groups())
    assert (planned, achieved) == (rows["planned"].sum(), rows["achieved"].sum())

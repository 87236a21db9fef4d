"""Which projects a list shows (``pages.listing``): all, or the largest by allocation."""

from __future__ import annotations

import csv
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from generator.figures import figures_of
from generator.model import Model
from generator.pages import listing
from generator.validate import validate_data

DEMO = Path(__file__).parent.parent / "data"


@pytest.fixture(scope="module")
def model() -> Model:
    found = validate_data(DEMO).model
    assert found is not None
    return found


def test_a_short_list_shows_every_project_in_its_order(model: Model) -> None:
    projects = list(reversed(model.projects.values()))
    assert listing.shown_projects(model, projects) == projects


def test_a_long_list_shows_the_largest_by_allocation_then_id(
    model: Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "PROJECT_LIST_LIMIT", 3)
    projects = list(model.projects.values())
    figures = figures_of(model)
    expected = sorted(projects, key=lambda p: (-figures.of(p.id).allocated, p.id))[:3]
    assert listing.shown_projects(model, projects) == expected


def test_allocations_equal_the_figures_of_each_project(model: Model) -> None:
    allocated = listing.allocated_of(model)
    assert allocated == {pid: figures_of(model).of(pid).allocated for pid in model.projects}


def test_a_source_list_ranks_projects_by_that_source_only(
    model: Model, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "PROJECT_LIST_LIMIT", 2)
    source = model.funds[0].source_type
    funds = [f for f in model.funds if f.source_type == source]
    sums: dict[str, Decimal] = {}
    for fund in funds:
        amount = fund.amount if fund.transaction_type == "allocation" else Decimal(0)
        sums[fund.project] = sums.get(fund.project, Decimal(0)) + amount
    assert len(sums) > 2
    expected = sorted(sums, key=lambda pid: (-sums[pid], pid))[:2]
    assert listing.shown_funded(funds) == expected


def test_allocations_found_again_after_an_edit_equal_the_new_figures(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(DEMO, data)
    first = validate_data(data).model
    assert first is not None
    listing.allocated_of(first)
    funds = data / "lijiang-2019" / "funds.csv"
    rows = list(csv.reader(funds.open(encoding="utf-8", newline="")))
    amount = rows[0].index("amount")
    rows[1][amount] = str(int(rows[1][amount]) + 1)
    with funds.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out, lineterminator="\n").writerows(rows)
    again = validate_data(data).model
    assert again is not None
    allocated = listing.allocated_of(again)
    assert allocated == {pid: figures_of(again).of(pid).allocated for pid in again.projects}
    assert allocated != listing.allocated_of(first)

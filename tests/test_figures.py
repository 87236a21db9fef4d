"""Figures: the sums pages and checks share."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

from datadir import DataDir

from generator.figures import (
    FUND_BASES,
    Totals,
    benefit_sums_of_rows,
    compute_totals,
    covered_value,
    covered_values,
    figures_of,
    totals_from_rows,
)
from generator.model import SOURCE_TYPES
from generator.validate import validate_data

MINIMAL = Path(__file__).parent / "fixtures" / "valid" / "minimal"
DEMO_DATA = Path(__file__).resolve().parents[1] / "data"


def test_totals_of_the_minimal_package_match_its_rows() -> None:
    model = validate_data(MINIMAL).model
    assert model is not None
    projects = list(model.projects.values())
    totals = compute_totals(model, projects)
    allocated = sum(f.amount for f in model.funds if f.transaction_type == "allocation")
    disbursed = sum(f.amount for f in model.funds if f.transaction_type == "disbursement")
    assert (totals.allocated, totals.disbursed) == (allocated, disbursed)
    assert totals.projects == len(projects)


def test_completed_share_leaves_cancelled_projects_out(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/projects.csv", ",in-progress,", ",cancelled,")
    model = data_dir.validate().model
    assert model is not None
    statuses = sorted(p.status for p in model.projects.values())
    assert statuses.count("cancelled") == 1 and statuses.count("completed") == 1
    totals = compute_totals(model, list(model.projects.values()))
    assert totals.completed_share == Decimal(1) / 2


def test_every_reported_total_of_the_minimal_package_is_computed() -> None:
    model = validate_data(MINIMAL).model
    assert model is not None
    values = {t.id: covered_value(model, t) for t in model.reported_totals}
    assert set(values) == {t.id for t in model.reported_totals}
    assert all(v >= 0 for v in values.values())


def test_covered_values_are_covered_value_of_each_total() -> None:
    model = validate_data(DEMO_DATA).model
    assert model is not None
    totals = [
        dataclasses.replace(total, source_type=sources, basis=basis)
        for total in model.reported_totals
        if total.measure == "amount"
        for sources in [(), *((s,) for s in SOURCE_TYPES), SOURCE_TYPES[:2]]
        for basis in FUND_BASES
    ]
    totals += model.reported_totals
    values = covered_values(model, totals)
    assert values == [covered_value(model, t) for t in totals]
    assert [str(v) for v in values] == [str(covered_value(model, t)) for t in totals]


def _as_text(totals: Totals) -> list[str]:
    return [str(getattr(totals, f.name)) for f in dataclasses.fields(totals)]


def test_totals_from_project_figures_are_the_totals_of_the_rows() -> None:
    model = validate_data(DEMO_DATA).model
    assert model is not None
    projects = list(model.projects.values())
    for chosen in (projects, projects[::2], projects[1:2], []):
        assert _as_text(compute_totals(model, chosen)) == _as_text(totals_from_rows(model, chosen))
    benefits = [b for p in projects for b in model.benefits_of(p.id)]
    assert figures_of(model).benefit_sums(projects) == benefit_sums_of_rows(benefits)


def test_totals_that_round_are_added_row_by_row() -> None:
    # 28 digits fill the default precision: where the rounding falls depends on
    # the order of the additions, so project subtotals must not be used.
    model = validate_data(DEMO_DATA).model
    assert model is not None
    huge = [
        dataclasses.replace(f, amount=Decimal(f"9{i % 7}33333333333333333333333.3{i}"))
        for i, f in enumerate(model.funds)
    ]
    model = dataclasses.replace(model, funds=huge)
    projects = list(model.projects.values())
    assert _as_text(compute_totals(model, projects)) == _as_text(totals_from_rows(model, projects))
    assert not all(figures_of(model).of(p.id).exact for p in projects)

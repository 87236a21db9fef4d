"""Edge rules: numbers and dates frictionless accepts but Sunshine must not publish."""

from __future__ import annotations

from decimal import Decimal

import pytest
from datadir import DataDir, errors, find

from generator.load import load_packages
from generator.problems import Problem
from generator.validate.edges import (
    SIGNALLING_NAN,
    decimal_places,
    is_non_finite,
    signalling_nans,
)
from generator.validate.rules import PACKAGE_RULES

# The first fund row's amount, and the second project's subsidy standard and planned end.
AMOUNT = ("funds", ",central,,allocation,300000,", ",central,,allocation,{},")
SUBSIDY = ("projects", ",600,trainee", ",{},trainee")
PLANNED_END = ("projects", "2019-04-01,2019-12-31", "2019-04-01,{}")


def _problems(data_dir: DataDir, edit: tuple[str, str, str], value: str) -> list[Problem]:
    table, old, new = edit
    data_dir.add_package()
    data_dir.replace(f"minimal/{table}.csv", old, new.format(value))
    return data_dir.validate().problems


def _at(problems: list[Problem], code: str, path: str, row: int, field: str) -> Problem:
    [problem] = find(problems, code, path=f"minimal/{path}.csv", row=row, field=field)
    assert problem.severity == "error"
    return problem


def test_edge_rules_are_registered() -> None:
    registered = {rule.code for rule in PACKAGE_RULES}
    assert {
        "not-a-number",
        "number-format",
        "too-many-decimals",
        "date-format",
        "date-out-of-range",
    } <= registered


@pytest.mark.parametrize("value", ["NaN", "nan", "-NaN", "Infinity", "-Infinity", "inf"])
def test_nan_and_infinity_are_not_numbers(data_dir: DataDir, value: str) -> None:
    problems = _problems(data_dir, AMOUNT, value)
    problem = _at(problems, "not-a-number", "funds", 2, "amount")
    assert problem.value == value
    # one problem for the cell, not a misleading "cannot be negative" besides it
    assert [p.code for p in errors(problems)] == ["not-a-number"]


@pytest.mark.parametrize(("edit", "value"), [(AMOUNT, "sNaN"), (SUBSIDY, "-snan7")])
def test_signalling_nan_does_not_crash_validation(
    data_dir: DataDir, edit: tuple[str, str, str], value: str
) -> None:
    problems = _problems(data_dir, edit, value)
    assert [p.code for p in errors(problems)] == ["not-a-number"]


def test_nan_in_a_field_with_other_limits(data_dir: DataDir) -> None:
    problems = _problems(data_dir, SUBSIDY, "NaN")
    _at(problems, "not-a-number", "projects", 3, "subsidy_standard")
    assert [p.code for p in errors(problems)] == ["not-a-number"]


def test_huge_number_is_over_the_maximum_and_badly_written(data_dir: DataDir) -> None:
    problems = _problems(data_dir, AMOUNT, "1e15")
    over = find(problems, "constraint-error", row=2, field="amount")
    assert [p.message for p in over] == ["amount must be at most 10000000000000"]
    problem = _at(problems, "number-format", "funds", 2, "amount")
    assert problem.hint == "write 1000000000000000 not 1e15"


@pytest.mark.parametrize(
    ("value", "plain"),
    [("1e5", "100000"), ("3_00000", "300000"), ("+300000", "300000"), ("３０００００", "300000")],
)
def test_numbers_in_other_notations(data_dir: DataDir, value: str, plain: str) -> None:
    problems = _problems(data_dir, AMOUNT, value)
    problem = _at(problems, "number-format", "funds", 2, "amount")
    assert problem.hint == f"write {plain} not {value}"
    assert problem.value == value


def test_full_width_year(data_dir: DataDir) -> None:
    problems = _problems(data_dir, ("projects", "in-progress,2019,", "in-progress,{},"), "２０１９")
    _at(problems, "number-format", "projects", 3, "year")


def test_negative_amount_is_refused_by_the_schema(data_dir: DataDir) -> None:
    problems = _problems(data_dir, AMOUNT, "-5")
    [problem] = find(problems, "constraint-error", row=2, field="amount")
    assert problem.message == "amount cannot be negative"


@pytest.mark.parametrize("value", ["0", "0.00", "300000.50", "300000.500", "-0"])
def test_zero_and_fen_are_fine(data_dir: DataDir, value: str) -> None:
    problems = _problems(data_dir, SUBSIDY, value)
    assert not errors(problems)


@pytest.mark.parametrize(
    ("edit", "path", "row", "field"),
    [
        (AMOUNT, "funds", 2, "amount"),
        (SUBSIDY, "projects", 3, "subsidy_standard"),
        (("projects", ",500000,Hardened", ",{},Hardened"), "projects", 2, "budget"),
        (("reported_totals", ",920000,amount", ",{},amount"), "reported_totals", 2, "value"),
    ],
)
def test_money_with_three_decimals(
    data_dir: DataDir, edit: tuple[str, str, str], path: str, row: int, field: str
) -> None:
    problem = _at(_problems(data_dir, edit, "1.234"), "too-many-decimals", path, row, field)
    assert problem.value == "1.234"
    assert problem.hint == "write 1.23; or, if the points separate thousands, 1234"


def test_three_decimals_are_fine_where_not_money(data_dir: DataDir) -> None:
    problems = _problems(data_dir, ("benefits", ",3.5,3.5,", ",3.5,3.125,"), "")
    assert not find(problems, "too-many-decimals")
    problems = _problems(DataDir(data_dir.root.parent / "other"), ("projects", "26.45", "{}"), "")
    assert not find(problems, "too-many-decimals")


@pytest.mark.parametrize("value", ["0001-01-01", "1949-09-30", "2101-01-01", "9999-12-31"])
def test_dates_out_of_range(data_dir: DataDir, value: str) -> None:
    problem = _at(
        _problems(data_dir, PLANNED_END, value), "date-out-of-range", "projects", 3, "planned_end"
    )
    assert problem.value == value


@pytest.mark.parametrize("value", ["1949-10-01", "2100-12-31"])
def test_dates_at_the_limits_are_fine(data_dir: DataDir, value: str) -> None:
    problems = _problems(
        data_dir, ("projects", ",2019-12-31,2019-04-10,", ",{},1949-10-01,"), value
    )
    assert not find(problems, "date-out-of-range")


def test_dates_out_of_range_in_every_date_field(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/funds.csv", ",2019-11-30,,", ",1900-01-01,,")
    data_dir.replace("minimal/benefits.csv", "118,2019-12-31", "118,2199-12-31")
    data_dir.replace("minimal/announcements.csv", "2019-02-01,2019-02-11", "0001-01-01,9999-01-01")
    problems = data_dir.validate().problems
    _at(problems, "date-out-of-range", "funds", 4, "date")
    _at(problems, "date-out-of-range", "benefits", 2, "as_of")
    _at(problems, "date-out-of-range", "announcements", 2, "date")
    _at(problems, "date-out-of-range", "announcements", 2, "notice_end")


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("2019-1-5", "write 2019-01-05 not 2019-1-5"),
        ("２０１９-12-31", "write 2019-12-31 not ２０１９-12-31"),
    ],
)
def test_dates_frictionless_reads_but_not_iso(data_dir: DataDir, value: str, hint: str) -> None:
    # the model could not convert these: the rule stops validation before it is built
    data_dir.add_package()
    data_dir.replace("minimal/projects.csv", "2019-04-01,2019-12-31", f"2019-04-01,{value}")
    validation = data_dir.validate()
    problem = _at(validation.problems, "date-format", "projects", 3, "planned_end")
    assert problem.hint == hint
    assert validation.model is None


def test_decimal_places() -> None:
    assert decimal_places(Decimal("1.230")) == 2
    assert decimal_places(Decimal("1E+5")) == 0
    assert decimal_places(Decimal("0.001")) == 3


@pytest.mark.parametrize("raw", ["NaN", " nan ", "-Infinity", "+inf", "sNaN"])
def test_is_non_finite(raw: str) -> None:
    assert is_non_finite(raw)


@pytest.mark.parametrize("raw", ["0", "1e5", "Nancy", "information"])
def test_is_not_non_finite(raw: str) -> None:
    assert not is_non_finite(raw)


@pytest.mark.parametrize(
    "value", ["sNaN", " -SNAN12 ", "\u017fnan", "+snan", "nan", "snan x", "12"]
)
def test_signalling_nans_are_the_number_cells_read_as_one(data_dir: DataDir, value: str) -> None:
    # as the pattern reads them (the long s is an s to it), whichever column they are in
    data_dir.add_package()
    old = ",central,,allocation,300000,"
    data_dir.replace("minimal/funds.csv", old, f',central,,allocation,"{value}",')
    [package], _ = load_packages(data_dir.root)
    expected = [value] if SIGNALLING_NAN.fullmatch(value.strip()) else []
    assert signalling_nans(package.tables["funds"]) == expected
    assert expected or value in ("nan", "snan x", "12")

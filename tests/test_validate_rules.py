"""Domain rules: each rule reports its code at the row and column that break it."""

from __future__ import annotations

import dataclasses

import pytest
from datadir import FIXTURES, MINIMAL, DataDir, codes, errors, find

from generator.load import load_packages
from generator.problems import Problem
from generator.validate import rules, validate_data, validate_rules
from generator.validate.rules import PACKAGE_RULES, RULES, describe_rules, validate_packages

OVERLAYS = sorted(
    f"{kind}/{case.name}"
    for kind in ("bad", "hostile")
    for case in (FIXTURES / kind).iterdir()
    if case.is_dir() and case.name != "invalid-json"
)


def _problems_after(data_dir: DataDir, *edits: tuple[str, str, str]) -> list[Problem]:
    data_dir.add_package()
    for table, old, new in edits:
        data_dir.replace(f"minimal/{table}.csv", old, new)
    validation = data_dir.validate()
    assert validation.model is not None, "a schema-level error kept the rules from running"
    return validation.problems


def test_rule_codes_are_unique_and_described() -> None:
    registry = [*RULES, *PACKAGE_RULES]
    assert len({rule.code for rule in registry}) == len(registry)
    assert all(rule.severity in ("error", "warning") and rule.description for rule in registry)
    table = describe_rules()
    assert all(f"`{rule.code}`" in table for rule in registry)


def test_disbursed_exceeds_allocated_at_the_row_that_tips_it(data_dir: DataDir) -> None:
    problems = _problems_after(data_dir, ("funds", "disbursement,150000.5", "disbursement,250000"))
    [problem] = find(problems, "disbursed-exceeds-allocated")
    assert (problem.path, problem.row, problem.field) == ("minimal/funds.csv", 5, "amount")
    assert problem.severity == "error" and problem.resource == "funds"
    assert problem.value == "250000" and "200,000" in problem.message


def test_disbursement_of_another_source_does_not_count(data_dir: DataDir) -> None:
    # 60000 county disbursed against 120000 county allocated: fine even if labelled central
    problems = _problems_after(data_dir, ("funds", "f6,p2,county", "f6,p2,central"))
    [problem] = find(problems, "disbursed-exceeds-allocated")
    assert (problem.row, problem.field) == (7, "amount")


def test_budget_mismatch_is_a_warning_on_the_budget(data_dir: DataDir) -> None:
    problems = _problems_after(data_dir, ("projects", ",120000,Training", ",130000,Training"))
    [problem] = find(problems, "budget-mismatch")
    assert (problem.path, problem.row, problem.field) == ("minimal/projects.csv", 3, "budget")
    assert problem.severity == "warning"
    assert problem.value == "130000" and "10,000 less than its budget of 130,000" in problem.message


def test_budget_without_allocations_is_not_checked(data_dir: DataDir) -> None:
    problems = _problems_after(
        data_dir, ("funds", "f7,p3,integrated,,allocation", "f7,p3,integrated,,disbursement")
    )
    assert not find(problems, "budget-mismatch")


def test_planned_end_before_start(data_dir: DataDir) -> None:
    problems = _problems_after(
        data_dir, ("projects", "2019-03-01,2019-10-31", "2019-03-01,2019-02-01")
    )
    [problem] = find(problems, "dates-out-of-order")
    assert (problem.path, problem.row, problem.field) == ("minimal/projects.csv", 2, "planned_end")


def test_actual_end_before_start(data_dir: DataDir) -> None:
    problems = _problems_after(
        data_dir, ("projects", "2019-03-15,2019-11-20", "2019-03-15,2019-03-14")
    )
    assert find(problems, "dates-out-of-order", row=2, field="actual_end")


def test_notice_ends_before_it_is_published(data_dir: DataDir) -> None:
    problems = _problems_after(
        data_dir, ("announcements", "2019-02-01,2019-02-11", "2019-02-01,2019-01-11")
    )
    assert find(
        problems, "dates-out-of-order", path="minimal/announcements.csv", row=2, field="notice_end"
    )


def test_completed_project_with_a_benefit_not_achieved(data_dir: DataDir) -> None:
    problems = _problems_after(data_dir, ("benefits", "3.5,3.5,2019-12-31", "3.5,,"))
    [problem] = find(problems, "completed-without-achievement")
    assert (problem.path, problem.row, problem.field) == ("minimal/benefits.csv", 4, "achieved")


def test_completed_project_without_benefit_rows(data_dir: DataDir) -> None:
    problems = _problems_after(
        data_dir,
        ("projects", "o2,planned", "o2,completed"),
        ("benefits", "b5,p3,households,households,,80,,,Fixture.,true\n", ""),
    )
    [problem] = find(problems, "completed-without-achievement")
    assert (problem.path, problem.row, problem.field) == ("minimal/projects.csv", 4, "status")


def test_reported_total_mismatch_gives_stated_computed_and_difference() -> None:
    [problem] = find(validate_data(MINIMAL).problems, "reported-total-mismatch")
    assert (problem.path, problem.row, problem.field) == ("reported_totals.csv", 3, "value")
    assert problem.severity == "warning"
    assert "gives 210" in problem.message and "add up to 200, 10 less than" in problem.message


def test_reported_total_that_matches_is_quiet(data_dir: DataDir) -> None:
    problems = _problems_after(data_dir, ("reported_totals", "households.,210", "households.,200"))
    assert problems == []


def test_announcement_names_an_unknown_project(data_dir: DataDir) -> None:
    problems = _problems_after(data_dir, ("announcements", "p1;p3", "p1;p9"))
    [problem] = find(problems, "unknown-reference")
    assert (problem.path, problem.row, problem.field, problem.value) == (
        "minimal/announcements.csv",
        2,
        "projects",
        "p9",
    )


def test_reported_total_filters_on_unknown_values(data_dir: DataDir) -> None:
    problems = _problems_after(
        data_dir,
        ("reported_totals", ",,,530722,2019", ",,central;federal,530799,2019"),
        ("reported_totals", "planned,whole-village", "planned,whole-village;roads"),
    )
    found = {(p.row, p.field, p.value) for p in find(problems, "unknown-reference")}
    assert found == {
        (2, "source_type", "federal"),
        (2, "region", "530799"),
        (3, "program", "roads"),
    }
    # a total whose filters are wrong is not also compared
    assert not find(problems, "reported-total-mismatch")


def test_reported_total_with_an_impossible_measure(data_dir: DataDir) -> None:
    problems = _problems_after(
        data_dir,
        ("reported_totals", "920000,amount,allocation", "920000,amount,planned"),
        ("reported_totals", "210,households,planned", "210,household,planned"),
    )
    assert find(problems, "invalid-measure", row=2, field="basis", value="planned")
    assert find(problems, "invalid-measure", row=3, field="measure", value="household")


def test_same_ids_in_two_packages(data_dir: DataDir) -> None:
    data_dir.add_package("a-2019")
    data_dir.add_package("b-2020")
    validation = data_dir.validate()
    assert validation.model is None
    duplicates = find(validation.problems, "duplicate-id", path="b-2020/projects.csv")
    assert [(p.row, p.field, p.value) for p in duplicates] == [
        (2, "id", "p1"),
        (3, "id", "p2"),
        (4, "id", "p3"),
    ]
    assert "a-2019/projects.csv" in duplicates[0].message
    # identical regions, organizations and programs may be shared
    assert not find(validation.problems, "conflicting-definition")
    assert codes(validation.problems) == {"duplicate-id"}


def test_shared_region_defined_differently(data_dir: DataDir) -> None:
    data_dir.add_package("a-2019")
    data_dir.add_package("b-2020")
    data_dir.replace("b-2020/regions.csv", "Yongsheng County,永胜县", "Yongsheng,永胜县")
    [problem] = find(data_dir.validate().problems, "conflicting-definition")
    assert (problem.path, problem.row, problem.field, problem.value) == (
        "b-2020/regions.csv",
        3,
        "name",
        "Yongsheng",
    )


def test_rules_do_not_run_on_data_with_schema_errors(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/funds.csv", "disbursement,150000.5", "disbursement,lots")
    validation = data_dir.validate()
    assert validation.model is None
    assert codes(errors(validation.problems)) == {"type-error"}


def test_a_region_within_itself_is_reported_once_at_its_first_row(data_dir: DataDir) -> None:
    problems = _problems_after(
        data_dir, ("regions", "Lijiang City,丽江市,city,,", "Lijiang City,丽江市,city,530722208,")
    )
    [problem] = find(problems, "region-cycle")
    assert (problem.path, problem.row, problem.field) == ("minimal/regions.csv", 2, "parent")
    assert problem.value == "530722208" and problem.severity == "error"
    assert "530700 → 530722208 → 530722 → 530700" in problem.message  # each lies in the next


def test_a_region_that_is_its_own_parent(data_dir: DataDir) -> None:
    problems = _problems_after(data_dir, ("regions", "township,530722,", "township,530722208,"))
    [problem] = find(problems, "region-cycle")
    assert (problem.row, problem.value) == (4, "530722208")


def test_no_rule_reads_a_projects_title_or_description(data_dir: DataDir) -> None:
    # The rules' findings are memoised by every row but these words (validate_data).
    data_dir.add_package()
    edits = [
        ("funds", "disbursement,150000.5", "disbursement,250000"),
        ("projects", ",120000,Training", ",130000,Training"),
        ("projects", "2019-03-01,2019-10-31", "2019-03-01,2019-02-01"),
        ("benefits", "3.5,3.5,2019-12-31", "3.5,,"),
        ("announcements", "p1;p3", "p1;p9"),
    ]
    for table, old, new in edits:
        data_dir.replace(f"minimal/{table}.csv", old, new)
    model = data_dir.validate().model
    assert model is not None
    reworded = {
        pid: dataclasses.replace(p, title="Other", title_local="别的", description="Else")
        for pid, p in model.projects.items()
    }
    problems = validate_rules(model)
    assert len(codes(problems)) >= 6
    assert validate_rules(dataclasses.replace(model, projects=reworded)) == problems


def _positions(problems: list[Problem]) -> list[tuple[object, ...]]:
    return [(p.code, p.path, p.row, p.field, p.value) for p in problems]


# (overlay, file, old text, new text): one row edited, its findings changed
ROW_EDITS = [
    ("hostile/numbers-at-edges", "minimal/funds.csv", "NaN,2019-11-30", "2e3,2019-1-5"),
    ("hostile/numbers-at-edges", "minimal/funds.csv", "\nf5,p2,county,o1,allocation,120000", "\n"),
    ("hostile/personal-data", "minimal/projects.csv", "ID 53072219900101123X", "13812345678"),
    ("hostile/personal-data", "minimal/announcements.csv", "13812345678", "138 1234 5678"),
    ("hostile/dates-out-of-range", "minimal/projects.csv", "0001-01-01", "2019-03-01"),
]


@pytest.mark.parametrize(("overlay", "path", "old", "new"), ROW_EDITS)
def test_an_edited_table_is_checked_again_on_its_changed_rows_only(
    overlay: str, path: str, old: str, new: str, data_dir: DataDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    data_dir.add_package(overlay=overlay)
    validate_packages(load_packages(data_dir.root)[0])
    data_dir.replace(path, old, new)
    packages, _ = load_packages(data_dir.root)
    checked: list[int] = []
    find = rules._find
    monkeypatch.setattr(rules, "_find", lambda t: checked.append(len(t.records)) or find(t))
    again = validate_packages(packages)
    monkeypatch.undo()
    rules._last_findings.clear()
    fresh = validate_packages(packages)
    assert _positions(again) == _positions(fresh) and again == fresh
    assert max(checked) <= 1  # the edited row alone (or none, when a row was taken out)


@pytest.mark.parametrize("overlay", [None, *OVERLAYS])
def test_table_rules_find_a_rows_problems_from_that_row_in_field_then_row_order(
    overlay: str | None, data_dir: DataDir
) -> None:
    # what lets an edited table be checked again by its changed rows (TableRule)
    data_dir.add_package(overlay=overlay)
    for package in load_packages(data_dir.root)[0]:
        for table in package.tables.values():
            whole = rules._find(table)
            rows = range(len(table.records))
            for changed in (list(rows[::2]), list(rows[-1:])):
                assert rules._merged(table, changed, whole) == whole


def test_findings_of_rows_checked_apart_are_put_in_field_order_first(data_dir: DataDir) -> None:
    data_dir.add_package(overlay="hostile/dates-out-of-range")
    data_dir.replace("minimal/projects.csv", "0001-01-01", "2019-03-01")
    data_dir.replace("minimal/projects.csv", "2019-11-20", "2200-11-20")  # row 2, actual_end
    data_dir.replace("minimal/projects.csv", "2019-04-01", "0001-04-01")  # row 3, planned_start
    [package], _ = load_packages(data_dir.root)
    projects = package.tables["projects"]
    whole = rules._find(projects)
    assert [(p.row, p.field) for p in whole["date-out-of-range"]] == [
        (3, "planned_start"),
        (2, "actual_end"),
    ]
    assert rules._merged(projects, [1], whole) == whole

"""Schema-level validation: each bad input gives its code at its file, row and column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from datadir import MINIMAL, DataDir, codes, errors, find, resource_of

from generator.load import load_packages
from generator.validate import tables, validate_data
from generator.validate.tables import schema_differences, validate_descriptor, validate_tables


def test_minimal_package_has_no_schema_level_problem() -> None:
    packages, problems = load_packages(MINIMAL)
    assert problems == []
    assert validate_tables(packages) == []


def test_minimal_package_is_publishable_with_one_warning() -> None:
    validation = validate_data(MINIMAL)
    assert errors(validation.problems) == []
    assert codes(validation.problems) == {"reported-total-mismatch"}
    assert validation.ok() and not validation.ok(strict=True)
    assert validation.model is not None


def test_bom_and_crlf_validate(data_dir: DataDir) -> None:
    data_dir.add_package(overlay="valid/bom")
    assert errors(data_dir.validate().problems) == []


def test_gbk_declared_validates(data_dir: DataDir) -> None:
    data_dir.add_package(overlay="bad/gbk-undeclared")
    data_dir.edit_descriptor(
        "minimal", lambda d: resource_of(d, "organizations").update(encoding="gbk")
    )
    assert errors(data_dir.validate().problems) == []


def test_ragged_rows_are_missing_and_extra_cells(data_dir: DataDir) -> None:
    data_dir.add_package(overlay="bad/ragged-rows")
    problems = data_dir.validate().problems
    assert find(problems, "missing-cell", path="minimal/funds.csv", row=3, field="illustrative")
    assert find(problems, "extra-cell", path="minimal/funds.csv", row=6, value="extra")
    # the missing cell is not reported a second time as an empty required value
    assert not find(problems, "constraint-error", row=3)


def test_file_level_problems_are_reported_once(data_dir: DataDir) -> None:
    data_dir.add_package(overlay="bad/gbk-undeclared")
    problems = data_dir.validate().problems
    assert [p.code for p in problems if p.path == "minimal/organizations.csv"] == ["encoding-error"]


def test_unreadable_table_does_not_flood_its_references(data_dir: DataDir) -> None:
    # projects, organizations and funds refer to organizations; none reports foreign keys
    data_dir.add_package(overlay="bad/broken-quoting")
    problems = data_dir.validate().problems
    assert codes(problems) == {"csv-error"}


def test_empty_file_is_reported(data_dir: DataDir) -> None:
    data_dir.add_package(overlay="bad/empty-file")
    assert find(data_dir.validate().problems, "empty-file", path="minimal/announcements.csv")


def test_missing_column_is_one_problem_naming_it(data_dir: DataDir) -> None:
    data_dir.add_package(overlay="bad/missing-column")
    problems = data_dir.validate().problems
    assert [(p.code, p.row, p.field) for p in problems if p.path == "minimal/projects.csv"] == [
        ("missing-label", 1, "title_local")
    ]


def test_unknown_and_misspelt_columns_are_named(data_dir: DataDir) -> None:
    data_dir.add_package(overlay="bad/unknown-column")
    problems = data_dir.validate().problems
    assert find(problems, "extra-label", path="minimal/benefits.csv", row=1, field="remarks")
    [misspelt] = find(problems, "extra-label", row=1, field="acheived")
    assert misspelt.hint is not None and '"achieved"' in misspelt.hint
    assert find(problems, "missing-label", path="minimal/benefits.csv", row=1, field="achieved")


def test_columns_out_of_order_are_one_problem(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/programs.csv", "id,name,name_local", "id,name_local,name")
    problems = data_dir.validate().problems
    assert [(p.code, p.field, p.value) for p in problems] == [
        ("incorrect-label", "name", "name_local")
    ]


def test_duplicate_and_blank_column_names(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/programs.csv", "id,name,name_local", "id,name,")
    data_dir.replace("minimal/regions.csv", "code,name,name_local", "code,name,name")
    problems = data_dir.validate().problems
    assert find(problems, "blank-label", path="minimal/programs.csv", row=1)
    assert find(problems, "duplicate-label", path="minimal/regions.csv", row=1, field="name")
    assert not find(problems, "incorrect-label")


def test_blank_row_is_reported_without_a_key_error(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/regions.csv", "530722208.,false\n", "530722208.,false\n,,,,,,\n")
    problems = data_dir.validate().problems
    assert [(p.code, p.row) for p in problems] == [("blank-row", 5)]


@pytest.mark.parametrize(
    ("table", "old", "new", "field", "hint"),
    [
        ("projects", ",500000,", ",about 500000,", "budget", None),
        ("projects", "2019,2019-03-01", "2019,2019/3/1", "planned_start", "write 2019-03-01"),
        ("projects", "completed,2019,", "completed,2019年,", "year", "write 2019 not 2019年"),
        ("funds", "allocation,120000", 'allocation,"12,345.5"', "amount", "write 12345.5 not"),
        ("funds", "allocation,120000", "allocation,12万元", "amount", "multiply by 10,000"),
        ("funds", "allocation,120000", "allocation,120000元", "amount", "write 120000 not"),
        ("regions", "code.,true", "code.,是", "illustrative", "write true"),
    ],
)
def test_wrong_type_gives_the_fix(
    data_dir: DataDir, table: str, old: str, new: str, field: str, hint: str | None
) -> None:
    data_dir.add_package()
    data_dir.replace(f"minimal/{table}.csv", old, new)
    problems = data_dir.validate().problems
    [problem] = find(problems, "type-error", path=f"minimal/{table}.csv", field=field)
    assert problem.row is not None and problem.row >= 2
    if hint is None:
        assert problem.hint is None
    else:
        assert problem.hint is not None and hint in problem.hint


def test_amount_in_wan_yuan_is_converted_in_the_hint(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/funds.csv", "allocation,120000", "allocation,12万元")
    [problem] = find(data_dir.validate().problems, "type-error", row=6, field="amount")
    assert problem.value == "12万元"
    assert problem.hint is not None and "write 120000 not 12万元" in problem.hint


def test_negative_amount(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/funds.csv", "disbursement,60000", "disbursement,-60000")
    [problem] = find(data_dir.validate().problems, "constraint-error", row=7, field="amount")
    assert problem.value == "-60000"
    assert "negative" in problem.message


def test_duplicate_id_within_a_file_is_one_unique_error(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/benefits.csv", "b2,p1", "b1,p1")
    problems = data_dir.validate().problems
    assert [(p.code, p.path, p.row, p.field) for p in problems] == [
        ("unique-error", "minimal/benefits.csv", 3, "id")
    ]


def test_dangling_foreign_key(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/funds.csv", "f6,p2", "f6,p9")
    [problem] = find(data_dir.validate().problems, "foreign-key", row=7)
    assert (problem.path, problem.field, problem.value) == ("minimal/funds.csv", "project", "p9")
    assert "minimal/projects.csv" in problem.message


def test_region_parent_must_exist(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/regions.csv", "county,530700", "county,530799")
    problems = data_dir.validate().problems
    assert find(problems, "foreign-key", path="minimal/regions.csv", row=3, field="parent")


@pytest.mark.parametrize("unsafe", ["../x", "a/b", "a b", "P1", "-x"])
def test_unsafe_id_explains_the_rule(data_dir: DataDir, unsafe: str) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/benefits.csv", "b3,p1", f"{unsafe},p1")
    [problem] = find(data_dir.validate().problems, "constraint-error", row=4, field="id")
    assert problem.value == unsafe
    assert "lowercase letters" in problem.message and "web addresses" in problem.message


def test_very_long_text_gives_the_limit_and_the_length(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/programs.csv", "Whole-village advancement", "x" * 301)
    [problem] = find(data_dir.validate().problems, "constraint-error", row=2, field="name")
    assert "301" in problem.message and "300" in problem.message


def test_enum_suggests_the_closest_value(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/projects.csv", "o2,completed", "o2,complete")
    [problem] = find(data_dir.validate().problems, "constraint-error", row=2, field="status")
    assert problem.hint == 'did you mean "completed"?'


def test_required_value(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/benefits.csv", "b4,p2,trainees,people", "b4,p2,trainees,")
    problems = data_dir.validate().problems
    assert find(problems, "constraint-error", path="minimal/benefits.csv", row=5, field="unit")


def test_feedback_link_must_be_web_or_mail_address(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/announcements.csv", "mailto:feedback", "javascript:feedback")
    problems = data_dir.validate().problems
    assert find(problems, "constraint-error", row=2, field="contact_url")


# The descriptor


def _drop_resource(name: str) -> Any:
    return lambda d: d["resources"].remove(resource_of(d, name))


def test_missing_resource(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.edit_descriptor("minimal", _drop_resource("announcements"))
    problems = data_dir.validate().problems
    assert find(
        problems, "missing-resource", path="minimal/datapackage.json", resource="announcements"
    )


def test_unknown_resource_is_a_warning(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.edit_descriptor(
        "minimal",
        lambda d: d["resources"].append({"name": "notes", "path": "programs.csv"}),
    )
    [problem] = find(data_dir.validate().problems, "unknown-resource", resource="notes")
    assert problem.severity == "warning"


def test_schema_mismatch_names_the_field_and_property(data_dir: DataDir) -> None:
    data_dir.add_package()

    def loosen(descriptor: dict[str, Any]) -> None:
        fields = resource_of(descriptor, "funds")["schema"]["fields"]
        next(f for f in fields if f["name"] == "amount")["constraints"]["minimum"] = -1000

    data_dir.edit_descriptor("minimal", loosen)
    [problem] = find(data_dir.validate().problems, "schema-mismatch", resource="funds")
    assert (problem.path, problem.field) == ("minimal/datapackage.json", "amount")
    assert "amount.constraints.minimum is -1000, expected 0" in problem.message


def test_missing_schema_is_a_mismatch(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.edit_descriptor("minimal", lambda d: resource_of(d, "programs").pop("schema"))
    assert find(data_dir.validate().problems, "schema-mismatch", resource="programs")


def test_schema_differences_finds_fields_and_order() -> None:
    canonical = {"fields": [{"name": "a", "type": "string"}, {"name": "b", "type": "number"}]}
    assert list(schema_differences(canonical, canonical)) == []
    swapped = {"fields": list(reversed(canonical["fields"]))}
    assert [field for field, _ in schema_differences(swapped, canonical)] == [None]
    extra = {"fields": [*canonical["fields"], {"name": "c"}], "primaryKey": ["a"]}
    found = list(schema_differences(extra, canonical))
    assert ("c", 'the field "c" is not a Sunshine field') in found
    assert (None, 'primaryKey is ["a"], expected absent') in found
    boolean = {"fields": [{"name": "a", "type": "string", "x": True}, canonical["fields"][1]]}
    with_one = {"fields": [{"name": "a", "type": "string", "x": 1}, canonical["fields"][1]]}
    assert list(schema_differences(boolean, with_one)) == [("a", "a.x is true, expected 1")]


def test_descriptor_is_checked_against_the_standard(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.edit_descriptor("minimal", lambda d: d.update(created="last year"))
    [problem] = find(data_dir.validate().problems, "package-error")
    assert problem.path == "minimal/datapackage.json" and "created" in problem.message


def test_unknown_resource_is_not_read(data_dir: DataDir) -> None:
    folder = data_dir.add_package()
    (folder / "scan.pdf").write_bytes(b"%PDF-1.4\n\xff\xfe\x00binary")
    data_dir.edit_descriptor(
        "minimal", lambda d: d["resources"].append({"name": "scan", "path": "scan.pdf"})
    )
    validation = data_dir.validate()
    assert errors(validation.problems) == []
    assert find(validation.problems, "unknown-resource", resource="scan")
    assert "scan" not in validation.packages[0].tables


def test_unsafe_resource_path_is_one_package_error(data_dir: DataDir) -> None:
    data_dir.add_package()
    data_dir.edit_descriptor(
        "minimal", lambda d: resource_of(d, "announcements").update(path="../x/announcements.csv")
    )
    problems = errors(data_dir.validate().problems)
    assert [p.code for p in problems if p.resource != "announcements"] == ["package-error"]


def test_paths_that_are_not_csv_files_are_reported_with_every_other_problem(
    data_dir: DataDir,
) -> None:
    # frictionless, given projects.txt, crashed reading it as text instead of as a table
    folder = data_dir.add_package()
    (folder / "projects.csv").rename(folder / "projects.txt")
    (folder / "funds.csv").rename(folder / "funds.json")

    def edit(descriptor: dict[str, Any]) -> None:
        resource_of(descriptor, "projects").update(path="projects.txt")
        resource_of(descriptor, "funds").update(path="funds.json")

    data_dir.edit_descriptor("minimal", edit)
    data_dir.replace("minimal/benefits.csv", "b3,p1", "b3!,p1")
    problems = errors(data_dir.validate().problems)
    assert sorted((p.code, p.path, p.row, p.field, p.value) for p in problems) == [
        ("constraint-error", "minimal/benefits.csv", 4, "id", "b3!"),
        ("not-a-csv-file", "minimal/datapackage.json", None, "path", "funds.json"),
        ("not-a-csv-file", "minimal/datapackage.json", None, "path", "projects.txt"),
    ]


def test_what_frictionless_refuses_to_open_is_still_a_problem(tmp_path: Path) -> None:
    (tmp_path / "dup.csv").write_text("id,id\n1,2\n")
    schema = {"fields": [{"name": "id", "type": "string"}], "fieldsMatch": "equal"}
    descriptor = {"name": "x", "resources": [{"name": "dup", "path": "dup.csv", "schema": schema}]}
    [problem] = validate_descriptor(descriptor, tmp_path)
    assert (problem.path, problem.severity, problem.resource) == ("dup.csv", "error", "dup")


def test_error_limit_is_a_warning(data_dir: DataDir, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "LIMIT_ERRORS", 2)
    data_dir.add_package()
    for row in ("f5", "f6", "f7"):
        data_dir.replace("minimal/funds.csv", f"{row},p", f"{row}!,p")
    problems = data_dir.validate().problems
    assert len(find(problems, "constraint-error", path="minimal/funds.csv")) == 2
    [limit] = find(problems, "error-limit", path="minimal/funds.csv")
    assert limit.severity == "warning"


def test_schema_of_an_unreadable_table_is_still_compared(data_dir: DataDir) -> None:
    data_dir.add_package(overlay="bad/empty-file")
    data_dir.edit_descriptor(
        "minimal", lambda d: resource_of(d, "announcements")["schema"].pop("primaryKey")
    )
    problems = data_dir.validate().problems
    assert find(problems, "empty-file", path="minimal/announcements.csv")
    assert find(problems, "schema-mismatch", resource="announcements", field=None)


def test_many_schema_differences_are_summed_up(data_dir: DataDir) -> None:
    data_dir.add_package()

    def untype(descriptor: dict[str, Any]) -> None:
        for field in resource_of(descriptor, "projects")["schema"]["fields"]:
            field["type"] = "any"

    data_dir.edit_descriptor("minimal", untype)
    problems = find(data_dir.validate().problems, "schema-mismatch", resource="projects")
    # 20 fields differ: ten are named, then one line counts the rest
    assert len(problems) == 11
    assert sum("and 10 more differences" in p.message for p in problems) == 1

"""Rendering problems as text grouped by file, and as JSON."""

from __future__ import annotations

import json

from generator.problems import error, warning
from generator.validate.report import problem_line, render_json, render_text

PROBLEMS = [
    warning("budget-mismatch", "budget differs", path="a/projects.csv", row=3, field="budget"),
    error(
        "type-error",
        "amount must be a number",
        path="a/funds.csv",
        row=6,
        field="amount",
        value="12万元",
        hint="write 120000 not 12万元",
    ),  # fmt: skip
    error("unique-error", "id repeats row 2", path="a/projects.csv", row=3, field="id"),
    error("missing-resource", "no announcements", path="a/datapackage.json"),
]


def test_problem_line_is_location_message_value_code() -> None:
    assert problem_line(PROBLEMS[1]) == (
        "a/funds.csv:6:amount: amount must be a number; write 120000 not 12万元 (12万元) "
        "[type-error]"
    )
    assert problem_line(PROBLEMS[3]) == "a/datapackage.json: no announcements [missing-resource]"


def test_text_groups_by_file_errors_first_within_a_row() -> None:
    lines = render_text(PROBLEMS).splitlines()
    assert lines[0] == "a/datapackage.json"
    assert lines[2] == "a/funds.csv"
    assert lines[4] == "a/projects.csv"
    assert lines[5].endswith("[unique-error]") and lines[6].endswith("[budget-mismatch]")
    assert lines[-1] == "3 errors, 1 warning in 3 files"


def test_text_without_problems_is_the_summary() -> None:
    assert render_text([]) == "0 errors, 0 warnings in 0 files\n"


def test_json_counts_and_lists_every_problem() -> None:
    document = json.loads(render_json(PROBLEMS, ok=False))
    assert list(document) == ["errors", "ok", "problems", "warnings"]
    assert (document["ok"], document["errors"], document["warnings"]) == (False, 3, 1)
    assert document["problems"][0]["code"] == "missing-resource"
    assert {p["code"] for p in document["problems"]} == {p.code for p in PROBLEMS}


def test_json_keeps_chinese_readable() -> None:
    assert "12万元" in render_json(PROBLEMS, ok=False)

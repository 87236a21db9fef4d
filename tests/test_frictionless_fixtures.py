"""frictionless-py's own invalid fixtures, through our conversion into Problems.

The expectations are read from the fixtures' EXPECTED.md at test time (the
errors frictionless-py's tests assert); each expected [row, field, type]
must appear among our Problems, at the same row, with the same code, and
for cell and label errors at the column the field number points to.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest

from generator.problems import Problem
from generator.validate.tables import validate_descriptor

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "reference"
FIXTURES = FIXTURES / "frictionless-invalid-fixtures"
HEADER_CODES = {"blank-label", "duplicate-label", "incorrect-label", "extra-label"}

# fixture as named in EXPECTED.md -> (descriptor of one resource, or None for a package file)
CASES: dict[str, dict[str, Any] | None] = {
    "data/invalid.csv": {},
    "data/blank-headers.csv": {},
    "data/duplicate-headers.csv": {},
    "data/defective-rows.csv": {},
    "data/blank-rows.csv": {},
    "data/blank-cells.csv": {},
    "data/unique-field.csv + data/unique-field.json": {"schema": "unique-field.json"},
    "data/latin1.csv read as utf-8": {"encoding": "utf-8"},
    "data/invalid/datapackage.json (+data.csv, data2.csv)": None,
}

Expected = tuple[str | None, int | None, int | None, str]  # (task, row, field number, code)


def expected_outcomes() -> dict[str, str]:
    """Map each fixture cell of EXPECTED.md's tables to its expected-outcome cell."""
    if not FIXTURES.is_dir():
        pytest.skip(f"peer fixtures not found at {FIXTURES}")
    outcomes: dict[str, str] = {}
    for line in (FIXTURES / "EXPECTED.md").read_text("utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) == 2:
            outcomes[cells[0]] = cells[1]
    return outcomes


def parse_triples(text: str) -> list[Expected]:
    """Read ``[row,field,type]`` and ``[task, rowN, type]`` items."""
    found: list[Expected] = []
    for item in re.findall(r"\[([^\]]+)\]", text):
        parts = [p.strip() for p in item.split(",")]
        if parts[0].startswith("task"):
            found.append((parts[0], int(parts[1].removeprefix("row")), None, parts[2]))
        else:
            found.append((None, _number(parts[0]), _number(parts[1]), parts[2]))
    return found


def _number(text: str) -> int | None:
    return None if text == "None" else int(text)


def run_case(name: str) -> tuple[list[Problem], list[str], list[str]]:
    """Validate one fixture; return problems, the CSV header and resource names in order."""
    extra = CASES[name]
    data = FIXTURES / "data"
    if extra is None:
        descriptor = json.loads((data / "invalid" / "datapackage.json").read_text("utf-8"))
        basepath = data / "invalid"
    else:
        file = name.split()[0].removeprefix("data/")
        resource = {"name": Path(file).stem, "path": file, **extra}
        descriptor = {"name": "peer", "resources": [resource]}
        basepath = data
    names = [r["name"] for r in descriptor["resources"]]
    first = basepath / descriptor["resources"][0]["path"]
    with first.open(encoding="latin-1", newline="") as f:
        header = next(csv.reader(f))
    return validate_descriptor(descriptor, basepath), header, names


def matches(problem: Problem, want: Expected, header: list[str], names: list[str]) -> bool:
    """Whether a problem is the expected error (task -> resource, field number -> column)."""
    task, row, field_number, code = want
    if problem.code != code:
        return False
    if task is not None and problem.resource != names[int(task.removeprefix("task")) - 1]:
        return False
    if code in HEADER_CODES:
        return problem.row == 1 and _column_matches(problem, field_number, header)
    return problem.row == row and _column_matches(problem, field_number, header)


def _column_matches(problem: Problem, number: int | None, header: list[str]) -> bool:
    if number is None or number > len(header) or not header[number - 1]:
        return True  # no column name to compare (extra cell, blank label, row-level error)
    # frictionless names a blank column "field3" and a repeated "name" "name2"
    label = re.escape(header[number - 1])
    return bool(problem.field and re.fullmatch(rf"{label}\d*|field{number}", problem.field))


@pytest.mark.parametrize("name", list(CASES))
def test_peer_fixture_errors_are_reported(name: str) -> None:
    outcome = expected_outcomes().get(name)
    assert outcome is not None, f"{name} no longer listed in EXPECTED.md"
    problems, header, names = run_case(name)
    if outcome == "VALID":
        assert problems == []
        return
    expected = parse_triples(outcome)
    if not expected:  # the encoding case: a single error, described in words
        assert "encoding-error" in outcome
        expected = [(None, None, None, "encoding-error")]
    for want in expected:
        assert any(matches(p, want, header, names) for p in problems), (want, problems)


def test_peer_problems_are_worded_and_placed() -> None:
    expected_outcomes()
    problems, _, _ = run_case("data/invalid.csv")
    assert all(p.path == "invalid.csv" and p.severity == "error" for p in problems)
    assert all(p.message and "{" not in p.message for p in problems)

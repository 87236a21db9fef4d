"""An edit of a large table checked by its changed rows finds what a full run finds.

The minimal package is grown past the rows frictionless samples (150 generated
projects, each with a fund), validated once with a cache, then edited. The
edited data is validated with that cache, where frictionless may read only the
changed rows (see ``edited_runs``), and without any cache; both must give the
same problems, positions and model. ``full`` records the tables validated whole,
so a test tells which way each table went.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from datadir import DataDir, find, resource_of

from generator.cache import Cache, make_key
from generator.validate import Validation, resource_runs, validate_data
from generator.validate.edited_runs import editable
from generator.validate.resource_runs import run_resources

GROWN = 150
EDITED = 140  # a line past the first 100 rows, which frictionless samples


def project_row(n: int) -> str:
    """A valid generated project line."""
    cells = f"g{n:03},Generated project {n},,training,530722,o1,planned,2019"
    return f"{cells},,,,,1000,,,,,,Fixture.,true"


def fund_row(n: int) -> str:
    """A valid generated fund line, for project ``n``."""
    return f"gf{n:03},g{n:03},central,,allocation,1000,2019-02-20,,Fixture.,false"


def append_lines(file: Path, lines: list[str]) -> None:
    """Append lines to a file that ends with a line end."""
    file.write_bytes(file.read_bytes() + "".join(f"{line}\n" for line in lines).encode("utf-8"))


class Lines:
    """A CSV file as its lines, edited by line number (the header is line 1)."""

    def __init__(self, file: Path) -> None:
        self.file = file
        self.lines = file.read_bytes().decode("utf-8").split("\n")

    def save(self) -> None:
        """Write the lines back."""
        self.file.write_bytes("\n".join(self.lines).encode("utf-8"))

    def set_cell(self, number: int, column: str, value: str) -> None:
        """Set one cell of line ``number``, written as a spreadsheet would."""
        header = next(csv.reader([self.lines[0].rstrip("\r")]))
        line = self.lines[number - 1]
        cells = next(csv.reader([line.rstrip("\r")]))
        cells[header.index(column)] = value
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(cells)
        self.lines[number - 1] = out.getvalue() + ("\r" if line.endswith("\r") else "")
        self.save()

    def replace(self, number: int, old: str, new: str) -> None:
        """Replace text in line ``number``; ``old`` must be there."""
        assert old in self.lines[number - 1]
        self.lines[number - 1] = self.lines[number - 1].replace(old, new, 1)
        self.save()

    def insert(self, after: int, *lines: str) -> None:
        """Insert lines after line ``after``."""
        self.lines[after:after] = list(lines)
        self.save()

    def delete(self, number: int) -> None:
        """Delete line ``number``."""
        del self.lines[number - 1]
        self.save()


def set_fund(line: int, column: str, value: str) -> Callable[[DataDir], None]:
    """An edit setting one cell of funds.csv."""
    return lambda d: funds(d).set_cell(line, column, value)


def projects(data_dir: DataDir) -> Lines:
    """The lines of the package's projects.csv."""
    return Lines(data_dir.root / "minimal" / "projects.csv")


def funds(data_dir: DataDir) -> Lines:
    """The lines of the package's funds.csv."""
    return Lines(data_dir.root / "minimal" / "funds.csv")


def grow(data_dir: DataDir) -> None:
    """The minimal package with GROWN generated projects and funds after its own rows."""
    folder = data_dir.add_package()
    append_lines(folder / "projects.csv", [project_row(n) for n in range(GROWN)])
    append_lines(folder / "funds.csv", [fund_row(n) for n in range(GROWN)])


@pytest.fixture
def full(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the resources frictionless validates whole from now on."""
    names: list[str] = []
    validate = resource_runs.validate_resource

    def spy(descriptor: dict[str, Any], name: str, *args: Any) -> Any:
        names.append(name)
        return validate(descriptor, name, *args)

    monkeypatch.setattr(resource_runs, "validate_resource", spy)
    return names


def same_outcome(first: Validation, second: Validation) -> bool:
    """Tell whether two validations found the same problems and model."""
    return first.problems == second.problems and first.model == second.model


def positions(validation: Validation) -> list[tuple[Any, ...]]:
    """Each problem's code and place."""
    return [(p.code, p.path, p.row, p.field) for p in validation.problems]


def check_edit(
    data_dir: DataDir, cache: Path, full: list[str], edit: Callable[[DataDir], Any]
) -> Validation:
    """Validate, edit, validate again with the cache: what a run without cache finds.

    ``full`` is left holding the tables the run with the cache validated whole.
    """
    validate_data(data_dir.root, cache)
    validate_data(data_dir.root, cache)  # frictionless imported: the csv field limit is its own
    edit(data_dir)
    full.clear()
    edited = validate_data(data_dir.root, cache)
    ran_whole = list(full)
    uncached = validate_data(data_dir.root)
    full[:] = ran_whole
    assert positions(edited) == positions(uncached)
    assert same_outcome(edited, uncached)
    return edited


Edit = Callable[[DataDir], Any]
CLEAN_EDITS: dict[str, tuple[Edit, list[str]]] = {  # edit, and the tables then read whole
    "cell": (lambda d: projects(d).set_cell(EDITED, "title", "Renamed project"), []),
    "insert": (lambda d: funds(d).insert(EDITED, fund_row(7).replace("gf007", "new")), []),
    "delete": (lambda d: funds(d).delete(EDITED), []),
    "quoted-line-end": (
        lambda d: projects(d).set_cell(EDITED, "description", "Two\nlines, quoted"),
        [],
    ),
    "last-row": (lambda d: funds(d).set_cell(GROWN + 8, "amount", "2000"), []),
    "no-last-line-end": (lambda d: funds(d).delete(GROWN + 9), []),  # the "" after the last "\n"
    "quote-inside-a-cell": (lambda d: funds(d).replace(EDITED, "Fixture.", 'Fix"ture.'), []),
    "signalling-nan-in-text": (lambda d: funds(d).set_cell(EDITED, "document", "sNaN"), []),
    # a new project id: the tables looking projects up see another key set
    "new-project": (lambda d: projects(d).insert(EDITED, project_row(900)), ["funds", "benefits"]),
}


@pytest.mark.parametrize("case", CLEAN_EDITS)
def test_a_clean_edit_is_checked_by_its_rows(
    case: str, data_dir: DataDir, tmp_path: Path, full: list[str]
) -> None:
    grow(data_dir)
    edit, whole = CLEAN_EDITS[case]
    edited = check_edit(data_dir, tmp_path / "cache", full, edit)
    assert not edited.errors
    assert full == whole  # the edited table was not read whole: its changed rows were checked


def duplicate_in_block(d: DataDir) -> None:
    funds(d).insert(
        EDITED, fund_row(0).replace("gf000", "new"), fund_row(1).replace("gf001", "new")
    )


ERROR_EDITS: dict[str, tuple[Edit, str, str, int]] = {  # edit, table, code, row
    "duplicate-primary-key": (
        lambda d: funds(d).set_cell(EDITED, "id", "f1"),
        "funds",
        "unique-error",
        EDITED,
    ),
    "duplicate-inside-the-block": (duplicate_in_block, "funds", "unique-error", EDITED + 2),
    "bad-type": (
        lambda d: funds(d).set_cell(EDITED, "amount", "12万元"),
        "funds",
        "type-error",
        EDITED,
    ),
    "dangling-foreign-key": (
        lambda d: funds(d).set_cell(EDITED, "project", "p999"),
        "funds",
        "foreign-key",
        EDITED,
    ),
    "blank-row": (lambda d: funds(d).insert(EDITED, ""), "funds", "blank-row", EDITED + 1),
    "extra-cell": (
        lambda d: funds(d).replace(EDITED, ",false", ",false,more"),
        "funds",
        "extra-cell",
        EDITED,
    ),
    "missing-value": (
        lambda d: funds(d).set_cell(EDITED, "source", ""),
        "funds",
        "constraint-error",
        EDITED,
    ),
}


@pytest.mark.parametrize("case", ERROR_EDITS)
def test_an_edit_with_errors_is_validated_whole(
    case: str, data_dir: DataDir, tmp_path: Path, full: list[str]
) -> None:
    grow(data_dir)
    edit, table, code, row = ERROR_EDITS[case]
    edited = check_edit(data_dir, tmp_path / "cache", full, edit)
    assert find(edited.problems, code, path=f"minimal/{table}.csv", row=row)
    assert table in full


FALLBACK_EDITS: dict[str, tuple[Edit, str]] = {  # clean edits a full run must check
    "first-rows": (lambda d: projects(d).set_cell(5, "title", "Renamed early project"), "projects"),
    "header-line-end": (lambda d: funds(d).replace(1, "illustrative", "illustrative\r"), "funds"),
    "rows-far-apart": (
        lambda d: [funds(d).set_cell(n, "amount", "1500") for n in (EDITED - 30, EDITED + 10)],
        "funds",
    ),
    # a new signalling NaN in a number column is read as missing: the schema changes
    "signalling-nan": (lambda d: funds(d).set_cell(EDITED, "amount", "sNaN"), "funds"),
}


@pytest.mark.parametrize("case", FALLBACK_EDITS)
def test_an_edit_the_rows_cannot_show_clean_is_validated_whole(
    case: str, data_dir: DataDir, tmp_path: Path, full: list[str]
) -> None:
    grow(data_dir)
    edit, table = FALLBACK_EDITS[case]
    check_edit(data_dir, tmp_path / "cache", full, edit)
    assert table in full


def test_broken_quoting_is_found_before_frictionless(
    data_dir: DataDir, tmp_path: Path, full: list[str]
) -> None:
    grow(data_dir)
    edit = lambda d: funds(d).replace(EDITED, ",Fixture.", ',"Fixture.')  # noqa: E731
    edited = check_edit(data_dir, tmp_path / "cache", full, edit)
    assert find(edited.problems, "csv-error", path="minimal/funds.csv", row=EDITED)


def test_a_renamed_header_is_validated_whole(
    data_dir: DataDir, tmp_path: Path, full: list[str]
) -> None:
    grow(data_dir)
    edited = check_edit(
        data_dir, tmp_path / "cache", full, lambda d: funds(d).replace(1, "document", "documents")
    )
    assert edited.errors


def test_a_renamed_referenced_key_checks_the_referencing_table_whole(
    data_dir: DataDir, tmp_path: Path, full: list[str]
) -> None:
    grow(data_dir)
    generated = EDITED - 5  # the generated projects start on line 5, their funds on line 9
    edited = check_edit(
        data_dir, tmp_path / "cache", full, lambda d: projects(d).set_cell(EDITED, "id", "renamed")
    )
    assert find(edited.problems, "foreign-key", path="minimal/funds.csv", row=9 + generated)
    assert "projects" not in full  # the projects themselves are clean, checked by the edit
    assert "funds" in full  # the key set funds look up changed


def test_a_duplicate_of_a_kept_project_is_found(
    data_dir: DataDir, tmp_path: Path, full: list[str]
) -> None:
    # the block alone is clean: only the check against the kept rows finds the repeat
    grow(data_dir)
    edited = check_edit(
        data_dir, tmp_path / "cache", full, lambda d: projects(d).insert(EDITED, project_row(7))
    )
    assert find(edited.problems, "unique-error", path="minimal/projects.csv", row=EDITED + 1)
    assert "projects" in full


def test_a_file_with_a_byte_order_mark_and_crlf_line_ends(
    data_dir: DataDir, tmp_path: Path, full: list[str]
) -> None:
    grow(data_dir)
    file = data_dir.root / "minimal" / "funds.csv"
    file.write_bytes(b"\xef\xbb\xbf" + file.read_bytes().replace(b"\n", b"\r\n"))
    check_edit(
        data_dir, tmp_path / "cache", full, lambda d: funds(d).set_cell(EDITED, "amount", "7")
    )
    assert full == []


def test_a_file_declared_gbk(data_dir: DataDir, tmp_path: Path, full: list[str]) -> None:
    grow(data_dir)
    file = data_dir.root / "minimal" / "funds.csv"
    text = file.read_text("utf-8").replace(",,Fixture.,", ",财农〔2019〕12号,Fixture.,")
    file.write_bytes(text.encode("gbk"))
    data_dir.edit_descriptor("minimal", lambda d: resource_of(d, "funds").update(encoding="gbk"))

    def edit(d: DataDir) -> None:
        lines = file.read_bytes().split(b"\n")
        lines[EDITED - 1] = lines[EDITED - 1].replace("12号".encode("gbk"), "89号".encode("gbk"))
        file.write_bytes(b"\n".join(lines))

    assert not check_edit(data_dir, tmp_path / "cache", full, edit).errors
    assert full == []


def test_edits_one_after_another(data_dir: DataDir, tmp_path: Path, full: list[str]) -> None:
    grow(data_dir)
    for n, amount in enumerate(["11", "12", "13"]):
        check_edit(data_dir, tmp_path / "cache", full, set_fund(EDITED + n, "amount", amount))
        assert full == []


def test_a_pruned_cache_keeps_what_the_next_edit_needs(
    data_dir: DataDir, tmp_path: Path, full: list[str]
) -> None:
    # a good build prunes the memo entries it did not use; the kept runs are no entries
    grow(data_dir)
    validate_data(data_dir.root, tmp_path / "cache")
    used = Cache(tmp_path / "cache")
    validate_data(data_dir.root, used)
    used.prune()  # the kept runs were not used as memo entries: only their kind spares them
    check_edit(data_dir, tmp_path / "cache", full, set_fund(EDITED, "amount", "9"))
    assert full == []


# values a clerk might type into a cell of funds.csv: some fit the column, some do not
VALUES = ["", "0", "-1", "1e3", "1,000", "2500", "gf005", "g010", "p9", "o3", "provincial"]
VALUES += ["2019-13-01", "2019-05-01", "x" * 600, '"', "a\nb", "true", "Doc, 7"]


def test_random_cell_edits(data_dir: DataDir, tmp_path: Path, full: list[str]) -> None:
    rng = random.Random(11)
    grow(data_dir)
    file = data_dir.root / "minimal" / "funds.csv"
    columns = ["id", "project", "source_type", "funder", "amount", "date", "document"]
    whole = []
    for _ in range(16):
        line, column, value = rng.randint(105, GROWN + 8), rng.choice(columns), rng.choice(VALUES)
        before = file.read_bytes()
        edited = check_edit(data_dir, tmp_path / "cache", full, set_fund(line, column, value))
        whole.append("funds" in full)
        if edited.errors:  # back to the last clean file, so that the next edit is alone
            file.write_bytes(before)
    assert any(whole) and not all(whole)  # some edits were clean, some were not


# A table of its own, with an integer primary key: frictionless compares typed values

ITEMS = {
    "name": "typed",
    "resources": [
        {
            "name": "items",
            "path": "items.csv",
            "encoding": "utf-8",
            "schema": {
                "fields": [
                    {"name": "id", "type": "integer"},
                    {"name": "code", "type": "string", "constraints": {"unique": True}},
                ],
                "primaryKey": ["id"],
            },
        }
    ],
}


def run_items(folder: Path, cache: Cache) -> list[tuple[str | None, Any]] | None:
    """The errors of the items table, one resource at a time."""
    raw = (folder / "items.csv").read_bytes()
    return run_resources(ITEMS, folder, {"items": make_key("file", raw)}, cache, 1000)


@pytest.mark.parametrize(
    ("new", "whole"),
    [
        ("140,c140-renamed", False),
        ("0140,c140", False),  # the same integer as the row it replaces
        ("140,", False),  # a missing value repeats no other
        ("02,c140", True),  # the integer of row 2
        ("140,c7", True),
        ("x140,c140", True),
    ],
)
def test_typed_keys_are_compared_as_frictionless_compares_them(
    new: str, whole: bool, tmp_path: Path, full: list[str]
) -> None:
    folder = tmp_path / "typed"
    folder.mkdir()
    lines = ["id,code", *(f"{n},c{n}" for n in range(2, GROWN))]  # line n holds item n
    (folder / "items.csv").write_text("\n".join(lines) + "\n", "utf-8")
    cache = Cache(tmp_path / "cache")
    assert run_items(folder, cache) == []
    lines[EDITED - 1] = new
    (folder / "items.csv").write_text("\n".join(lines) + "\n", "utf-8")
    full.clear()
    edited = run_items(folder, cache)
    assert (full == ["items"]) == whole
    assert edited == run_items(folder, Cache(None))


def items_with(**changes: Any) -> dict[str, Any]:
    """The items descriptor with its resource changed."""
    return {**ITEMS, "resources": [{**ITEMS["resources"][0], **changes}]}


def test_what_a_rerun_by_the_edit_may_be_given() -> None:
    schema = ITEMS["resources"][0]["schema"]
    itself = {"fields": ["code"], "reference": {"resource": "", "fields": ["code"]}}
    assert editable(ITEMS, "items")
    assert not editable(items_with(bytes=1000), "items")  # declared over the whole file
    assert not editable(items_with(hash="sha256:00"), "items")
    assert not editable(items_with(encoding=None), "items")  # detected from the first bytes
    assert not editable(items_with(path="items.tsv"), "items")
    assert not editable(items_with(path="../items.csv"), "items")
    assert not editable(items_with(schema={**schema, "foreignKeys": [itself]}), "items")
    assert not editable(items_with(schema={**schema, "uniqueKeys": [["code"]]}), "items")


def test_a_key_set_found_again_has_the_digest_of_its_values() -> None:
    def digest(values: list[tuple[str, ...]]) -> str:
        return hashlib.sha256(json.dumps(sorted(values)).encode("utf-8")).hexdigest()

    ids = frozenset((f"p{n}",) for n in range(50))
    renamed = frozenset(ids - {("p7",)} | {("p7b",)})
    for values in (ids, renamed, frozenset(ids), renamed, frozenset({(1,)})):
        found = resource_runs.text_digests({("id",): values})
        expected = {("id",): digest(list(values))} if values != {(1,)} else {}
        assert found == expected

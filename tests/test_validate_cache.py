"""Validation with a cache: the same problems and model with no cache, an empty one or a warm one.

Work that depends on one file only (parsing, frictionless, the file-local rules)
is cached by the file's bytes; frictionless runs one resource at a time, with
the tables a resource references given as their key values. Each of these must
find exactly what validating the package in one frictionless call finds.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from datadir import FIXTURES, DataDir, find, resource_of

import generator.validate as validate_module
from generator.cache import Cache
from generator.load import CSV_FIELD_SIZE_LIMIT, load_packages
from generator.validate import Validation, resource_runs, tables, validate_data

OVERLAYS = sorted(
    f"{kind}/{case.name}"
    for kind in ("bad", "hostile")
    for case in (FIXTURES / kind).iterdir()
    if case.is_dir() and case.name != "invalid-json"  # no package at all: nothing to cache
)
CASES = [None, "valid/bom", *OVERLAYS]


def _gbk_declared(descriptor: dict[str, Any]) -> None:
    resource_of(descriptor, "organizations")["encoding"] = "gbk"


def make_case(data_dir: DataDir, overlay: str | None) -> None:
    """The minimal package with ``overlay`` laid over it (GBK declared for hostile/gbk)."""
    data_dir.add_package(overlay=overlay)
    if overlay == "hostile/gbk":
        data_dir.edit_descriptor("minimal", _gbk_declared)


def same_outcome(first: Validation, second: Validation) -> bool:
    """Tell whether two validations found the same problems, packages and model."""
    return (
        first.problems == second.problems
        and first.model == second.model
        and [(p.name, p.tables) for p in first.packages]
        == [(p.name, p.tables) for p in second.packages]
    )


@pytest.mark.parametrize("overlay", CASES)
def test_no_empty_or_warm_cache_give_the_same_outcome(
    overlay: str | None, data_dir: DataDir, tmp_path: Path
) -> None:
    make_case(data_dir, overlay)
    uncached = validate_data(data_dir.root)
    cold = validate_data(data_dir.root, tmp_path / "cache")
    warm = validate_data(data_dir.root, tmp_path / "cache")
    assert same_outcome(uncached, cold)
    assert same_outcome(uncached, warm)


@pytest.mark.parametrize("overlay", CASES)
def test_one_resource_at_a_time_finds_what_one_call_finds(
    overlay: str | None, data_dir: DataDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_case(data_dir, overlay)
    by_resource = validate_data(data_dir.root)
    monkeypatch.setattr(tables, "run_resources", lambda *args, **kwargs: None)
    in_one_call = validate_data(data_dir.root)
    assert same_outcome(by_resource, in_one_call)


def test_the_error_limit_falls_where_one_call_puts_it(
    data_dir: DataDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    # rows with a pattern error and a foreign key to nothing: the limit falls mid-file
    monkeypatch.setattr(tables, "LIMIT_ERRORS", 5)
    make_case(data_dir, "bad/broken-references")
    for row in ("f1,p1", "f4,p1"):
        data_dir.replace("minimal/funds.csv", row, row.replace(",p1", ",P1"))
    by_resource = validate_data(data_dir.root)
    assert find(by_resource.problems, "error-limit", path="minimal/funds.csv")
    monkeypatch.setattr(tables, "run_resources", lambda *args, **kwargs: None)
    assert same_outcome(by_resource, validate_data(data_dir.root))


def test_broken_references_are_each_reported(data_dir: DataDir) -> None:
    make_case(data_dir, "bad/broken-references")
    problems = validate_data(data_dir.root).problems
    found = {(p.path, p.row, p.field) for p in find(problems, "foreign-key")}
    assert found == {
        ("minimal/funds.csv", 3, "funder"),
        ("minimal/funds.csv", 6, "project"),
        ("minimal/funds.csv", 7, "project"),
        ("minimal/benefits.csv", 5, "project"),
        ("minimal/organizations.csv", 3, "region"),
        ("minimal/projects.csv", 4, "implementer"),
        ("minimal/regions.csv", 5, "parent"),
    }
    # "sNaN" is read as missing wherever it is written (see tables._read_as_missing)
    assert not find(problems, "foreign-key", row=8)
    assert find(problems, "unique-error", path="minimal/funds.csv", row=8)


def test_two_packages_with_the_same_ids(data_dir: DataDir, tmp_path: Path) -> None:
    data_dir.add_package()
    data_dir.add_package("second")
    uncached = validate_data(data_dir.root)
    assert find(uncached.problems, "duplicate-id", path="second/projects.csv")
    validate_data(data_dir.root, tmp_path / "cache")
    assert same_outcome(uncached, validate_data(data_dir.root, tmp_path / "cache"))


def test_a_rebuild_runs_no_frictionless(
    data_dir: DataDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_case(data_dir, "bad/broken-references")
    cold = validate_data(data_dir.root, tmp_path / "cache")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("frictionless ran on an unchanged file")

    monkeypatch.setattr(resource_runs, "validate_resource", refuse)
    monkeypatch.setattr(tables, "check_descriptor", refuse)
    assert same_outcome(cold, validate_data(data_dir.root, tmp_path / "cache"))


def test_a_rebuild_runs_no_domain_rule(
    data_dir: DataDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_case(data_dir, None)
    cold = validate_data(data_dir.root, tmp_path / "cache")
    assert cold.model is not None and find(cold.problems, "reported-total-mismatch")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the domain rules ran on unchanged data")

    monkeypatch.setattr(validate_module, "validate_rules", refuse)
    assert same_outcome(cold, validate_data(data_dir.root, tmp_path / "cache"))


@pytest.fixture
def field_size_limit() -> Iterator[None]:
    """Restore the csv module's process-wide field size limit after the test."""
    limit = csv.field_size_limit()
    yield
    csv.field_size_limit(limit)


@pytest.mark.usefixtures("field_size_limit")
def test_a_long_cell_reads_the_same_whatever_limit_the_process_had(
    data_dir: DataDir, tmp_path: Path
) -> None:
    # frictionless raises the csv module's process-wide limit once it is imported; the
    # loader sets the same limit itself, so no earlier run changes how a file reads
    data_dir.add_package()
    data_dir.replace("minimal/programs.csv", "Whole-village advancement", "x" * 140_000)
    outcomes = []
    for limit in (131_072, 2_147_483_646):
        csv.field_size_limit(limit)
        cached = validate_data(data_dir.root, tmp_path / "cache")
        assert same_outcome(cached, validate_data(data_dir.root))
        outcomes.append({p.code for p in cached.problems if p.path == "minimal/programs.csv"})
    assert outcomes == [{"constraint-error"}, {"constraint-error"}]


def test_the_loaders_limit_is_frictionless_own() -> None:
    from frictionless.formats.csv import settings

    assert settings.FIELD_SIZE_LIMIT == CSV_FIELD_SIZE_LIMIT


def edit_title(file: Path, row: int, suffix: str) -> None:
    """Append ``suffix`` to the title of the record on line ``row``; other bytes stay."""
    lines = file.read_bytes().decode("utf-8").split("\n")
    cells = next(csv.reader([lines[row - 1]]))
    cells[1] += suffix
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    lines[row - 1] = out.getvalue()
    file.write_bytes("\n".join(lines).encode("utf-8"))


@pytest.mark.parametrize("suffix", [" (renamed)", " 13812345678", "\u202e"])
def test_an_edited_row_gives_what_a_cold_run_gives(
    suffix: str, data_dir: DataDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_case(data_dir, "bad/broken-references")
    validate_data(data_dir.root, tmp_path / "cache")
    edit_title(data_dir.root / "minimal" / "projects.csv", 3, suffix)
    runs: list[str] = []
    validate = resource_runs.validate_resource
    monkeypatch.setattr(
        resource_runs,
        "validate_resource",
        lambda descriptor, name, *args: runs.append(name) or validate(descriptor, name, *args),
    )
    edited = validate_data(data_dir.root, tmp_path / "cache")
    assert runs == ["projects"]  # project ids unchanged: funds and benefits are not read again
    assert same_outcome(edited, validate_data(data_dir.root))


def test_a_changed_key_checks_the_tables_that_reference_it_again(
    data_dir: DataDir, tmp_path: Path
) -> None:
    make_case(data_dir, None)
    validate_data(data_dir.root, tmp_path / "cache")
    data_dir.replace("minimal/projects.csv", "p2,Yongsheng", "p4,Yongsheng")
    edited = validate_data(data_dir.root, tmp_path / "cache")
    assert find(edited.problems, "foreign-key", path="minimal/funds.csv", row=6)
    assert same_outcome(edited, validate_data(data_dir.root))


def test_a_referenced_file_frictionless_cannot_read_falls_back_to_one_call(
    data_dir: DataDir, tmp_path: Path
) -> None:
    # frictionless cannot read programs.xlsx (it is CSV): in one call the projects
    # that reference it get the same error, so the package runs in one call. Loading
    # never lets a path not naming a .csv file through (not-a-csv-file), so the
    # descriptor is changed after loading
    folder = data_dir.add_package()
    [package], _ = load_packages(data_dir.root)
    (folder / "programs.csv").rename(folder / "programs.xlsx")
    resource_of(package.descriptor, "programs")["path"] = "programs.xlsx"
    readable = list(package.tables.values())
    problems = tables.check_with_frictionless(package, readable, Cache(tmp_path / "cache"))
    assert {p.path for p in find(problems, "format-error")} == {
        "minimal/programs.xlsx",
        "minimal/projects.csv",
    }
    assert problems == tables.check_with_frictionless(package, readable)


def test_a_long_cell_reads_the_same_in_a_processs_first_build_and_the_next(
    data_dir: DataDir, tmp_path: Path
) -> None:
    data_dir.add_package()
    data_dir.replace("minimal/programs.csv", "Whole-village advancement", "x" * 140_000)
    script = (
        "import sys; from pathlib import Path; from generator.validate import validate_data\n"
        "for _ in range(2):\n"
        "    found = validate_data(Path(sys.argv[1])).problems\n"
        "    print(sorted({p.code for p in found if p.path == 'minimal/programs.csv'}))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script, str(data_dir.root)], capture_output=True, text=True
    )
    first, second = run.stdout.splitlines()
    assert first == second == "['constraint-error']", run.stderr

"""Slices: exactly the rows behind each page, as lines of the canonical CSV."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from downloads_support import RELEASE, Files, build, csv_rows, minimal_data, replace_in

from generator.cache import Cache
from generator.downloads import lines_by_resource, slices
from generator.downloads.resources import Resource, published_resources
from generator.downloads.slices import Lines, build_slices
from generator.load import load_packages
from generator.model import build_model
from generator.synth import write_synthetic_package

SLICES = "data/slices/"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    return build(minimal_data(tmp_path_factory.mktemp("slices")))


def _ids(content: bytes) -> list[str]:
    return [row[0] for row in csv_rows(content)[1:]]


def _records(content: bytes) -> list[str]:
    """The text of each record, line ending included (no quoted line breaks in these files)."""
    return io.StringIO(content.decode("utf-8"), newline="").readlines()


def test_slice_lines_are_lines_of_the_canonical_csv(files: Files) -> None:
    slices = [p for p in files if p.startswith(SLICES)]
    assert slices
    for path in slices:
        resource = path.rsplit("/", 1)[1]
        canonical = _records(files[f"{RELEASE}/{resource}"])
        lines = _records(files[path])
        assert lines[0] == canonical[0], path
        assert set(lines[1:]) <= set(canonical[1:]), path
        order = [canonical.index(line) for line in lines[1:]]
        assert order == sorted(order), f"{path} is not in file order"


@pytest.mark.parametrize(
    ("path", "ids"),
    [
        ("projects/p1/funds.csv", ["f1", "f2", "f3", "f4"]),
        ("projects/p1/benefits.csv", ["b1", "b2", "b3"]),
        ("regions/530722/projects.csv", ["p1", "p2", "p3"]),
        ("regions/530722208/projects.csv", ["p1", "p3"]),
        ("regions/530722208-v01/projects.csv", ["p1"]),
        ("programs/whole-village/projects.csv", ["p1", "p3"]),
        ("years/2019/projects.csv", ["p1", "p2", "p3"]),
        ("regions/530722208/benefits.csv", ["b1", "b2", "b3", "b5"]),
        ("programs/training/funds.csv", ["f5", "f6"]),
        ("programs/training/benefits.csv", ["b4"]),
        ("years/2019/benefits.csv", ["b1", "b2", "b3", "b4", "b5"]),
        ("projects/p2/benefits.csv", ["b4"]),
    ],
)
def test_slices_hold_the_rows_behind_the_page(files: Files, path: str, ids: list[str]) -> None:
    assert _ids(files[SLICES + path]) == ids


def test_region_funds_are_the_funds_of_its_projects(files: Files) -> None:
    funds = csv_rows(files[f"{RELEASE}/funds.csv"])
    below = {"p1", "p3"}
    expected = [row[0] for row in funds[1:] if row[1] in below]
    assert _ids(files[SLICES + "regions/530722208/funds.csv"]) == expected


def test_source_slices_follow_the_funding_source(files: Files) -> None:
    funds = csv_rows(files[f"{RELEASE}/funds.csv"])
    for source in {row[2] for row in funds[1:]}:
        expected = [row[0] for row in funds[1:] if row[2] == source]
        assert _ids(files[f"{SLICES}sources/{source}/funds.csv"]) == expected


@pytest.mark.parametrize(
    ("kind", "resources", "keys_file", "key_column"),
    [
        ("projects", ("funds", "benefits"), "projects", 0),
        ("regions", ("projects", "funds", "benefits"), "regions", 0),
        ("programs", ("projects", "funds", "benefits"), "programs", 0),
        ("years", ("projects", "funds", "benefits"), "projects", 7),
    ],
)
def test_every_page_has_its_slices_even_without_rows(
    files: Files, kind: str, resources: tuple[str, ...], keys_file: str, key_column: int
) -> None:
    keys = {row[key_column] for row in csv_rows(files[f"{RELEASE}/{keys_file}.csv"])[1:]}
    for key in keys:
        for resource in resources:
            assert f"{SLICES}{kind}/{key}/{resource}.csv" in files


def test_a_year_without_funds_still_has_a_funds_slice(tmp_path: Path) -> None:
    data = minimal_data(tmp_path)
    projects = data / "minimal" / "projects.csv"
    text = projects.read_text("utf-8")
    projects.write_text(text.replace(",planned,2019,", ",planned,2018,"), "utf-8")
    funds = data / "minimal" / "funds.csv"
    funds.write_text(
        "".join(line for line in funds.open(encoding="utf-8") if ",p3," not in line), "utf-8"
    )
    files = build(data)
    assert _ids(files[SLICES + "years/2018/projects.csv"]) == ["p3"]
    assert _ids(files[SLICES + "years/2018/funds.csv"]) == []


def test_crlf_files_keep_their_line_endings(tmp_path: Path) -> None:
    data = minimal_data(tmp_path)
    funds = data / "minimal" / "funds.csv"
    funds.write_bytes(funds.read_bytes().replace(b"\n", b"\r\n"))
    files = build(data)
    assert files[SLICES + "projects/p1/funds.csv"].count(b"\r\n") == 5


def test_a_synthetic_province_has_a_funds_slice_for_every_funded_project(
    tmp_path: Path,
) -> None:
    # Speed is the benchmark's (benchmarks/run.py); here, that the one pass misses no project.
    write_synthetic_package(tmp_path / "data" / "synth", 300, 1)
    packages, _ = load_packages(tmp_path / "data")
    model = build_model(packages)
    lines = lines_by_resource(published_resources(packages[0]))
    found = {f.path for f in build_slices(model, lines)}
    funded = {f.project for f in model.funds}
    assert {
        p for p in found if p.startswith(SLICES + "projects/") and p.endswith("/funds.csv")
    } == {f"{SLICES}projects/{pid}/funds.csv" for pid in funded}


def test_a_process_joins_again_only_the_slices_whose_lines_changed(tmp_path: Path) -> None:
    data, cache = minimal_data(tmp_path), Cache(tmp_path / "cache")

    def slices(cache: Cache | None) -> dict[str, bytes]:
        packages, _ = load_packages(data)
        lines = lines_by_resource(published_resources(packages[0]), cache)
        return {f.path: f.content for f in build_slices(build_model(packages), lines, cache)}

    first = slices(cache)
    again = slices(cache)
    assert again == first and all(again[path] is first[path] for path in first)
    projects = data / "minimal" / "projects.csv"
    projects.write_text(projects.read_text("utf-8").replace("Training", "Trained", 1), "utf-8")
    edited = slices(cache)
    assert edited == slices(None)
    city = SLICES + "regions/530700/projects.csv"
    assert edited[city] != first[city]
    assert all(edited[p] is first[p] for p in first if p.endswith(("/funds.csv", "benefits.csv")))


def _slices_of(data: Path, cache: Cache | None) -> dict[str, bytes]:
    packages, _ = load_packages(data)
    lines = lines_by_resource(published_resources(packages[0]), cache)
    return {f.path: f.content for f in build_slices(build_model(packages), lines, cache)}


def _fresh_slices(data: Path) -> dict[str, bytes]:
    """The slices as a new process makes them: nothing kept from an earlier build."""
    slices._last_slices.clear()
    slices._last_lines.clear()
    return _slices_of(data, None)


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("funds.csv", "No. 12", "No. 13"),  # a line in many slices
        ("projects.csv", "Training courses", "Trained courses"),
        ("benefits.csv", "id,project,", '"id",project,'),  # the header line: every slice
        ("funds.csv", "f7,", "f7b,"),  # the last line
    ],
)
def test_a_rebuild_after_an_edit_gives_a_fresh_builds_slices(
    tmp_path: Path, file: str, old: str, new: str
) -> None:
    data, cache = minimal_data(tmp_path), Cache(tmp_path / "cache")
    first = _slices_of(data, cache)
    replace_in(data / "minimal" / file, old, new)
    edited = _slices_of(data, cache)
    assert list(edited.items()) == list(_fresh_slices(data).items())
    assert edited != first
    unchanged = [p for p in first if not p.endswith("/" + file)]
    assert all(edited[p] is first[p] for p in unchanged)


def test_many_edited_lines_join_the_resources_slices_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(slices, "_FEW", 0)
    data, cache = minimal_data(tmp_path), Cache(tmp_path / "cache")
    _slices_of(data, cache)
    replace_in(data / "minimal" / "funds.csv", "Fixture.,true", "Fixture 2.,true")
    edited = _slices_of(data, cache)
    assert list(edited.items()) == list(_fresh_slices(data).items())


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("projects.csv", "whole-village,530722208,", "whole-village,530722,"),  # a project moved
        ("regions.csv", "township,530722,", "township,530700,"),  # a township moved
        ("programs.csv", "training,", "skills,"),  # a program renamed: its projects have none
    ],
)
def test_a_rebuild_plans_again_when_a_row_moves_between_pages(
    tmp_path: Path, file: str, old: str, new: str
) -> None:
    data, cache = minimal_data(tmp_path), Cache(tmp_path / "cache")
    _slices_of(data, cache)
    replace_in(data / "minimal" / file, old, new)
    edited = _slices_of(data, cache)
    assert list(edited.items()) == list(_fresh_slices(data).items())


def _funds(data: Path) -> Resource:
    packages, _ = load_packages(data)
    return next(r for r in published_resources(packages[0]) if r.name == "funds")


def _edit(data: Path, edit: Callable[[str], str]) -> None:
    funds = data / "minimal" / "funds.csv"
    funds.write_bytes(edit(funds.read_bytes().decode("utf-8")).encode("utf-8"))


F2 = "f2,p1,provincial,o3,allocation,200000,2019-02-20,Yongsheng Finance [2019] No. 12"
QUOTED = 'f2,p1,provincial,o3,allocation,200000,2019-02-20,"Yongsheng\nFinance, No. 12"'


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (None, lambda t: t.replace("No. 12", "No. 13", 1)),  # the first row
        (None, lambda t: t.replace("f7,p3", "f7,p4")),  # the last row
        (None, lambda t: t.replace("f1,", "f1a,").replace("f7,", "f77,")),  # two, apart
        (None, lambda t: t.replace("f1,", "g1,").replace("f7,", "g7,")),  # two, in step between
        (None, lambda t: t.replace("f2,p1,provincial,o3,allocation,200000,2019-02-20,", "x")),
        (None, lambda t: t.replace(F2, QUOTED)),  # a cell across two lines
        (lambda t: t.replace(F2, QUOTED), lambda t: t.replace("\nFinance", " Finance")),
    ],
)
def test_edited_lines_are_the_lines_read_whole(
    tmp_path: Path, before: Callable[[str], str] | None, after: Callable[[str], str]
) -> None:
    found, new = _lines_after_an_edit(tmp_path, before, after)
    assert found is not None
    assert found == slices.resource_lines([new])


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (None, lambda t: t + "f8,p3,integrated,,allocation,1,2019-10-15,,Fixture.,true\n"),
        (None, lambda t: t.replace("id,project", "id,project ")),  # the header
        (None, lambda t: t.rstrip("\n")),  # the last line unended
        (lambda t: "\ufeff" + t, lambda t: t.replace("No. 12", "No. 13")),
        (lambda t: t.replace("\nf2,", "\n\nf2,"), lambda t: t.replace("No. 12", "No. 13")),
        (lambda t: t.rstrip("\n"), lambda t: t.replace("No. 12", "No. 13")),
    ],
)
def test_lines_are_read_whole_unless_every_record_is_a_row_in_its_place(
    tmp_path: Path, before: Callable[[str], str] | None, after: Callable[[str], str]
) -> None:
    assert _lines_after_an_edit(tmp_path, before, after)[0] is None


def _lines_after_an_edit(
    tmp_path: Path, before: Callable[[str], str] | None, after: Callable[[str], str]
) -> tuple[Lines | None, Resource]:
    """``edited_lines`` of the funds after ``after`` (and first ``before``), and the funds."""
    data = minimal_data(tmp_path)
    if before is not None:
        _edit(data, before)
    old = _funds(data)
    was = slices.resource_lines([old])
    _edit(data, after)
    new = _funds(data)
    return slices.edited_lines(new, was, old.table.raw, old.table.row_numbers), new


def _plan_key(data: Path) -> str:
    packages, _ = load_packages(data)
    lines = lines_by_resource(published_resources(packages[0]), Cache(None))
    return slices.plan_key(build_model(packages), lines)


@pytest.mark.parametrize(
    ("file", "old", "new", "same"),
    [
        ("projects.csv", "Training courses", "Trained courses", True),  # decides no slice
        ("projects.csv", "whole-village,530722208,", "whole-village,530722,", False),
        ("projects.csv", ",in-progress,2019,", ",in-progress,2020,", False),  # another year
        ("funds.csv", "f6,p2,county", "f6,p3,county", False),  # a fund of another project
        ("funds.csv", "f6,p2,county", "f6,p2,central", False),  # another source
        ("benefits.csv", "Fixture.", "Fixture 2.", True),
    ],
)
def test_the_plan_key_after_an_edit_is_the_key_made_afresh(
    tmp_path: Path, file: str, old: str, new: str, same: bool
) -> None:
    data = minimal_data(tmp_path)
    before = _plan_key(data)
    replace_in(data / "minimal" / file, old, new)
    again = _plan_key(data)
    slices._last_rows.clear()
    slices._last_parts.clear()
    assert again == _plan_key(data)
    assert (again == before) is same


def test_edits_one_after_another_give_a_fresh_builds_slices(tmp_path: Path) -> None:
    data, cache = minimal_data(tmp_path), Cache(tmp_path / "cache")
    _slices_of(data, cache)
    edits = [
        ("funds.csv", "No. 12", "No. 13"),
        ("projects.csv", "Training courses", "Trained courses"),
        ("funds.csv", "f7,", "f7b,"),
        ("benefits.csv", "Fixture.", "Fixture 2."),
    ]
    for file, old, new in edits:  # the plan is the same: each build takes the last one's
        replace_in(data / "minimal" / file, old, new)
        edited = _slices_of(data, cache)
        kept = list(slices._last_slices), dict(slices._last_lines)
        assert list(edited.items()) == list(_fresh_slices(data).items())
        slices._last_slices[:], slices._last_lines = kept  # as if not built afresh

"""Memoised pages (``Memo``) equal freshly built ones, after an edit to any kind of row."""

from __future__ import annotations

import csv
import dataclasses
import operator
import shutil
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest

from generator import pages as pages_module
from generator import paths
from generator.cache import Cache
from generator.model import Model, Project
from generator.pages import PAGE_BUILDERS, READS_WHOLE, Memo, build_pages, inputs, listing
from generator.pages import projects as projects_pages
from generator.pages.inputs import Fingerprints, _without_text, fingerprints_of
from generator.reuse import Kept
from generator.site import SiteFile
from generator.validate import validate_data

DEMO = Path(__file__).parent.parent / "data"
PACKAGE = "lijiang-2019"

# Which row of each resource to edit: one the chosen project reads, so the edit
# changes its page (a page memo missing that row would serve a stale page).
Pick = Callable[[Model, Project], str]
EDITS: dict[str, tuple[str, str, Pick]] = {
    "projects": ("id", "title", lambda m, p: p.id),
    "regions": ("code", "name", lambda m, p: p.region),
    "organizations": ("id", "name", lambda m, p: p.implementer),
    "programs": ("id", "name", lambda m, p: p.program),
    "funds": ("id", "document", lambda m, p: m.funds_of(p.id)[0].id),
    "benefits": ("id", "label", lambda m, p: m.benefits_of(p.id)[0].id),
    "announcements": ("id", "title", lambda m, p: m.announcements_of(p.id)[0].id),
}


def load_model(data: Path) -> Model:
    validation = validate_data(data)
    assert validation.model is not None, validation.errors
    return validation.model


def pages(data: Path, cache: Cache | None) -> list[SiteFile]:
    return list(build_pages(load_model(data), cache))


def noticed_project(model: Model) -> Project:
    """The first project a public notice names (so every kind of row can be edited)."""
    return next(p for p in model.projects.values() if model.announcements_of(p.id))


def edit_row(file: Path, key: str, value: str, column: str) -> None:
    with file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    (row,) = [r for r in rows[1:] if r[header.index(key)] == value]
    row[header.index(column)] += " edited"
    with file.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


@pytest.fixture
def data(tmp_path: Path) -> Path:
    shutil.copytree(DEMO, tmp_path / "data")
    return tmp_path / "data"


def test_pages_from_a_warm_cache_equal_pages_built_without_one(data: Path, tmp_path: Path) -> None:
    fresh = pages(data, None)
    assert pages(data, Cache(tmp_path / "cache")) == fresh
    warm = Cache(tmp_path / "cache")
    assert pages(data, warm) == fresh
    assert warm.misses == 0 and warm.hits > 0


@pytest.mark.parametrize("resource", sorted(EDITS))
def test_an_edited_row_rebuilds_the_pages_that_read_it(
    data: Path, tmp_path: Path, resource: str
) -> None:
    pages(data, Cache(tmp_path / "cache"))
    before = {f.path: f.content for f in pages(data, None)}
    key, column, pick = EDITS[resource]
    model = load_model(data)
    edit_row(data / PACKAGE / f"{resource}.csv", key, pick(model, noticed_project(model)), column)
    warm = Cache(tmp_path / "cache")
    after = pages(data, warm)
    assert after == pages(data, None)
    assert warm.hits > 0  # the memo served unchanged pages
    changed = [f.path for f in after if before.get(f.path) != f.content]
    assert paths.project_page(noticed_project(model).id) in changed


def _entries(cache: Path, namespace: str) -> set[str]:
    return {p.name for p in (cache / namespace).rglob("*.pickle")}


def test_a_corrected_title_leaves_the_pages_of_figures_alone(data: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    pages(data, Cache(cache))
    figures = ("pages-home", "pages-regions-index", "pages-sources-index", "pages-years-index")
    before = {n: _entries(cache, n) for n in (*figures, "pages-projects-index")}
    model = load_model(data)
    edit_row(data / PACKAGE / "projects.csv", "id", noticed_project(model).id, "title")
    assert pages(data, Cache(cache)) == pages(data, None)
    assert all(_entries(cache, n) == before[n] for n in figures)  # found, not made again
    assert _entries(cache, "pages-projects-index") > before["pages-projects-index"]


def test_projects_without_their_text_differ_by_every_other_field() -> None:
    project = next(iter(load_model(DEMO).projects.values()))
    unit = dataclasses.replace(project, subsidy_unit=None)
    named = dataclasses.replace(project, subsidy_unit="None")
    assert _without_text(unit) != _without_text(named)
    assert _without_text(dataclasses.replace(project, title="Other")) == _without_text(project)


def _hidden_project(model: Model) -> Project:
    """A project that neither its program's, year's nor sources' lists show (limit 1)."""
    for project in model.projects.values():
        lists = [
            model.projects_of_program(project.program),
            [p for p in model.projects.values() if p.year == project.year],
        ]
        sources = {f.source_type for f in model.funds_of(project.id)}
        funded = [[f for f in model.funds if f.source_type == s] for s in sources]
        if all(project not in listing.shown_projects(model, ps) for ps in lists) and all(
            project.id not in listing.shown_funded(fs) for fs in funded
        ):
            return project
    raise AssertionError("no project is left out of every list")


def test_a_corrected_title_leaves_the_lists_that_do_not_show_it_alone(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "PROJECT_LIST_LIMIT", 1)
    cache = tmp_path / "cache"
    pages(data, Cache(cache))
    kinds = ("pages-program", "pages-year", "pages-source", "pages-region")
    before = {n: _entries(cache, n) for n in kinds}
    model = load_model(data)
    hidden = _hidden_project(model)
    showing = [
        code
        for code in model.region_path(hidden.region)
        if hidden in listing.shown_projects(model, model.projects_in(code))
    ]
    edit_row(data / PACKAGE / "projects.csv", "id", hidden.id, "title")
    assert pages(data, Cache(cache)) == pages(data, None)
    made = {n: _entries(cache, n) - before[n] for n in kinds}
    assert [len(made[n]) for n in kinds] == [0, 0, 0, len(showing)]


def test_a_corrected_title_of_a_listed_project_rebuilds_its_lists(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "PROJECT_LIST_LIMIT", 1)
    pages(data, Cache(tmp_path / "cache"))
    model = load_model(data)
    (largest,) = listing.shown_projects(model, list(model.projects.values()))
    edit_row(data / PACKAGE / "projects.csv", "id", largest.id, "title")
    fresh = pages(data, None)
    assert pages(data, Cache(tmp_path / "cache")) == fresh
    top = paths.region_page(model.region_path(largest.region)[0])
    assert "edited" in next(f for f in fresh if f.path == top).content.decode("utf-8")


def test_a_corrected_title_rebuilds_one_piece_of_the_projects_index(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(projects_pages, "INDEX_PIECE", 2)
    cache = tmp_path / "cache"
    pages(data, Cache(cache))
    before = _entries(cache, "fragments-projects-index")
    model = load_model(data)
    assert len(before) == -(-len(model.projects) // 2)
    edit_row(data / PACKAGE / "projects.csv", "id", noticed_project(model).id, "title")
    assert pages(data, Cache(cache)) == pages(data, None)
    assert len(_entries(cache, "fragments-projects-index") - before) == 1


def test_digests_found_again_equal_digests_made_afresh(data: Path) -> None:
    model = load_model(data)
    before = {p.id: fingerprints_of(model).project(p) for p in model.projects.values()}
    edited = noticed_project(model)
    edit_row(data / PACKAGE / "funds.csv", "id", model.funds_of(edited.id)[0].id, "document")
    again = load_model(data)
    assert next(iter(again.projects.values())) is next(iter(model.projects.values()))
    found = {p.id: fingerprints_of(again).project(p) for p in again.projects.values()}
    assert {pid for pid in before if found[pid] != before[pid]} == {edited.id}
    inputs._last_digests.clear()
    afresh = Fingerprints(again)
    assert {p.id: afresh.project(p) for p in again.projects.values()} == found
    inputs._last_digests["taken-out"] = inputs._last_digests[edited.id]
    Fingerprints(again)
    assert "taken-out" not in inputs._last_digests  # a project no longer in the data


def every_input(model: Model) -> dict[tuple[str, int], tuple[str, ...]]:
    """The inputs of every memoised page, by kind and place in its kind."""
    pages_module._import_builders()
    found = {}
    for kind, builder in PAGE_BUILDERS.items():
        if kind in READS_WHOLE:  # memoised whole, by one fingerprint
            found[(kind, 0)] = (READS_WHOLE[kind](fingerprints_of(model)),)
        else:
            items = enumerate(builder(model))
            found.update({(kind, n): i.inputs for n, i in items if isinstance(i, Memo)})
    return found


def set_cell(file: Path, key: str, value: str, column: str, new: str) -> None:
    with file.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    (row,) = [r for r in rows[1:] if r[header.index(key)] == value]
    row[header.index(column)] = new
    with file.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def edit_kind_of_row(data: Path, model: Model, resource: str) -> None:
    """Edit a row of ``resource`` that the noticed project reads."""
    key, column, pick = EDITS[resource]
    edit_row(data / PACKAGE / f"{resource}.csv", key, pick(model, noticed_project(model)), column)


def retitle_the_largest(data: Path, model: Model) -> None:
    """Edit the title of the project every list shows (limit 1: the largest)."""
    (largest,) = listing.shown_projects(model, list(model.projects.values()))
    edit_row(data / PACKAGE / "projects.csv", "id", largest.id, "title")


def make_the_smallest_largest(data: Path, model: Model) -> None:
    """Raise an allocation so that another project is the one lists show."""
    allocated = listing.allocated_of(model)
    funds = [f for f in model.funds if f.transaction_type == "allocation"]
    fund = min(funds, key=lambda f: (allocated[f.project], f.id))
    set_cell(data / PACKAGE / "funds.csv", "id", fund.id, "amount", "9999999999")


def move_a_fund(data: Path, model: Model) -> None:
    """Give a fund row of the noticed project to a project of another funding source."""
    fund = model.funds_of(noticed_project(model).id)[0]
    other = next(f for f in model.funds if f.source_type != fund.source_type)
    set_cell(data / PACKAGE / "funds.csv", "id", fund.id, "project", other.project)


def rename_a_place_above(data: Path, model: Model) -> None:
    """Rename the place above the noticed project's: the pages of places below it read it."""
    above = model.region_path(noticed_project(model).region)[-2]
    edit_row(data / PACKAGE / "regions.csv", "code", above, "name")


Edit = Callable[[Path, Model], None]
INPUT_EDITS: dict[str, Edit] = {
    **{r: partial(lambda r, d, m: edit_kind_of_row(d, m, r), r) for r in EDITS},
    "largest-title": retitle_the_largest,
    "largest-allocation": make_the_smallest_largest,
    "fund-moved": move_a_fund,
    "region-above": rename_a_place_above,
}


@pytest.mark.parametrize("edit", sorted(INPUT_EDITS))
def test_inputs_found_again_equal_inputs_made_afresh(
    data: Path, edit: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "PROJECT_LIST_LIMIT", 1)  # lists that leave projects out
    model = load_model(data)
    every_input(model)
    INPUT_EDITS[edit](data, model)
    found = every_input(load_model(data))
    monkeypatch.setattr(inputs, "_kept", Kept())
    monkeypatch.setattr(inputs, "_last_digests", {})
    assert every_input(load_model(data)) == found


def test_a_corrected_title_finds_the_inputs_of_pages_that_do_not_show_it(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "PROJECT_LIST_LIMIT", 1)
    model = load_model(data)
    before = every_input(model)
    edit_row(data / PACKAGE / "projects.csv", "id", noticed_project(model).id, "title")
    found = every_input(load_model(data))
    unchanged = [k for k in found if found[k] == before[k]]
    assert len(unchanged) > len(found) // 2
    again = [k for k in unchanged if any(map(operator.is_not, found[k], before[k]))]
    assert again == []  # none read again: the same strings


def test_a_project_a_moved_fund_now_names_is_read_again_in_the_builds_after(
    data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "PROJECT_LIST_LIMIT", 1)
    model = load_model(data)
    every_input(model)
    fund = model.funds_of(noticed_project(model).id)[0]
    named = next(f for f in model.funds if f.source_type != fund.source_type).project
    move_a_fund(data, model)  # the fund's source now names ``named`` too
    every_input(load_model(data))
    budget = model.projects[named].budget
    set_cell(data / PACKAGE / "projects.csv", "id", named, "budget", str(int(budget or 0) + 1))
    found = every_input(load_model(data))  # the fund rows as the build before read them
    monkeypatch.setattr(inputs, "_kept", Kept())
    monkeypatch.setattr(inputs, "_last_digests", {})
    assert every_input(load_model(data)) == found

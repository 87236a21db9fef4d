"""The model: typed entities from the minimal package, and the lookups pages use."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from generator import model as model_module
from generator.load import Table, load_packages
from generator.model import (
    RESOURCES,
    SCHEMA_DIR,
    SOURCE_TYPES,
    Model,
    _table_row_texts,
    build_model,
    table_entities,
)
from generator.validate import validate_data

MINIMAL = Path(__file__).parent / "fixtures" / "valid" / "minimal"


@pytest.fixture(scope="module")
def model() -> Model:
    built = validate_data(MINIMAL).model
    assert built is not None
    return built


def test_values_are_typed(model: Model) -> None:
    fund = next(f for f in model.funds if f.id == "f4")
    assert fund.amount == Decimal("150000.5") and isinstance(fund.amount, Decimal)
    notice = model.announcements["a1"]
    assert isinstance(notice.date, dt.date) and notice.projects[0] == "p1"
    assert isinstance(notice.projects, tuple)


def test_every_row_keeps_its_file_and_line(model: Model) -> None:
    fund = next(f for f in model.funds if f.id == "f1")
    assert (fund.origin.path, fund.origin.row, fund.package) == ("funds.csv", 2, "minimal")


def test_relations(model: Model) -> None:
    assert [f.id for f in model.funds_of("p1")] == ["f1", "f2", "f3", "f4"]
    assert model.region_path("530722")[-2:] == ("530700", "530722")
    assert model.announcements_of("p1")[0].id == "a1"
    below = {p.id for p in model.projects_in("530700")}
    assert below == set(model.projects)


def test_source_types_follow_the_funds_schema() -> None:
    schema = json.loads((SCHEMA_DIR / "funds.json").read_text("utf-8"))
    field = next(f for f in schema["fields"] if f["name"] == "source_type")
    assert tuple(field["constraints"]["enum"]) == SOURCE_TYPES


def test_entities_are_what_their_class_makes() -> None:
    # table_entities sets each instance's fields at once; it must equal the constructor's
    [package], _ = load_packages(MINIMAL)
    for table in package.tables.values():
        for entity in table_entities(table):
            made = type(entity)(**vars(entity))
            assert entity == made and list(vars(entity)) == list(vars(made))
            assert not hasattr(type(entity), "__post_init__")


def _table_of(*records: tuple[str, ...]) -> Table:
    return Table(
        package="p",
        name="programs",
        path="p/programs.csv",
        file=Path("programs.csv"),
        schema={},
        header=("id", "name"),
        records=records,
        row_numbers=tuple(range(2, 2 + len(records))),
        raw=b"",
    )


def test_row_texts_differ_when_cells_split_differently() -> None:
    # joined with the unit separator, ("a\x1fb", "c") and ("a", "b\x1fc") would read alike
    first = _table_row_texts(_table_of(("a\x1fb", "c")))
    second = _table_row_texts(_table_of(("a", "b\x1fc")))
    assert first[("p/programs.csv", 2)] != second[("p/programs.csv", 2)]
    plain = _table_row_texts(_table_of(("a", "b"), ("a", "b")))
    assert plain[("p/programs.csv", 2)] != plain[("p/programs.csv", 3)]  # the line counts


def test_a_table_digest_names_the_tables_the_rows_were_made_from(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "before" / "minimal")
    shutil.copytree(MINIMAL, tmp_path / "after" / "minimal")
    funds = tmp_path / "after" / "minimal" / "funds.csv"
    funds.write_text(funds.read_text("utf-8").replace("No. 12", "No. 13", 1), "utf-8")
    before, after = (
        validate_data(tmp_path / "before").model,
        validate_data(tmp_path / "after").model,
    )
    assert before is not None and after is not None
    digests = {name: before.digest_of(name) for name in ("regions", "funds", "benefits")}
    assert all(digests.values()) and len(set(digests.values())) == 3
    assert after.digest_of("funds") != digests["funds"]
    assert after.digest_of("regions") == digests["regions"]


def test_rows_put_in_place_of_the_loaded_ones_have_no_table_digest() -> None:
    model = validate_data(MINIMAL).model
    assert model is not None
    assert dataclasses.replace(model, funds=model.funds[1:]).digest_of("funds") is None
    assert dataclasses.replace(model, funds=model.funds[1:]).digest_of("benefits") is not None


def test_a_model_built_again_reuses_the_entities_of_unchanged_tables(tmp_path: Path) -> None:
    shutil.copytree(MINIMAL, tmp_path / "minimal")
    first = validate_data(tmp_path).model
    again = validate_data(tmp_path).model
    assert first is not None and again is not None
    assert again.funds[0] is first.funds[0] and again == first
    funds = tmp_path / "minimal" / "funds.csv"
    funds.write_text(funds.read_text("utf-8").replace("No. 12", "No. 13", 1), "utf-8")
    edited = validate_data(tmp_path).model
    assert edited is not None
    assert edited.funds[0] is not first.funds[0] and edited.funds[0].document.endswith("13")
    assert edited.projects["p1"] is first.projects["p1"]  # projects.csv is unchanged
    assert edited.row_text(edited.funds[0]) != first.row_text(first.funds[0])


def _forget_last_build() -> None:
    """Leave the model as a new process finds it: nothing kept from a last build."""
    for kept in (model_module._last_made, model_module._last_collected, model_module._last_groups):
        kept.clear()
    model_module._last_row_texts.clear()


def _model_of(folder: Path) -> Model:
    packages, problems = load_packages(folder)
    assert problems == []
    return build_model(packages)


def _same_model(again: Model, fresh: Model) -> None:
    assert again == fresh and again.row_texts == fresh.row_texts
    assert [again.digest_of(n) for n in RESOURCES] == [fresh.digest_of(n) for n in RESOURCES]
    for project in fresh.projects:
        assert again.announcements_of(project) == fresh.announcements_of(project)
    for code in fresh.regions:
        assert again.projects_in(code) == fresh.projects_in(code)
        assert again.children_of(code) == fresh.children_of(code)


# (file, old text, new text): one row edited, added, taken out, or holding the separator
ROW_EDITS = [
    ("projects.csv", "Yongsheng labour", "Yongsheng county labour"),
    ("projects.csv", "p2,Yongsheng labour skills training,永胜县劳动力转移培训,training,530722,",
     "p2,Yongsheng labour skills training,永胜县劳动力转移培训,training,530722208,"),
    ("funds.csv", "\nf3,", "\nf2b,p2,county,o1,allocation,1,2019-03-15,,x,false\nf3,"),
    ("funds.csv", "\nf3,p1,central,,disbursement,300000,2019-11-30,,Fixture.,true", ""),
    ("projects.csv", "Yongsheng labour", "Yongsheng\x1flabour"),
]  # fmt: skip


@pytest.mark.parametrize(("file", "old", "new"), ROW_EDITS)
def test_a_model_built_again_after_a_row_edit_is_a_fresh_one(
    file: str, old: str, new: str, tmp_path: Path
) -> None:
    shutil.copytree(MINIMAL, tmp_path / "minimal")
    first = _model_of(tmp_path)
    edited = tmp_path / "minimal" / file
    text = edited.read_text("utf-8")
    assert old in text
    edited.write_text(text.replace(old, new, 1), "utf-8")
    again = _model_of(tmp_path)
    _forget_last_build()
    _same_model(again, _model_of(tmp_path))
    unchanged = "funds" if file == "projects.csv" else "projects"
    assert getattr(again, unchanged) == getattr(first, unchanged)
    if file == "funds.csv":
        assert again.funds[0] is first.funds[0]  # a row the edit left alone
    elif "\x1f" not in new:  # else every row's text is a repr: all made again
        assert again.projects["p1"] is first.projects["p1"]
        assert again.projects["p2"] is not first.projects["p2"]
        assert again.funds is first.funds and again.funds_of("p1") is first.funds_of("p1")

"""The downloads cache changes speed, never bytes; a one-row edit makes only its own parts again."""

from __future__ import annotations

import zlib
from collections import Counter
from pathlib import Path

import pytest
from downloads_support import Files, build, minimal_data, replace_in

from generator.cache import Cache
from generator.config import SiteConfig
from generator.downloads import build_downloads, formats, resources, tables, xlsx
from generator.downloads.resources import published_resources
from generator.load import load_packages
from generator.model import build_model


def _entries(cache: Path) -> Counter[str]:
    """Cache entries by namespace."""
    return Counter(file.relative_to(cache).parts[0] for file in cache.rglob("*.pickle"))


def _differences(first: Files, second: Files) -> list[str]:
    assert first.keys() == second.keys()
    return [path for path in first if first[path] != second[path]]


@pytest.fixture(autouse=True)
def small_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs of two rows and blocks of two lines, so the small package has several of each.

    A block is primed with the last 10 bytes before it, not 32 KiB (the whole file), so
    a block depends on the one before it only through them.
    """
    monkeypatch.setattr(tables, "ROWS_PER_RUN", 2)
    monkeypatch.setattr(tables, "LINES_PER_BLOCK", 2)
    monkeypatch.setattr(tables, "WINDOW", 10)


def test_no_cache_an_empty_cache_and_a_warm_cache_give_the_same_bytes(tmp_path: Path) -> None:
    data = minimal_data(tmp_path)
    plain = build(data)
    cold = build(data, cache_dir=tmp_path / "cache")
    warm = build(data, cache_dir=tmp_path / "cache")
    assert _differences(plain, cold) == []
    assert _differences(plain, warm) == []


def test_a_warm_build_makes_nothing_again(tmp_path: Path) -> None:
    data = minimal_data(tmp_path)
    cache = tmp_path / "cache"
    build(data, cache_dir=cache)
    before = _entries(cache)
    build(data, cache_dir=cache)
    assert _entries(cache) == before


def test_a_one_row_edit_makes_only_its_run_block_and_table_again(tmp_path: Path) -> None:
    data = minimal_data(tmp_path)
    cache = tmp_path / "cache"
    original = build(data, cache_dir=cache)
    before = _entries(cache)
    replace_in(data / "minimal" / "funds.csv", "No. 12", "No. 13")
    edited = build(data, cache_dir=cache)
    assert _differences(edited, build(data)) == []
    made = _entries(cache) - before
    assert made == {
        "downloads-table": 1,  # the funds files, joined again
        "downloads-rows": 1,  # the run of the edited row
        "downloads-deflate": 1,  # the block of lines holding it
        "downloads-lines": 1,  # the lines of funds, for the slices
    }  # and not which rows go in which slice: no row moved
    changed = {path.rsplit("/", 1)[1] for path in _differences(original, edited)}
    assert {"funds.csv", "funds.json", "funds.excel.csv", "minimal-1.0.0.xlsx"} <= changed
    assert not changed & {"projects.csv", "projects.json", "benefits.excel.csv"}


def test_a_damaged_cache_entry_is_made_again(tmp_path: Path) -> None:
    data = minimal_data(tmp_path)
    cache = tmp_path / "cache"
    first = build(data, cache_dir=cache)
    for entry in (cache / "downloads-table").rglob("*.pickle"):
        entry.write_bytes(b"damaged")
    assert _differences(first, build(data, cache_dir=cache)) == []


def test_a_row_moved_to_another_page_is_sliced_again(tmp_path: Path) -> None:
    data = minimal_data(tmp_path)
    cache = tmp_path / "cache"
    build(data, cache_dir=cache)
    before = _entries(cache)
    replace_in(data / "minimal" / "funds.csv", "f5,p2,", "f5,p3,")
    edited = build(data, cache_dir=cache)
    assert _differences(edited, build(data)) == []
    assert (_entries(cache) - before)["downloads-slices"] == 1
    assert b"f5," in edited["data/slices/projects/p3/funds.csv"]
    assert b"f5," not in edited["data/slices/projects/p2/funds.csv"]


def test_files_joined_from_runs_are_the_files_written_whole(tmp_path: Path) -> None:
    data = minimal_data(tmp_path)
    packages, _ = load_packages(data)
    for resource in published_resources(packages[0]):
        made = tables.table_files(resource, Cache(tmp_path / "cache"))
        assert made.json == formats.rows_json(resource)
        assert made.excel_csv == formats.excel_csv(resource)
        assert zlib.decompress(made.csv.data, -15) == resource.table.raw
        sheet = zlib.decompress(made.sheet.data, -15)
        whole = xlsx.sheet(resource.table.header, [])[: -len(xlsx.SHEET_END)]
        assert sheet.startswith(whole) and sheet.endswith(xlsx.SHEET_END.encode())
        assert sheet.count(b"<row ") == len(resource.table.rows) + 1


def _fresh(data: Path) -> Files:
    """The files as a new process builds them: nothing kept from an earlier build."""
    tables._last.clear()
    resources._digests.clear()
    formats._hashed.clear()
    return build(data)


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("funds.csv", "No. 12", "No. 13"),  # a row in the first run and block
        ("funds.csv", "f6,p2,county", "f6,p2,central"),  # a row in a later one
        ("funds.csv", "f7,p3,integrated,,allocation,300000", "f7,p3,integrated,,allocation,3"),
        (
            "benefits.csv",
            "b2,p1,people,people,,",
            'b2,p1,people,people,"""a"", b",',
        ),  # longer: the rest moves on
        ("funds.csv", "f3,", "f3a,"),  # shorter blocks before, the same after
        ("projects.csv", "\np2,", "\np2b,"),
    ],
)
def test_a_rebuild_after_an_edit_gives_a_fresh_builds_files(
    tmp_path: Path, file: str, old: str, new: str
) -> None:
    data = minimal_data(tmp_path)
    cache = tmp_path / "cache"
    first = build(data, cache_dir=cache)
    replace_in(data / "minimal" / file, old, new)
    edited = build(data, cache_dir=cache)
    assert list(edited.items()) == list(_fresh(data).items())
    assert edited != first


def test_a_rebuild_after_rows_are_added_gives_a_fresh_builds_files(tmp_path: Path) -> None:
    data = minimal_data(tmp_path)
    cache = tmp_path / "cache"
    build(data, cache_dir=cache)
    replace_in(
        data / "minimal" / "funds.csv", "\nf2,", "\nf1b,p1,central,,allocation,1,,,A.,true\nf2,"
    )
    edited = build(data, cache_dir=cache)
    assert list(edited.items()) == list(_fresh(data).items())


def test_a_rebuild_with_the_default_pieces_gives_a_fresh_builds_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "WINDOW", 32 * 1024)  # every block primed by all before it
    data = minimal_data(tmp_path)
    cache = tmp_path / "cache"
    build(data, cache_dir=cache)
    replace_in(data / "minimal" / "funds.csv", "No. 12", "No. 13")
    edited = build(data, cache_dir=cache)
    assert list(edited.items()) == list(_fresh(data).items())


def test_a_rebuild_keeps_the_cache_entries_of_the_pieces_it_reused(tmp_path: Path) -> None:
    data = minimal_data(tmp_path)
    cache = tmp_path / "cache"
    build(data, cache_dir=cache)
    before = _entries(cache)
    replace_in(data / "minimal" / "funds.csv", "No. 12", "No. 13")
    packages, _ = load_packages(data)
    used = Cache(cache)
    list(build_downloads(packages, build_model(packages), SiteConfig(data_dir=data), used))
    used.prune()
    after = _entries(cache)  # the edited run and block replaced, every other one kept
    assert after["downloads-rows"] == before["downloads-rows"]
    assert after["downloads-deflate"] == before["downloads-deflate"]


EDITS = {
    "first row": [("funds.csv", "f1,p1,central,,allocation,300000", "f1,p1,central,,allocation,3")],
    "last row": [
        ("funds.csv", "f7,p3,integrated,,allocation,300000", "f7,p3,integrated,,allocation,3")
    ],
    "a longer row": [("funds.csv", "No. 12,Fixture.,true\nf3", "No. 12 and then some,F.,true\nf3")],
    "a quoted multi-line cell, then its neighbour": [
        ("funds.csv", "300000,2019-11-30,,", '300000,2019-11-30,"a,\nb ""</row>"" \r\n=c",'),
        ("funds.csv", "disbursement,150000.5", "disbursement,7"),
    ],
    "a new row": [("funds.csv", "\nf2,", "\nf1b,p1,central,,allocation,1,,,A.,true\nf2,")],
    "a row at the end": [
        (
            "funds.csv",
            "2019-10-15,,Fixture.,true\n",
            "2019-10-15,,Fixture.,true\nf8,p3,county,,allocation,1,,,A.,true\n",
        )
    ],
    "the header": [("funds.csv", "document,source", "document,source ")],
}


@pytest.mark.parametrize("edits", EDITS.values(), ids=EDITS.keys())
def test_rows_written_again_inside_a_run_give_a_fresh_builds_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edits: list[tuple[str, str, str]]
) -> None:
    monkeypatch.setattr(tables, "ROWS_PER_RUN", 4)  # an edited run keeps most of its rows
    data = minimal_data(tmp_path)
    cache = tmp_path / "cache"
    build(data, cache_dir=cache)
    for file, old, new in edits:
        replace_in(data / "minimal" / file, old, new)
        edited = build(data, cache_dir=cache)
        assert list(edited.items()) == list(_fresh(data).items())


def test_an_edited_run_writes_only_its_changed_rows_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tables, "ROWS_PER_RUN", 4)
    data = minimal_data(tmp_path)
    cache = tmp_path / "cache"
    build(data, cache_dir=cache)
    written: list[int] = []
    whole = tables._run_of
    monkeypatch.setattr(
        tables, "_run_of", lambda r, rows, start: written.append(len(rows)) or whole(r, rows, start)
    )
    replace_in(data / "minimal" / "funds.csv", "f6,p2,county", "f6,p2,central")
    edited = build(data, cache_dir=cache)
    assert written == []  # the run of f6 (f5 to f7) was spliced, not written whole
    assert list(edited.items()) == list(_fresh(data).items())

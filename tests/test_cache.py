import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from generator.cache import Cache, active, code_fingerprint, make_key, memo_active


def test_memo_computes_once_and_returns_the_stored_value(tmp_path: Path) -> None:
    calls: list[int] = []
    cache = Cache(tmp_path)
    first = cache.memo("ns", make_key("a"), lambda: calls.append(1) or {"x": [1, 2]})
    again = Cache(tmp_path).memo("ns", make_key("a"), lambda: calls.append(2) or {"x": []})
    assert first == again == {"x": [1, 2]}
    assert calls == [1]


def test_keys_differ_by_parts_and_by_how_parts_split() -> None:
    assert make_key("a") != make_key("b")
    assert make_key("ab", "c") != make_key("a", "bc")
    assert make_key(b"a") == make_key("a")


def test_no_root_caches_nothing() -> None:
    calls: list[int] = []
    cache = Cache(None)
    cache.memo("ns", make_key("a"), lambda: calls.append(1))
    cache.memo("ns", make_key("a"), lambda: calls.append(1))
    assert calls == [1, 1]


def test_a_damaged_entry_is_recomputed(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    key = make_key("a")
    cache.memo("ns", key, lambda: 1)
    (entry,) = (tmp_path / "ns").rglob("*.pickle")
    entry.write_bytes(b"not a pickle")
    assert Cache(tmp_path).memo("ns", key, lambda: 2) == 2
    assert Cache(tmp_path).memo("ns", key, lambda: 3) == 2


def test_a_falsy_value_is_a_hit(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    cache.memo("ns", make_key("a"), lambda: None)
    again = Cache(tmp_path)
    assert again.memo("ns", make_key("a"), lambda: 5) is None
    assert (again.hits, again.misses) == (1, 0)


def test_code_fingerprint_covers_the_generator_sources() -> None:
    assert len(code_fingerprint()) == 64


def _entry_files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_prune_keeps_what_this_cache_used_and_files_that_are_not_entries(tmp_path: Path) -> None:
    Cache(tmp_path).memo("ns", make_key("old"), lambda: 1)
    (tmp_path / "svg").mkdir()
    (tmp_path / "svg" / "chart.svg").write_text("<svg/>")
    (tmp_path / "ns" / ".left-over.pickle.1.tmp").write_text("")
    cache = Cache(tmp_path)
    cache.memo("ns", make_key("new"), lambda: 2)  # written by this cache
    kept_before = _entry_files(tmp_path)
    Cache(tmp_path).memo("other", make_key("read"), lambda: 3)
    cache.memo("other", make_key("read"), lambda: 4)  # read by this cache
    assert cache.prune() == 2  # "old" and the temporary file
    key_new, key_read = make_key("new"), make_key("read")
    assert _entry_files(tmp_path) == {
        "svg/chart.svg",
        f"ns/{key_new[:2]}/{key_new[2:]}.pickle",
        f"other/{key_read[:2]}/{key_read[2:]}.pickle",
    }
    assert len(kept_before) == 4


def test_prune_without_a_folder_removes_nothing(tmp_path: Path) -> None:
    assert Cache(None).prune() == 0
    assert Cache(tmp_path / "missing").prune() == 0


def test_an_entry_found_keeps_the_entries_its_computation_used(tmp_path: Path) -> None:
    def outer(cache: Cache) -> int:
        return cache.memo(
            "outer", make_key("o"), lambda: cache.memo("inner", make_key("i"), lambda: 1)
        )

    outer(Cache(tmp_path))
    again = Cache(tmp_path)
    assert outer(again) == 1 and again.hits == 1  # the inner memo is not even asked
    assert again.prune() == 0
    assert {p.parts[-3] for p in tmp_path.rglob("*.pickle")} == {"outer", "inner"}


def test_prune_with_slack_waits_until_the_unused_entries_add_up(tmp_path: Path) -> None:
    for n in range(3):
        Cache(tmp_path).memo("ns", make_key(f"old {n}"), lambda: 0)
    cache = Cache(tmp_path)
    for n in range(10):
        cache.memo("ns", make_key(f"new {n}"), lambda: 1)
    assert cache.prune(slack=0.3) == 0  # 3 unused of 10 used: kept
    assert cache.prune(slack=0.2) == 3


def test_memo_active_keeps_values_only_in_an_active_cache(tmp_path: Path) -> None:
    calls: list[str] = []

    def compute() -> str:
        calls.append("x")
        return "value"

    assert memo_active("kind", ["a"], compute) == "value"
    assert memo_active("kind", ["a"], compute) == "value"
    assert len(calls) == 2  # no active cache: computed every time
    cache = Cache(tmp_path)
    with active(cache):
        assert memo_active("kind", ["a"], compute) == "value"
        assert memo_active("kind", ["a"], compute) == "value"
        assert memo_active("kind", ["b"], compute) == "value"
    assert len(calls) == 4 and (cache.hits, cache.misses) == (1, 2)
    assert memo_active("kind", ["a"], compute) == "value" and len(calls) == 5  # inactive again


def test_a_process_finds_pages_again_in_memory(tmp_path: Path) -> None:
    cache = Cache(tmp_path)
    page = cache.memo("pages-project", "ab" * 32, lambda: (("p.md", b"page", True),))
    other = cache.memo("tables", "cd" * 32, lambda: ["rows"])
    shutil.rmtree(tmp_path)  # the disk forgets
    again = Cache(tmp_path)
    assert again.memo("pages-project", "ab" * 32, lambda: ()) is page  # from memory
    assert again.memo("tables", "cd" * 32, lambda: ["made again"]) == ["made again"]
    assert other == ["rows"] and (again.hits, again.misses) == (1, 1)
    again.prune()
    assert Cache(tmp_path).memo("pages-project", "ab" * 32, lambda: ()) is page  # it was used
    Cache(tmp_path).prune()  # a build that used none of it
    assert Cache(tmp_path).memo("pages-project", "ab" * 32, lambda: ()) == ()
    assert Cache(tmp_path).memo("pages-project", "ab" * 32, lambda: ("x",)) == ()
    shutil.rmtree(tmp_path)
    Cache(tmp_path / "elsewhere")  # another folder: memory holds one folder at a time
    assert Cache(tmp_path).memo("pages-project", "ab" * 32, lambda: ("x",)) == ("x",)


def test_a_process_walks_its_cache_folder_once_and_prunes_what_it_wrote_since(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    walks: list[str] = []
    real_walk = os.walk

    def walk(root: str) -> Iterator[tuple[str, list[str], list[str]]]:
        walks.append(root)
        return real_walk(root)

    monkeypatch.setattr(os, "walk", walk)
    first = Cache(tmp_path)
    first.memo("ns", "ab" * 32, lambda: 1)
    assert first.prune() == 0 and len(walks) == 1
    second = Cache(tmp_path)
    second.memo("ns", "cd" * 32, lambda: 2)  # written after the walk
    assert second.prune() == 1 and len(walks) == 1  # "ab…", the first build's
    third = Cache(tmp_path)
    assert third.prune() == 1 and len(walks) == 1  # "cd…", known without a walk
    assert sorted(p.name for p in tmp_path.rglob("*.pickle")) == []
    Cache(tmp_path / "elsewhere")
    Cache(tmp_path).prune()  # another folder came between: this one is walked again
    assert len(walks) == 2

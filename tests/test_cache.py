from pathlib import Path

from generator.cache import Cache, code_fingerprint, make_key


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

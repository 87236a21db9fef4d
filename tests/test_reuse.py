"""Values found again while they are asked for with the same objects (``reuse.Kept``)."""

from __future__ import annotations

from generator.reuse import Kept, same_objects


class Made:
    def __init__(self) -> None:
        self.times = 0

    def __call__(self) -> int:
        self.times += 1
        return self.times


def test_a_value_is_found_again_while_made_of_the_same_objects() -> None:
    kept, make, row = Kept(), Made(), object()
    assert kept.get("slot", (row,), make) == 1
    kept.start()
    assert kept.get("slot", (row,), make) == 1
    assert make.times == 1


def test_equal_objects_that_are_not_the_same_make_it_again() -> None:
    kept, make = Kept(), Made()
    kept.get("slot", ("a" * 3,), make)
    assert kept.get("slot", ("".join("aaa"),), make) == 2
    assert kept.get("slot", (), make) == 3


def test_a_value_no_build_used_is_forgotten() -> None:
    kept, make, row = Kept(), Made(), object()
    kept.get("slot", (row,), make)
    kept.start()
    kept.start()
    assert kept.get("slot", (row,), make) == 2


def test_same_objects_compares_identity_and_length() -> None:
    one, two = object(), object()
    assert same_objects((one, two), (one, two))
    assert not same_objects((one, two), (two, one))
    assert not same_objects((one,), (one, two))

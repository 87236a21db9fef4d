"""Values a long-lived process (the live preview) finds again instead of making them.

A value is kept with the objects it was made from and found again while it is asked
for with the same objects (``is``, not ``==``): the model reuses the entities of
unchanged rows, so identity says "unchanged" without reading a row. Only the last
build's values are kept: each build ``start``s a new set.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Hashable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
_Value = tuple[tuple[object, ...], Any]


class Kept:
    """Values by slot, each with the objects it was made from."""

    def __init__(self) -> None:
        self.last: dict[Hashable, _Value] = {}
        self.now: dict[Hashable, _Value] = {}

    def start(self) -> None:
        """Begin a build: what the build before did not use is forgotten."""
        self.last, self.now = self.now, {}

    def get(self, slot: Hashable, made_of: tuple[object, ...], make: Callable[[], T]) -> T:
        """The value at ``slot`` if it was made of ``made_of``'s objects, else ``make()``."""
        found = self.now.get(slot) or self.last.get(slot)
        if found is None or not same_objects(found[0], made_of):
            found = (made_of, make())
        self.now[slot] = found
        return found[1]


def same_objects(these: Sequence[object], those: Sequence[object]) -> bool:
    """Whether two sequences hold the same objects in the same order."""
    return these is those or (len(these) == len(those) and all(map(operator.is_, these, those)))

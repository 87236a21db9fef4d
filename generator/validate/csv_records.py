"""A CSV file's records as byte spans, and the block of records an edit replaced.

Frictionless reads a CSV file with Python's csv module, line by line (a line ends
at "\\n", "\\r\\n" or "\\r"), a record taking as many lines as its quoted cells
need. This module reads records the same way, with the csv settings frictionless
settled on, but keeps each record's length in bytes: the records an edit changed
can then be cut out of the new file, bytes untouched, and read alone.

Records are cut at line ends found in the bytes, so only encodings in which the
bytes "\\r" and "\\n" are never part of another character are read here.
"""

from __future__ import annotations

import csv
import io
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

# encodings whose "\r" and "\n" bytes are always line ends, and which carry no state
# from one line to the next: a line decodes alone as it does inside the file
LINE_SAFE_ENCODINGS = frozenset({"utf-8", "utf-8-sig", "gbk", "gb18030", "gb2312"})
CSV_SETTINGS = (
    "delimiter",
    "doublequote",
    "escapechar",
    "lineterminator",
    "quotechar",
    "quoting",
    "skipinitialspace",
)
LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)?")
FIRST_STEP = 4096  # bytes compared at once before the steps double


@dataclass(frozen=True)
class CsvReading:
    """How frictionless turned a file into records: its encoding and csv module settings."""

    encoding: str
    settings: tuple[tuple[str, Any], ...]  # (name, value) of each of CSV_SETTINGS

    @classmethod
    def of(cls, encoding: str, dialect: Any) -> CsvReading:
        """The reading of a file in ``encoding`` by a csv module ``dialect``."""
        return cls(encoding, tuple((name, getattr(dialect, name)) for name in CSV_SETTINGS))

    def reader(self, lines: Iterator[str] | io.StringIO) -> Any:
        """A csv reader with the settings, built the way frictionless builds its own."""
        dialect = csv.excel()
        for name, value in self.settings:
            setattr(dialect, name, value)
        return csv.reader(lines, dialect=dialect)

    def joins_lines(self, text: str) -> bool:
        """Tell whether a record of ``text`` could take more than one line.

        Only a quoted cell or an escaped line end continues a record on the next line.
        """
        settings = dict(self.settings)
        quote, escape = settings["quotechar"], settings["escapechar"]
        quoted = settings["quoting"] != csv.QUOTE_NONE and bool(quote) and quote in text
        return quoted or (bool(escape) and escape in text)

    @property
    def line_codec(self) -> str:
        """The codec of a line inside the file (a byte-order mark only starts a file)."""
        return "utf-8" if self.encoding == "utf-8-sig" else self.encoding


@dataclass(frozen=True)
class StrictCsvReading(CsvReading):
    """A reading that stops on broken quoting, as the loader's csv reader does."""

    def reader(self, lines: Iterator[str] | io.StringIO) -> Any:
        """A csv reader with the settings, raising ``csv.Error`` where the quoting is broken."""
        dialect = csv.excel()
        for name, value in self.settings:
            setattr(dialect, name, value)
        return csv.reader(lines, dialect=dialect, strict=True)


@dataclass(frozen=True)
class Block:
    """Old records ``first`` to ``stop`` (excluded; the header is record 0), replaced.

    In the new file the replacing records start at byte ``start``, as the old ones
    did, and end at ``end``; ``lengths`` and ``cells`` are theirs.
    """

    first: int
    stop: int
    start: int
    end: int
    lengths: list[int]
    cells: list[list[str]]


def line_lengths(raw: bytes) -> list[int]:
    """The length in bytes of each line, its line end included."""
    if b"\r" not in raw:
        lengths = [len(line) + 1 for line in raw.split(b"\n")]
        lengths[-1] -= 1  # the last line has no line end
        return lengths if lengths[-1] else lengths[:-1]
    return [m.end() - m.start() for m in LINE.finditer(raw) if m.end() > m.start()]


def record_lengths(raw: bytes, reading: CsvReading) -> list[int] | None:
    """The length in bytes of each record, header first; ``None`` if it cannot be read."""
    try:
        text = raw.decode(reading.encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    lines = line_lengths(raw)
    if not reading.joins_lines(text):
        return lines
    reader = reading.reader(io.StringIO(text, newline=""))
    try:
        last_lines = [reader.line_num for _ in reader]
    except csv.Error:
        return None
    if reader.line_num != len(lines):  # the text split into lines otherwise than the bytes
        return None
    if len(last_lines) == len(lines):
        return lines
    ends = list(accumulate(lines))
    record_ends = [ends[number - 1] for number in last_lines]
    return [end - start for start, end in zip([0, *record_ends], record_ends, strict=False)]


def changed_block(
    old: bytes, lengths: Sequence[int], new: bytes, reading: CsvReading, limit: int
) -> Block | None:
    """The old records ``new`` replaced, and the records replacing them.

    Records before the first changed byte are the same in both files; from a
    record end inside the common tail on, where the old file also has a record
    end, the rest is the same too. ``None`` when that end is not found within
    ``limit`` new records, or the new records cannot be read.
    """
    ends = list(accumulate(lengths))
    if not ends or ends[-1] != len(old):
        return None
    prefix = common_prefix(old, new)
    first = bisect_left(ends, prefix)  # the record holding the first changed byte, or ending there
    start = ends[first - 1] if first else 0
    tail = len(new) - common_suffix(old, new, min(len(old), len(new)) - prefix)
    old_ends = _OldEnds(ends, tail, len(old) - len(new))
    try:
        return _read_block(new, first, start, old_ends, reading, limit)
    except (csv.Error, UnicodeDecodeError):
        return None


@dataclass(frozen=True)
class _OldEnds:
    """The old file's record ends, seen from the new file: ``shift`` bytes on from ``tail``."""

    ends: list[int]
    tail: int
    shift: int

    def after(self, position: int) -> int | None:
        """The index after the old record ending at new byte ``position``, if one does."""
        if position < self.tail:
            return None
        index = bisect_left(self.ends, position + self.shift)
        found = index < len(self.ends) and self.ends[index] == position + self.shift
        return index + 1 if found else None


def _read_block(
    new: bytes, first: int, start: int, old: _OldEnds, reading: CsvReading, limit: int
) -> Block | None:
    lines = Lines(new, start, reading.line_codec)
    records: list[list[str]] = []
    ends: list[int] = []
    for cells in reading.reader(lines):
        records.append(cells)
        ends.append(lines.position)
        stop = old.after(lines.position)
        if stop is not None:
            lengths = [end - begin for begin, end in zip([start, *ends], ends, strict=False)]
            return Block(first, stop, start, lines.position, lengths, records)
        if len(records) > limit:
            return None
    return None


class Lines:
    """The decoded lines of ``raw`` from byte ``start`` on; ``position`` follows the reading."""

    def __init__(self, raw: bytes, start: int, codec: str) -> None:
        self.raw = raw
        self.position = start
        self.codec = codec

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        if self.position >= len(self.raw):
            raise StopIteration
        match = LINE.match(self.raw, self.position)
        assert match is not None  # the pattern matches at least one byte before the end
        line = self.raw[self.position : match.end()].decode(self.codec)
        self.position = match.end()
        return line


def common_prefix(a: bytes, b: bytes) -> int:
    """The number of leading bytes ``a`` and ``b`` have in common."""
    return _matching_length(lambda low, high: a[low:high] == b[low:high], min(len(a), len(b)))


def common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """The number of trailing bytes ``a`` and ``b`` have in common, at most ``limit``."""
    la, lb = len(a), len(b)

    def same(low: int, high: int) -> bool:
        return a[la - high : la - low] == b[lb - high : lb - low]

    return _matching_length(same, limit)


def _matching_length(same: Callable[[int, int], bool], limit: int) -> int:
    """The largest n <= ``limit`` with [0, n) alike; ``same(low, high)`` compares [low, high)."""
    low, step = 0, FIRST_STEP
    while low < limit:
        high = min(limit, low + step)
        if not same(low, high):
            while high - low > 1:  # [0, low) alike, [low, high) not
                middle = (low + high) // 2
                if same(low, middle):
                    low = middle
                else:
                    high = middle
            return low
        low, step = high, step * 2
    return limit

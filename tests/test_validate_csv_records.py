"""Records as byte spans, and the block an edit replaced: the same records the csv module reads."""

from __future__ import annotations

import csv
import io
import random

import pytest

from generator.validate.csv_records import (
    CsvReading,
    changed_block,
    common_prefix,
    common_suffix,
    record_lengths,
)

READING = CsvReading.of("utf-8", csv.excel())
FILE = b'id,text\nr1,plain\nr2,"quoted, with comma"\nr3,"two\nlines"\nr4,last\n'


def records(raw: bytes) -> list[list[str]]:
    """The records the csv module reads, as frictionless reads them."""
    return list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))


def test_a_quoted_line_end_stays_inside_its_record() -> None:
    lengths = record_lengths(FILE, READING)
    assert lengths is not None
    ends = [sum(lengths[: n + 1]) for n in range(len(lengths))]
    assert [FILE[:end].count(b"\n") for end in ends] == [1, 2, 3, 5, 6]


@pytest.mark.parametrize(
    ("old", "new", "first", "stop", "cells"),
    [
        (b"r2,", b"r2x,", 2, 3, [["r2x", "quoted, with comma"]]),
        (b"r4,last\n", b"r4,last\nr5,added\n", 4, 5, [["r4", "last"], ["r5", "added"]]),
        (b"r1,plain\n", b"", 1, 3, [["r2", "quoted, with comma"]]),
        (b'"two\nlines"', b'"two\nnew\nlines"', 3, 4, [["r3", "two\nnew\nlines"]]),
    ],
    ids=["edit", "append", "delete", "quoted-line-end"],
)
def test_the_block_holds_the_changed_records(
    old: bytes, new: bytes, first: int, stop: int, cells: list[list[str]]
) -> None:
    edited = FILE.replace(old, new)
    lengths = record_lengths(FILE, READING)
    assert lengths is not None
    block = changed_block(FILE, lengths, edited, READING, 10)
    assert block is not None
    assert (block.first, block.stop, block.cells) == (first, stop, cells)
    assert edited[: block.start] == FILE[: block.start]


def test_a_quote_opened_in_one_row_takes_in_the_next() -> None:
    lengths = record_lengths(FILE, READING)
    assert lengths is not None
    block = changed_block(FILE, lengths, FILE.replace(b"r1,plain", b'r1,"plain'), READING, 10)
    assert block is not None
    assert (block.first, block.stop) == (1, 3)
    assert block.cells == [["r1", "plain\nr2,quoted", ' with comma"']]


def test_more_new_records_than_the_limit_give_no_block() -> None:
    lengths = record_lengths(FILE, READING)
    assert lengths is not None
    edited = FILE.replace(b"r1,plain\n", b"r1,plain\na,1\nb,2\nc,3\n")
    assert changed_block(FILE, lengths, edited, READING, 2) is None
    assert changed_block(FILE, lengths, edited, READING, 5) is not None


def test_common_prefix_and_suffix() -> None:
    a, b = b"x" * 10_000 + b"abc" + b"y" * 9_000, b"x" * 10_000 + b"aXc" + b"y" * 9_000
    assert common_prefix(a, b) == 10_001
    assert common_suffix(a, b, len(a)) == 9_001
    assert common_suffix(a, b, 5) == 5
    assert common_prefix(a, a) == len(a)


def random_file(rng: random.Random) -> bytes:
    """A small CSV file with quoted cells, quoted line ends and blank lines."""
    rows = [
        rng.choice([f"r{i},v{i}", f'r{i},"v, {i}"', f'r{i},"a\nb{i}"', "", f'r{i},"q""{i}"'])
        for i in range(rng.randint(1, 25))
    ]
    text = "id,v\n" + "\n".join(rows) + rng.choice(["", "\n"])
    return (text.replace("\n", "\r\n") if rng.random() < 0.3 else text).encode("utf-8")


def test_random_edits_give_the_records_the_csv_module_reads() -> None:
    rng = random.Random(7)
    pieces = ["a", '"', '""', ",", "\n", "\r\n", "\r", '"x\ny"', "\n\n", "é"]
    for _ in range(1500):
        old = random_file(rng)
        lengths = record_lengths(old, READING)
        assert lengths is not None and sum(lengths) == len(old)
        assert len(lengths) == len(records(old))
        at = rng.randint(0, len(old))
        inserted = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 3))).encode("utf-8")
        new = old[:at] + inserted + old[at + rng.randint(0, 6) :]
        block = changed_block(old, lengths, new, READING, 10**6)
        assert block is not None
        assert records(old)[: block.first] + block.cells + records(old)[block.stop :] == records(
            new
        )
        new_lengths = lengths[: block.first] + block.lengths + lengths[block.stop :]
        assert new_lengths == record_lengths(new, READING)
        if block.first and old[: lengths[0]].endswith(b"\n"):  # the block read after the header
            assert records(old[: lengths[0]] + new[block.start : block.end])[1:] == block.cells

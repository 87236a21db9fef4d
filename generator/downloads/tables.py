"""The files made from one table of a release, cached by exactly what they are made from.

A table gives its JSON rows, its Excel-friendly CSV, its workbook sheet and its
canonical CSV compressed for the zips. All four are kept in the cache under the
table's fingerprint (its bytes, descriptor entry and schema), so an unchanged
table costs one cache read. When a table changed, its rows are made again a run
at a time: each run of rows is cached under the rows it holds (and where it
starts, since sheet rows carry their number), and the canonical CSV is
compressed a block of lines at a time, so a one-row edit makes one run and one
block again and joins the rest from the cache. The files are the same bytes
whichever parts came from the cache.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from generator.cache import Cache, make_key
from generator.downloads import formats, xlsx
from generator.downloads.resources import Resource
from generator.downloads.ziparchive import Deflated, Segment, joined, segment
from generator.load import Records

ROWS_PER_RUN = 500
LINES_PER_BLOCK = 4000  # a block starts with no history: 0.8 % bigger than one stream


@dataclass(frozen=True)
class TableFiles:
    """The files of one table, with the digests of the two that are published as they are."""

    json: bytes
    json_sha256: str
    excel_csv: bytes
    excel_csv_sha256: str
    sheet: Deflated  # the workbook sheet's XML
    csv: Deflated  # the canonical CSV, for the zips


@dataclass(frozen=True)
class _Run:
    """What a run of rows adds to each file."""

    json: bytes
    excel_csv: bytes
    sheet: Segment


def table_files(resource: Resource, cache: Cache) -> TableFiles:
    """Every file made from the table, from the cache when the table is unchanged."""
    key = make_key("table", fingerprint(resource))
    return cache.memo("downloads-table", key, lambda: _made(resource, cache))


def fingerprint(resource: Resource) -> str:
    """What the table's files depend on: its bytes, descriptor entry and schema.

    The loader reads the rows from the bytes as the entry declares (encoding,
    dialect); the code that does it is part of every cache key already.
    """
    return make_key(resource.sha256, _shape(resource), _canonical(resource.declared))


def _shape(resource: Resource) -> str:
    """What a run of rows is written with besides the rows: name, header and schema."""
    return _canonical([resource.name, resource.table.header, resource.schema])


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _made(resource: Resource, cache: Cache) -> TableFiles:
    runs = _runs(resource, cache)
    content = formats.json_file([run.json for run in runs])
    excel = formats.excel_csv_header(resource) + b"".join(run.excel_csv for run in runs)
    start = segment(xlsx.sheet_start(resource.table.header).encode("utf-8"))
    end = segment(xlsx.SHEET_END.encode("utf-8"))
    return TableFiles(
        content,
        formats.sha256(content),
        excel,
        formats.sha256(excel),
        joined([start, *(run.sheet for run in runs), end]),
        compressed(resource.table.raw, cache),
    )


def _runs(resource: Resource, cache: Cache) -> list[_Run]:
    shape = make_key(_shape(resource))
    records = resource.table.records
    runs = []
    for start in range(0, len(records), ROWS_PER_RUN):
        part = records[start : start + ROWS_PER_RUN]
        digest = hashlib.sha256(repr(part).encode("utf-8")).hexdigest()
        key = make_key("rows", shape, str(start), digest)
        runs.append(cache.memo("downloads-rows", key, _run_of(resource, part, start)))
    return runs


def _run_of(resource: Resource, records: Records, start: int) -> Callable[[], _Run]:
    def make() -> _Run:
        header = resource.table.header
        rows = [dict(zip(header, cells, strict=True)) for cells in records]  # as Table.rows
        sheet = formats.sheet_rows(resource, rows, start + 2)  # row 1 is the header
        return _Run(
            formats.json_lines(resource, rows),
            formats.excel_csv_rows(resource, rows),
            segment(sheet),
        )

    return make


def compressed(content: bytes, cache: Cache) -> Deflated:
    """``content`` deflated a block of lines at a time, each block cached by its bytes."""
    lines = content.splitlines(keepends=True)
    blocks = [
        b"".join(lines[i : i + LINES_PER_BLOCK]) for i in range(0, len(lines), LINES_PER_BLOCK)
    ]
    return joined(
        cache.memo("downloads-deflate", make_key("block", block), partial(segment, block))
        for block in blocks
    )

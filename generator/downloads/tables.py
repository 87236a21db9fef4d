"""The files made from one table of a release, cached by exactly what they are made from.

A table gives its JSON rows, its Excel-friendly CSV, its workbook sheet and its
canonical CSV compressed for the zips. All four are kept in the cache under the
table's fingerprint (its bytes, descriptor entry and schema), so an unchanged
table costs one cache read. When a table changed, its rows are made again a run
at a time: each run of rows is cached under the rows it holds (and where it
starts, since sheet rows carry their number), and the canonical CSV is
compressed a block of lines at a time, each block primed with the 32 KiB before
it (so it compresses as one stream would), so a one-row edit makes one run and
one or two blocks again and joins the rest from the cache. The files are the
same bytes whichever parts came from the cache.

A process that builds again (the live preview) keeps each table's files of the
last build with where each run and block lies in them: an edited table takes its
unchanged runs and blocks from there, without reading the cache or hashing them.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from generator.cache import Cache, make_key
from generator.downloads import formats, xlsx
from generator.downloads.resources import Resource
from generator.downloads.ziparchive import WINDOW, Deflated, Segment, joined, segment
from generator.load import Records

ROWS_PER_RUN = 500
LINES_PER_BLOCK = 500


@dataclass(frozen=True)
class Span:
    """Where a cached piece of a table's files lies in them: its key, ranges, CRC and size."""

    key: str
    ranges: tuple[int, ...]  # start and end in each file the piece is part of
    crc: int  # of the piece's deflated part (sheet or canonical CSV) before compression
    size: int


@dataclass(frozen=True)
class TableFiles:
    """The files of one table, with the digests of the two that are published as they are.

    ``runs`` and ``blocks`` say where each run of rows and each block of the canonical
    CSV lie in the files, so a rebuild after an edit reuses those unchanged.
    """

    json: bytes
    json_sha256: str
    excel_csv: bytes
    excel_csv_sha256: str
    sheet: Deflated  # the workbook sheet's XML
    csv: Deflated  # the canonical CSV, for the zips
    runs: tuple[Span, ...] = ()  # ranges in json, excel_csv and sheet.data
    blocks: tuple[Span, ...] = ()  # ranges in the canonical CSV and csv.data


@dataclass(frozen=True)
class _Run:
    """What a run of rows adds to each file."""

    json: bytes
    excel_csv: bytes
    sheet: Segment


def table_files(resource: Resource, cache: Cache) -> TableFiles:
    """Every file made from the table, from the cache when the table is unchanged."""
    key = make_key("table", fingerprint(resource))
    last = _last.get(resource.table.path)
    if last is not None and (last.cut, last.root) != (_cut(), cache.root):
        last = None  # made in other pieces, or its pieces are in another cache
    files = cache.memo("downloads-table", key, lambda: _made(resource, cache, last))
    table = resource.table
    kept = _Last(_shape(resource), table.records, table.raw, files, _cut(), cache.root)
    _last[table.path] = kept
    return files


def fingerprint(resource: Resource) -> str:
    """What the table's files depend on: its bytes, descriptor entry and schema.

    The loader reads the rows from the bytes as the entry declares (encoding,
    dialect); the code that does it is part of every cache key already.
    """
    return make_key(resource.sha256, _shape(resource), _canonical(resource.declared))


def _cut() -> tuple[int, int, int]:
    return (ROWS_PER_RUN, LINES_PER_BLOCK, WINDOW)


def forget_tables_but(paths: set[str]) -> None:
    """Keep the last build's files of these tables only (those of the build just made)."""
    for path in [p for p in _last if p not in paths]:
        del _last[path]


def _shape(resource: Resource) -> str:
    """What a run of rows is written with besides the rows: name, header and schema."""
    return _canonical([resource.name, resource.table.header, resource.schema])


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


@dataclass(frozen=True)
class _Last:
    """A table's files as the last build made them, and the rows they were made from."""

    shape: str
    records: Records
    raw: bytes
    files: TableFiles
    cut: tuple[int, int, int]  # rows a run, lines a block, bytes of history
    root: Path | None  # the cache holding the pieces


# The last build's files of each table, by display path: one build's worth
_last: dict[str, _Last] = {}


def _made(resource: Resource, cache: Cache, last: _Last | None) -> TableFiles:
    runs = _runs(resource, cache, last)
    content = formats.json_file([run.json for _, run in runs])
    excel = formats.excel_csv_header(resource) + b"".join(run.excel_csv for _, run in runs)
    start = segment(xlsx.sheet_start(resource.table.header).encode("utf-8"))
    end = segment(xlsx.SHEET_END.encode("utf-8"))
    blocks = _blocks(resource.table.raw, cache, last)
    return TableFiles(
        content,
        formats.sha256(content, f"{resource.table.path} json"),
        excel,
        formats.sha256(excel, f"{resource.table.path} excel"),
        joined([start, *(run.sheet for _, run in runs), end]),
        joined(piece for _, _, piece in blocks),
        _run_spans(runs, len(excel) - sum(len(run.excel_csv) for _, run in runs), len(start.data)),
        tuple(Span(key, ranges, piece.crc, piece.size) for key, ranges, piece in blocks),
    )


def _runs(resource: Resource, cache: Cache, last: _Last | None) -> list[tuple[str, _Run]]:
    """Each run of rows with its key: the last build's when its rows are unchanged."""
    shape = _shape(resource)
    shape_key = make_key(shape)
    records = resource.table.records
    runs = []
    for number, start in enumerate(range(0, len(records), ROWS_PER_RUN)):
        part = records[start : start + ROWS_PER_RUN]
        span = _same_run(last, shape, number, part)
        if last is not None and span is not None:
            cache.keep("downloads-rows", span.key)
            runs.append((span.key, _run_in(last.files, span)))
            continue
        digest = hashlib.sha256(repr(part).encode("utf-8")).hexdigest()
        key = make_key("rows", shape_key, str(start), digest)
        make = _edited_run(resource, last, shape, number, part) or _run_of(resource, part, start)
        runs.append((key, cache.memo("downloads-rows", key, make)))
    return runs


def _same_run(last: _Last | None, shape: str, number: int, records: Records) -> Span | None:
    """The last build's run ``number`` if it held these rows, written alike."""
    if last is None or last.shape != shape or number >= len(last.files.runs):
        return None
    start = number * ROWS_PER_RUN
    return (
        last.files.runs[number] if last.records[start : start + len(records)] == records else None
    )


def _edited_run(
    resource: Resource, last: _Last | None, shape: str, number: int, records: Records
) -> Callable[[], _Run] | None:
    """The last build's run ``number`` with only its changed rows written again.

    ``None`` unless that run held as many rows, written alike, and most are unchanged.
    """
    if last is None or last.shape != shape or number >= len(last.files.runs):
        return None
    start = number * ROWS_PER_RUN
    old = last.records[start : start + len(records)]
    if len(old) != len(records):
        return None
    pairs = zip(records, old, strict=True)
    changed = [i for i, (new, was) in enumerate(pairs) if new is not was and new != was]
    if len(changed) * 2 > len(records):
        return None
    run = _run_in(last.files, last.files.runs[number])
    return partial(_spliced, resource, run, records, start, changed)


_ROW_END = b"</row>"


def _spliced(
    resource: Resource, run: _Run, records: Records, start: int, changed: list[int]
) -> _Run:
    """``run`` with the rows at ``changed`` written again from ``records``.

    JSON rows are split on the separator (a JSON row holds no line break), sheet rows
    on their end tag (text cells escape ``<``), CSV rows as a reader reads them.
    """
    json_rows = run.json.split(b",\n")
    excel_rows = _csv_records(run.excel_csv)
    sheet_rows = zlib.decompressobj(-15).decompress(run.sheet.data).split(_ROW_END)
    if not (len(json_rows) == len(excel_rows) == len(sheet_rows) - 1 == len(records)):
        return _run_of(resource, records, start)()
    header = resource.table.header
    for i in changed:
        row = [dict(zip(header, records[i], strict=True))]
        json_rows[i] = formats.json_lines(resource, row)
        excel_rows[i] = formats.excel_csv_rows(resource, row)
        sheet_rows[i] = formats.sheet_rows(resource, row, start + i + 2)[: -len(_ROW_END)]
    sheet = _ROW_END.join(sheet_rows)
    return _Run(b",\n".join(json_rows), b"".join(excel_rows), segment(sheet))


def _csv_records(content: bytes) -> list[bytes]:
    """The bytes of each record of CSV ``content``, as a reader splits them."""
    physical = io.StringIO(content.decode("utf-8"), newline="").readlines()
    reader = csv.reader(physical, strict=True)
    records, start = [], 0
    try:
        for _ in reader:
            records.append("".join(physical[start : reader.line_num]).encode("utf-8"))
            start = reader.line_num
    except csv.Error:  # not as the writer writes: the run is made again whole
        return []
    return records


def _run_in(files: TableFiles, span: Span) -> _Run:
    """A run of rows as it is in the files."""
    j0, j1, e0, e1, s0, s1 = span.ranges
    sheet = Segment(files.sheet.data[s0:s1], span.crc, span.size)
    return _Run(files.json[j0:j1], files.excel_csv[e0:e1], sheet)


def _run_spans(runs: list[tuple[str, _Run]], excel_at: int, sheet_at: int) -> tuple[Span, ...]:
    json_at, spans = 2, []  # after "[\n"; runs are separated by ",\n"
    for key, run in runs:
        ends = (json_at + len(run.json), excel_at + len(run.excel_csv))
        sheet_end = sheet_at + len(run.sheet.data)
        ranges = (json_at, ends[0], excel_at, ends[1], sheet_at, sheet_end)
        spans.append(Span(key, ranges, run.sheet.crc, run.sheet.size))
        json_at, excel_at, sheet_at = ends[0] + 2, ends[1], sheet_end
    return tuple(spans)


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
    return joined(piece for _, _, piece in _blocks(content, cache, None))


Block = tuple[str, tuple[int, ...], Segment]  # key, ranges in the content and the stream


def _blocks(content: bytes, cache: Cache, last: _Last | None) -> list[Block]:
    """Each block of lines, deflated primed with the bytes before it, with its key.

    A block whose bytes and the 32 KiB before them are those of the same block of
    the last build is taken from that build's stream.
    """
    before = last.files.blocks if last is not None else ()
    blocks: list[Block] = []
    at = 0
    for number, (start, end) in enumerate(_block_bounds(content)):
        span = before[number] if number < len(before) else None
        if last is not None and span is not None and _same_block(content, start, end, last, span):
            key, piece = span.key, _block_in(last.files, span)
            cache.keep("downloads-deflate", key)
        else:
            history = content[max(0, start - WINDOW) : start]
            key = make_key("block", history, content[start:end])
            made = partial(segment, content[start:end], history)
            piece = cache.memo("downloads-deflate", key, made)
        blocks.append((key, (start, end, at, at + len(piece.data)), piece))
        at += len(piece.data)
    return blocks


def _same_block(content: bytes, start: int, end: int, last: _Last, span: Span) -> bool:
    """Whether the block and the 32 KiB before it are the bytes of the last build's block."""
    was, was_end = span.ranges[0], span.ranges[1]
    if end - start != was_end - was or min(start, WINDOW) != min(was, WINDOW):
        return False
    return content[max(0, start - WINDOW) : end] == last.raw[max(0, was - WINDOW) : was_end]


def _block_in(files: TableFiles, span: Span) -> Segment:
    return Segment(files.csv.data[span.ranges[2] : span.ranges[3]], span.crc, span.size)


def _block_bounds(content: bytes) -> Iterator[tuple[int, int]]:
    lines = content.splitlines(keepends=True)
    start = 0
    for i in range(0, len(lines), LINES_PER_BLOCK):
        end = start + sum(map(len, lines[i : i + LINES_PER_BLOCK]))
        yield start, end
        start = end

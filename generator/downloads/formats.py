"""Writers of the download formats: JSON rows, Excel-friendly CSV, sheets, zip, checksums.

Every writer is deterministic: the same rows give the same bytes (fixed zip
timestamps and entry order, fixed workbook properties). The table formats are
written a run of rows at a time, so ``tables`` can cache them by the rows they
hold; a whole file is its runs joined.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from generator.downloads import xlsx
from generator.downloads.fields import (
    constraints_in_words,
    excel_reader,
    is_required,
    json_reader,
)
from generator.downloads.resources import Resource
from generator.downloads.safety import neutralise
from generator.downloads.ziparchive import deflate, zip_archive

BOM = "\ufeff"
FIELDS_SHEET = "fields"
FIELDS_HEADER = ("resource", "field", "title", "type", "required", "constraints", "description")

Row = Mapping[str, str]


# JSON


def rows_json(resource: Resource) -> bytes:
    """The rows as a JSON array of objects, one object per line, values typed by the schema."""
    return json_file([json_lines(resource, resource.table.rows)])


def json_lines(resource: Resource, rows: Iterable[Row]) -> bytes:
    """Rows as JSON objects, one a line, separated by commas: a run of a JSON file."""
    fields, missing = resource.typed_fields, resource.missing
    columns = [(c, json_reader(fields.get(c), missing)) for c in resource.table.header]
    return ",\n".join(
        json.dumps({c: read(row.get(c, "")) for c, read in columns}, ensure_ascii=False)
        for row in rows
    ).encode()


def json_file(runs: Sequence[bytes]) -> bytes:
    """The JSON file of runs of rows (``json_lines``) in order."""
    runs = [run for run in runs if run]
    return b"[\n" + b",\n".join(runs) + b"\n]\n" if runs else b"[]\n"


# Excel-friendly CSV


def excel_csv(resource: Resource) -> bytes:
    """UTF-8 with BOM, comma-separated, CRLF, formula-like cells neutralised."""
    return excel_csv_header(resource) + excel_csv_rows(resource, resource.table.rows)


def excel_csv_header(resource: Resource) -> bytes:
    """The start of the Excel-friendly CSV: the byte order mark and the header line."""
    return (BOM + _csv_lines([resource.table.header])).encode("utf-8")


def excel_csv_rows(resource: Resource, rows: Iterable[Row]) -> bytes:
    """Rows as lines of the Excel-friendly CSV: a run of the file."""
    header = resource.table.header
    return _csv_lines([row.get(column, "") for column in header] for row in rows).encode("utf-8")


def _csv_lines(rows: Iterable[Iterable[str]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerows((neutralise(cell) for cell in row) for row in rows)
    return out.getvalue()


# Workbook sheets


def sheet_titles(names: Sequence[str]) -> list[str]:
    """Sheet titles for resource names: at most 31 characters, unique."""
    titles: list[str] = []
    for name in names:
        title = name[:31]
        while title.lower() in (t.lower() for t in [*titles, FIELDS_SHEET]):
            title = f"{title[:29]}_{len(titles)}"
        titles.append(title)
    return titles


def sheet_rows(resource: Resource, rows: Iterable[Row], first: int) -> bytes:
    """Rows as sheet XML, numbered from ``first``: numbers, booleans and dates typed."""
    columns = [
        (c, excel_reader(resource.field(c), resource.missing)) for c in resource.table.header
    ]
    values = ([read(row.get(c, "")) for c, read in columns] for row in rows)
    return xlsx.rows_xml(values, first).encode("utf-8")


def fields_sheet(resources: Sequence[Resource]) -> bytes:
    """The sheet describing every field of every resource."""
    rows = (
        _field_row(resource, column) for resource in resources for column in resource.table.header
    )
    return xlsx.sheet(FIELDS_HEADER, ([value or None for value in row] for row in rows))


def _field_row(resource: Resource, column: str) -> list[str]:
    field = resource.field(column) or {}
    return [
        resource.name,
        column,
        str(field.get("title", "")),
        str(field.get("type", "string")),
        "yes" if is_required(field) else "no",
        constraints_in_words(field),
        str(field.get("description", "")),
    ]


# Zip


def zip_bytes(entries: Mapping[str, bytes], when: date) -> bytes:
    """A deflated zip of ``entries`` (name -> bytes), sorted by name, all at ``when``."""
    return zip_archive([(name, deflate(entries[name])) for name in sorted(entries)], when)


# Checksums


def sha256(content: bytes, name: str = "") -> str:
    """Hex SHA-256 of ``content``.

    With a ``name``, a large content is hashed on from where it first differs from the
    last content hashed under that name (the hash's state is kept every megabyte), so
    a process that builds again hashes an edited file only from the edit on.
    """
    if not name or len(content) < _CHECKPOINT:
        return hashlib.sha256(content).hexdigest()
    last = _hashed.pop(name, None)
    if last is not None and last.content is content:
        _hashed[name] = last
        return last.digest
    states = last.states[: common_prefix(last.content, content) // _CHECKPOINT + 1] if last else []
    hashed = _Hashed.of(content, states or [hashlib.sha256()])
    _hashed[name] = hashed  # the most recent last
    while len(_hashed) > _KEPT:
        del _hashed[next(iter(_hashed))]
    return hashed.digest


_CHECKPOINT = 1 << 20
_KEPT = 64


@dataclass(frozen=True)
class _Hashed:
    """A content hashed, with the hash's state before each megabyte of it."""

    content: bytes
    states: list[Any]  # hashlib objects: ``states[i]`` has hashed ``content[: i * _CHECKPOINT]``
    digest: str

    @classmethod
    def of(cls, content: bytes, states: list[Any]) -> _Hashed:
        """Hashed on from the last of ``states`` (those of a content beginning alike)."""
        states = list(states)
        state = states[-1].copy()
        for at in range((len(states) - 1) * _CHECKPOINT, len(content), _CHECKPOINT):
            if at > (len(states) - 1) * _CHECKPOINT:
                states.append(state.copy())
            state.update(content[at : at + _CHECKPOINT])
        return cls(content, states, state.hexdigest())


# The last content hashed under each name, most recent last
_hashed: dict[str, _Hashed] = {}


def common_prefix(a: bytes, b: bytes) -> int:
    """How many bytes ``a`` and ``b`` begin with alike (compared a stretch at a time, in C)."""
    size, at, step = min(len(a), len(b)), 0, 1 << 16
    while step:
        while at + step <= size and a[at : at + step] == b[at : at + step]:
            at += step
        step //= 2
    return at


def sha256sums(files: Mapping[str, bytes]) -> bytes:
    """A ``SHA256SUMS`` file in ``sha256sum`` format (hash, two spaces, name), sorted by name."""
    return sums_file({name: sha256(content, name) for name, content in files.items()})


def sums_file(digests: Mapping[str, str]) -> bytes:
    """A ``SHA256SUMS`` file of hex digests by file name, sorted by name."""
    return "".join(f"{digests[name]}  {name}\n" for name in sorted(digests)).encode()

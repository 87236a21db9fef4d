"""An edited table validated by its changed rows, when that finds what a full run finds.

After a clean frictionless run of a CSV table, the table's bytes are kept with
what later runs need to check an edit without reading the rest: the typed values
of the fields compared across rows (primary key, unique fields, keys other tables
reference), one per row, and how frictionless read the file (encoding, dialect).
The next time the file changes, with everything else the run depends on the same,
``rerun_edited`` finds the block of records the edit replaced (``csv_records``),
validates the header and that block alone with frictionless, and redoes the checks
that span rows. It only ever answers "no errors"; ``None`` tells the caller to run
frictionless on the whole file. Why its answer is the full run's:

- the records outside the block are the same bytes, read by the same csv settings
  from a record start, so they give the same rows, which had no errors, and look
  up the same key sets (a table that references itself is never rerun this way);
- the block is read with the file's header, byte for byte, so with the same
  encoding and dialect, which is checked: frictionless finds both in the first
  hundred lines or rows, which an edit must leave unchanged;
- the block's foreign keys are looked up by frictionless, in the referenced key
  sets cut down to the tuples whose values all appear in the block's cells (a
  string field's value is its cell: no other tuple can match);
- primary key and unique fields: the old values were distinct, the block's are
  (frictionless checked them), and none may equal a value kept from the old rows;
- the key sets other tables look up are made again from the new rows' values.

States live in ``<cache>/edited-runs/``, one file per table, each replaced by the
table's next clean run: they are not memo entries, so ``Cache.prune`` leaves them.
"""

from __future__ import annotations

import codecs
import copy
import hashlib
import json
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from generator.cache import Cache, make_key, write_atomic
from generator.validate.csv_records import (
    LINE_SAFE_ENCODINGS,
    Block,
    CsvReading,
    changed_block,
    record_lengths,
)

Key = tuple[str, ...]
KeySets = dict[Key, frozenset[tuple[Any, ...]]]

SAMPLED_RECORDS = 100  # frictionless sniffs the dialect in 100 lines, finds the header in 100 rows
MIN_BLOCK, MAX_BLOCK = 20, 1000  # records an edit may replace: 1 % of the rows, within these
# what a resource descriptor may hold for a rerun: anything else (declared row or byte
# counts, hashes, inline data, compression) is checked over the whole file
EDITABLE_PROPERTIES = frozenset(
    {"name", "path", "encoding", "dialect", "schema", "title", "description", "format"}
)
# the schema's own: of these only the primary key spans rows (with each field's "unique")
SCHEMA_PROPERTIES = frozenset(
    {"$schema", "fields", "fieldsMatch", "missingValues", "primaryKey", "foreignKeys"}
)


@dataclass(frozen=True)
class Reading:
    """How frictionless read a table: the csv module's reading and the detected dialect."""

    csv: CsvReading
    dialect: str


def reading_of(resource: Any) -> Reading | None:
    """How frictionless read ``resource``; ``None`` unless a CSV with a header row first."""
    dialect = resource.dialect
    if resource.format != "csv" or not dialect.has_control("csv") or not _plain(dialect):
        return None
    encoding = codecs.lookup(resource.encoding).name
    if encoding not in LINE_SAFE_ENCODINGS:
        return None
    settings = CsvReading.of(encoding, dialect.get_control("csv").to_python())
    return Reading(settings, json.dumps(dialect.to_descriptor(), sort_keys=True))


def _plain(dialect: Any) -> bool:
    """Tell whether row n of the table is record n - 1, and the header record 0."""
    return bool(
        dialect.header
        and dialect.header_rows == [1]
        and dialect.header_case
        and not dialect.comment_char
        and not dialect.comment_rows
        and not dialect.skip_blank_rows
    )


class RowLog:
    """Per row, the typed values of the fields checks compare across rows; and the reading.

    Give ``add`` as frictionless's ``on_row``, ``start`` before and ``finish`` after.
    The log never raises: it follows a run whose outcome it must not change.
    """

    def __init__(self, offered: Sequence[Sequence[str]]) -> None:
        self.offered = [tuple(key) for key in offered]
        self.primary: Key = ()
        self.unique: Key = ()
        self.fields: Key = ()
        self.rows: list[tuple[Any, ...]] = []
        self.complete = True  # rows numbered 2, 3, ... with none left out, all noted
        self.reading: Reading | None = None

    def start(self, resource: Any) -> None:
        """Note the fields to follow, from the schema of ``resource``."""
        try:
            schema = resource.schema
            self.primary = tuple(schema.primary_key)
            self.unique = tuple(f.name for f in schema.fields if f.constraints.get("unique"))
        except Exception:
            self.complete = False
        offered = (name for key in self.offered for name in key)
        self.fields = tuple(dict.fromkeys([*self.primary, *self.unique, *offered]))

    def add(self, row: Any) -> None:
        """Note one row's values."""
        try:
            self.complete = self.complete and row.row_number == len(self.rows) + 2
            self.rows.append(tuple(row.get(name) for name in self.fields))
        except Exception:
            self.complete = False

    def finish(self, resource: Any) -> None:
        """Note how frictionless read the file."""
        try:
            self.reading = reading_of(resource)
        except Exception:
            self.complete = False

    def columns(self) -> list[list[Any]]:
        """The values noted, one list per field."""
        return [[row[i] for row in self.rows] for i in range(len(self.fields))]


@dataclass(frozen=True)
class EditState:
    """A clean run of a table, kept so that its next edit can be checked by the changed rows."""

    inputs: str  # key of everything the run read but the file
    raw: bytes
    lengths: list[int]  # of each record, in bytes, header first
    reading: Reading
    primary: Key
    unique: Key
    fields: Key
    columns: list[list[Any]] = field(repr=False)  # per field, the value in each row

    def read_alike(self, log: RowLog) -> bool:
        """Tell whether ``log`` read its file as this state's run did, following the same fields."""
        mine = (self.reading, self.primary, self.unique, self.fields)
        return mine == (log.reading, log.primary, log.unique, log.fields)

    def values(self, names: Key, rows: slice = slice(None)) -> list[Any]:
        """The values of ``names`` in ``rows``: a tuple per row, a plain value for one name."""
        return _values(self.fields, self.columns, names, rows)


def _values(fields: Key, columns: list[list[Any]], names: Key, rows: slice) -> list[Any]:
    picked = [columns[fields.index(name)][rows] for name in names]
    return picked[0] if len(picked) == 1 else list(zip(*picked, strict=True))


class EditStates:
    """The last clean run of one table, in a file of the cache folder."""

    def __init__(self, root: Path, basepath: Path, name: str, inputs: str) -> None:
        place = json.dumps([str(basepath), name]).encode("utf-8")
        self.file = root / "edited-runs" / f"{hashlib.sha256(place).hexdigest()}.state"
        # records split as this Python's csv module splits them
        self.inputs = make_key("edited-run", sys.version, inputs)

    @classmethod
    def of(cls, cache: Cache, basepath: Path, name: str, inputs: str) -> EditStates | None:
        """The store of table ``name`` under ``basepath``; ``None`` without a cache folder."""
        return None if cache.root is None else cls(Path(cache.root), basepath, name, inputs)

    def load(self) -> EditState | None:
        """The state kept for these inputs, if any."""
        try:
            state = pickle.loads(self.file.read_bytes())
        except Exception:  # missing or damaged: no rerun, the full run makes a new one
            return None
        return state if isinstance(state, EditState) and state.inputs == self.inputs else None

    def save(self, state: EditState) -> None:
        """Keep ``state``, replacing the one before (a value pickle refuses: keep nothing)."""
        try:
            data = pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:
            return
        write_atomic(self.file, data)


def editable(descriptor: dict[str, Any], name: str) -> bool:
    """Tell whether resource ``name`` (first in ``descriptor``) could be rerun by its edits."""
    resource = descriptor["resources"][0]
    path, schema = resource.get("path"), resource.get("schema")
    if not (set(resource) <= EDITABLE_PROPERTIES and isinstance(path, str)):
        return False
    if not (isinstance(schema, dict) and set(schema) <= SCHEMA_PROPERTIES):
        return False
    parts = PurePosixPath(path).parts
    local = bool(parts) and not path.startswith("/") and ".." not in parts and ":" not in path
    keys = schema.get("foreignKeys", [])
    return (
        local
        and path.endswith(".csv")
        and resource.get("format", "csv") == "csv"
        and isinstance(resource.get("encoding"), str)
        and isinstance(keys, list)
        and not any(fk["reference"].get("resource", name) in ("", name) for fk in keys)
    )


def read_file(descriptor: dict[str, Any], basepath: Path) -> bytes | None:
    """The bytes of the file of the first resource of ``descriptor``; ``None`` if unreadable."""
    file = basepath / str(descriptor["resources"][0]["path"])
    try:
        return file.read_bytes()
    except OSError:
        return None


def remember(states: EditStates, raw: bytes, log: RowLog, clean: bool) -> None:
    """Keep a full run's state if it was clean and the file could be rerun by its edits."""
    reading = log.reading
    if not clean or reading is None or not log.complete or len(log.rows) <= SAMPLED_RECORDS:
        return
    lengths = record_lengths(raw, reading.csv)
    if lengths is None or len(lengths) != len(log.rows) + 1:
        return
    fields = (log.primary, log.unique, log.fields)
    states.save(EditState(states.inputs, raw, lengths, reading, *fields, log.columns()))


Validate = Callable[[dict[str, Any], Path, RowLog], bool]


def rerun_edited(
    states: EditStates,
    descriptor: dict[str, Any],
    basepath: Path,
    offered: Sequence[Sequence[str]],
    validate: Validate,
) -> KeySets | None:
    """The key sets of a clean run of the first resource of ``descriptor``, checked by its edit.

    ``validate(descriptor, basepath, log)`` runs frictionless on the resource and tells
    whether it found nothing. ``None``: the edit could not be shown clean this way.
    """
    state = states.load()
    raw = read_file(descriptor, basepath)
    if state is None or raw is None:
        return None
    try:
        return _rerun(state, states, raw, descriptor, offered, validate)
    except Exception:  # whatever this path did not foresee, the full run decides
        return None


def _rerun(
    state: EditState,
    states: EditStates,
    raw: bytes,
    descriptor: dict[str, Any],
    offered: Sequence[Sequence[str]],
    validate: Validate,
) -> KeySets | None:
    rows = len(state.lengths) - 1
    limit = min(MAX_BLOCK, max(MIN_BLOCK, rows // 100))
    block = changed_block(state.raw, state.lengths, raw, state.reading.csv, limit)
    if block is None or block.first <= SAMPLED_RECORDS or block.stop - block.first > limit:
        return None
    log = _validate_block(state, raw, block, descriptor, offered, validate)
    if log is None or _repeats_kept_value(state, block, log):
        return None
    new = _edited_state(state, raw, block, log)
    found = key_sets(new.fields, new.columns, [tuple(key) for key in offered])
    states.save(new)
    return found


def _validate_block(
    state: EditState,
    raw: bytes,
    block: Block,
    descriptor: dict[str, Any],
    offered: Sequence[Sequence[str]],
    validate: Validate,
) -> RowLog | None:
    """Validate the header and the block alone; its rows' log if frictionless found nothing."""
    header = raw[: state.lengths[0]]
    if not header.endswith(b"\n"):  # a "\r" could join the block's first byte into one line end
        return None
    resource = descriptor["resources"][0]
    cells = {cell for record in block.cells for cell in record}
    lookups = [narrowed(lookup, resource, cells) for lookup in descriptor["resources"][1:]]
    log = RowLog(offered)
    with tempfile.TemporaryDirectory(prefix="sunshine-edit-") as folder:
        file = Path(folder, resource["path"])
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_bytes(header + raw[block.start : block.end])
        clean = validate({**descriptor, "resources": [resource, *lookups]}, Path(folder), log)
    complete = log.complete and len(log.rows) == len(block.cells)
    return log if clean and complete and state.read_alike(log) else None


def narrowed(lookup: dict[str, Any], resource: dict[str, Any], cells: set[str]) -> dict[str, Any]:
    """An inline lookup table cut down to the rows whose values are all among ``cells``.

    Only when every field referencing it is a string field, whose value is its cell:
    a row of the lookup with another value cannot match. Otherwise it is kept whole.
    """
    types = {f["name"]: f.get("type", "any") for f in resource["schema"]["fields"]}
    referencing = [
        name
        for fk in resource["schema"].get("foreignKeys", [])
        if fk["reference"].get("resource") == lookup["name"]
        for name in ([fk["fields"]] if isinstance(fk["fields"], str) else fk["fields"])
    ]
    if not all(types.get(name) == "string" for name in referencing):
        return lookup
    header, *rows = lookup["data"]
    kept = [row for row in rows if cells.issuperset(row)]  # a value not text is never a cell
    return {**copy.copy(lookup), "data": [header, *kept]}


def _repeats_kept_value(state: EditState, block: Block, log: RowLog) -> bool:
    """Tell whether a block row repeats, in its primary key or a unique field, a kept row."""
    removed = slice(block.first - 1, block.stop - 1)  # data rows; record 0 is the header
    added = log.columns()
    checks = [(state.primary, False)] if state.primary else []
    checks += [((name,), True) for name in state.unique]  # frictionless skips a missing value
    for names, skip_missing in checks:
        old = set(state.values(names))
        gone = set(state.values(names, removed))
        new = _values(log.fields, added, names, slice(None))
        if any(v in old and v not in gone for v in new if not (skip_missing and v is None)):
            return True
    return False


def _edited_state(state: EditState, raw: bytes, block: Block, log: RowLog) -> EditState:
    """The state of the new file: the old one with the block's records and rows replaced."""
    lengths = state.lengths[: block.first] + block.lengths + state.lengths[block.stop :]
    columns = [
        old[: block.first - 1] + added + old[block.stop - 1 :]
        for old, added in zip(state.columns, log.columns(), strict=True)
    ]
    return replace(state, raw=raw, lengths=lengths, columns=columns)


def key_sets(fields: Key, columns: list[list[Any]], offered: list[Key]) -> KeySets:
    """The values of each offered key, as a lookup reads them (rows all empty left out)."""
    found: KeySets = {}
    for key in offered:
        picked = [columns[fields.index(name)] for name in key]
        found[key] = frozenset(t for t in zip(*picked, strict=True) if set(t) != {None})
    return found

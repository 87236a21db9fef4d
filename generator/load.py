"""Loading: data packages from disk into plain tables of raw text, never raising.

Every problem that stops a file from being read (bad JSON, a missing or empty
file, an undecodable encoding, broken CSV quoting) becomes a ``Problem``; the
file is then left out and the rest is still loaded, so one run reports
everything. Schema-level checks (types, keys, columns) happen later, in
``generator.validate``.
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from operator import itemgetter
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar

from generator.cache import Cache, make_key
from generator.model import RESOURCES
from generator.problems import Problem, error

if TYPE_CHECKING:
    from generator.validate.csv_records import Block, StrictCsvReading

DESCRIPTOR = "datapackage.json"
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
UTF8_NAMES = frozenset({"utf-8", "utf-8-sig"})
CJK = re.compile(r"[\u4e00-\u9fff]")
T = TypeVar("T")


Records = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Table:
    """One CSV resource as committed: raw text cells, with their row numbers.

    ``records`` holds the cells of each non-blank row, one per header label (a
    short row is padded with empty cells, cells beyond the header are left out);
    ``rows`` gives the same rows as dicts by column name. ``key`` is a hash of
    the file's bytes and of how they are read: results computed from the table
    alone are cached under it.
    """

    package: str
    name: str
    path: str
    file: Path
    schema: dict[str, Any]
    header: tuple[str, ...]
    records: Records
    row_numbers: tuple[int, ...]
    raw: bytes
    key: str = field(default="", compare=False)

    def read_alike(self, other: Table) -> bool:
        """Tell whether ``other`` is the same resource read the same way: place, header, schema.

        Then a row with the same cells and row number in both makes the same entity and
        the same findings (what ``key`` names but the bytes; not the folder, as ``key``).
        """
        place = (self.package, self.name, self.path, self.header)
        if place != (other.package, other.name, other.path, other.header):
            return False
        return other.schema is self.schema or _schema_text(other) == _schema_text(self)

    def changed_rows(self, last: Table) -> list[int]:
        """Indices of the rows whose row number and cells ``last`` (read alike) does not have."""
        if self.row_numbers == last.row_numbers:
            pairs = zip(self.records, last.records, strict=True)
            return [i for i, (new, old) in enumerate(pairs) if new is not old and new != old]
        kept = dict(zip(last.row_numbers, last.records, strict=True))
        rows = zip(self.row_numbers, self.records, strict=True)
        return [i for i, (number, cells) in enumerate(rows) if kept.get(number) != cells]

    def subset(self, indices: Sequence[int]) -> Table:
        """A table of the rows at ``indices`` alone, read as this one (no bytes, no key)."""
        return dataclasses.replace(
            self,
            records=tuple(self.records[i] for i in indices),
            row_numbers=tuple(self.row_numbers[i] for i in indices),
            raw=b"",
            key="",
        )

    @cached_property
    def rows(self) -> tuple[dict[str, str], ...]:
        """Each row as ``{column name: cell}``."""
        header = self.header
        return tuple(dict(zip(header, cells, strict=True)) for cells in self.records)

    def column(self, name: str) -> tuple[str, ...]:
        """The cells of column ``name`` in row order (empty cells if there is no such column)."""
        if name not in self.header:
            return ("",) * len(self.records)
        index = len(self.header) - 1 - self.header[::-1].index(name)  # as in rows: the last wins
        return tuple(map(itemgetter(index), self.records))


@dataclass(frozen=True)
class DataPackage:
    """One data package: its descriptor and those of its Sunshine tables that could be read."""

    name: str
    dir: Path
    path: str
    descriptor: dict[str, Any]
    tables: dict[str, Table]

    def display_path(self, resource_path: str) -> str:
        """Return the display path of a file of this package (relative to the data dir)."""
        folder = PurePosixPath(self.path).parent
        return str(folder / resource_path) if str(folder) != "." else resource_path


def _schema_text(table: Table) -> str:
    # as JSON: a schema saying true is not one saying 1, though Python finds them equal
    return json.dumps(table.schema, sort_keys=True, default=str)


def memo_by_table(cache: Cache, namespace: str, table: Table, compute: Callable[[], T]) -> T:
    """``compute()``, kept in ``cache`` under the table's key: for results of the table alone.

    A table made other than by loading has no key, and is computed every time.
    """
    if not table.key:
        return compute()
    return cache.memo(namespace, make_key(namespace, table.key), compute)


def find_packages(data_dir: Path) -> list[Path]:
    """Return every ``datapackage.json`` in ``data_dir`` or one folder below it, sorted."""
    if not data_dir.is_dir():
        return []
    found = [p for p in data_dir.glob(f"*/{DESCRIPTOR}") if p.is_file()]
    own = data_dir / DESCRIPTOR
    if own.is_file():
        found.append(own)
    return sorted(found)


CSV_FIELD_SIZE_LIMIT = 2_147_483_646  # frictionless.formats.csv.settings.FIELD_SIZE_LIMIT


def load_packages(
    data_dir: Path, cache: Cache | None = None
) -> tuple[list[DataPackage], list[Problem]]:
    """Load every package of ``data_dir``; unusable packages are left out, with problems.

    With a ``cache``, each file is parsed once for its bytes and how it is read.
    """
    _read_csv_as_frictionless_will()
    problems: list[Problem] = []
    packages: list[DataPackage] = []
    descriptors = find_packages(data_dir)
    if not descriptors:
        problems.append(_no_packages(data_dir))
    reading = _Reading(cache or Cache(None))
    for descriptor_file in descriptors:
        package = _load_package(data_dir, descriptor_file, problems, reading)
        if package is None:
            continue
        if any(p.name == package.name for p in packages):
            problems.append(_duplicate_package(package))
            continue
        packages.append(package)
    _last_parsed.clear()
    _last_parsed.update(reading.parsed)
    _last_sources.clear()
    _last_sources.update(reading.sources)
    _last_parsed_root[:] = [reading.cache.root]
    return packages, problems


@dataclass
class _Source:
    """A file's bytes, how they are split into records, and each record's length once known."""

    raw: bytes
    how: tuple[StrictCsvReading, int] | None  # and the field size limit; None: not splittable
    lengths: list[int] | None = None  # in bytes, header first


@dataclass
class _Reading:
    """One load: the cache, and each file's parse by table key, for the next load to reuse."""

    cache: Cache
    parsed: dict[str, _Parsed] = field(default_factory=dict)
    sources: dict[str, _Source] = field(default_factory=dict)

    def parse(
        self, key: str, where: _Where, source: _Source, compute: Callable[[], _Parsed]
    ) -> _Parsed:
        """The parse of the file ``key`` names: the last load's, the cache's, or ``compute()``.

        An edited file's parse is the last load's with the records the edit replaced read
        again, when that can be shown to be the whole parse's (``_spliced``).
        """
        live = _last_parsed_root == [self.cache.root]
        found = _last_parsed.get(key) if live else None
        if found is not None:
            self.cache.keep("tables", key)
            last = _last_sources.get(key)
            source.lengths = last.lengths if last is not None else None
        else:

            def parse() -> _Parsed:
                return (_spliced(where, source) if live else None) or compute()

            found = _same_rows_shared(self.cache.memo("tables", key, parse), where)
        self.parsed[key] = found
        self.sources[key] = source
        return found


# The parses of the last load in this process, by table key (bytes, reading, place and
# schema): a process that loads again (the live preview) takes an unchanged file's from
# memory, and an edited file's rows that did not change are the same objects as before,
# so what is made from rows can tell them by identity (``Table.changed_rows``).
_last_parsed: dict[str, _Parsed] = {}
# the cache folder of the last load: another one must be given the entries it lacks
_last_parsed_root: list[Path | None] = []
# the bytes of the files of the last load, by table key, with their records' lengths
_last_sources: dict[str, _Source] = {}
MIN_SPLICED_RECORDS = 100  # beyond this and a tenth of the file, the whole file is parsed


def _spliced(where: _Where, source: _Source) -> _Parsed | None:
    """The last load's parse of the file at ``where``, the records an edit replaced read again.

    The records before the block the edit replaced are read from the same bytes, and
    those after it from the same bytes starting at a record's start, so they are the
    same records; the block is read with the same csv settings. ``None`` (parse the
    whole file) when the last parse had problems, the reading differs, the header
    changed, or the block cannot be found or read.
    """
    from generator.validate.csv_records import changed_block, record_lengths  # they import load

    last_key = next((k for k, p in _last_parsed.items() if p.where == where), None)
    old = _last_sources.get(last_key) if last_key is not None else None
    if last_key is None or old is None or old.how is None or old.how != source.how:
        return None
    last = _last_parsed[last_key]
    if last.header is None or last.problems:
        return None
    reading = old.how[0]
    if old.lengths is None:
        old.lengths = record_lengths(old.raw, reading)
    if old.lengths is None or (last.row_numbers and last.row_numbers[-1] > len(old.lengths)):
        return None
    limit = max(MIN_SPLICED_RECORDS, len(old.lengths) // 10)
    block = changed_block(old.raw, old.lengths, source.raw, reading, limit)
    if block is None or block.first < 1:  # the header is record 0
        return None
    source.lengths = old.lengths[: block.first] + block.lengths + old.lengths[block.stop :]
    return _with_block(last, block)


def _with_block(last: _Parsed, block: Block) -> _Parsed:
    """``last`` with old records ``block.first`` to ``block.stop`` replaced by the block's.

    Record n is row n + 1 (the header is record 0, row 1); rows after the block move by
    as many records as the block adds. A block row equal to the last one at its row
    number is that one (``Table.changed_rows`` tells rows by identity).
    """
    assert last.header is not None
    cut = bisect_left(last.row_numbers, block.first + 1)
    resume = bisect_left(last.row_numbers, block.stop + 1)
    replaced = dict(zip(last.row_numbers[cut:resume], last.records[cut:resume], strict=True))
    numbers, cells = _split_block(block, len(last.header))
    records = tuple(
        old if (old := replaced.get(n)) == new else new
        for n, new in zip(numbers, cells, strict=True)
    )
    shift = len(block.cells) - (block.stop - block.first)
    after = last.row_numbers[resume:]
    return dataclasses.replace(
        last,
        records=last.records[:cut] + records + last.records[resume:],
        row_numbers=(
            last.row_numbers[:cut] + numbers + (tuple(n + shift for n in after) if shift else after)
        ),
    )


def _split_block(block: Block, width: int) -> tuple[tuple[int, ...], Records]:
    """The row numbers and cells of the block's non-blank records, as ``_split_records`` has."""
    numbers: list[int] = []
    cells: list[tuple[str, ...]] = []
    for number, row in enumerate(block.cells, start=block.first + 1):
        if any(row):
            if len(row) != width:
                row = row[:width] + [""] * (width - len(row))
            numbers.append(number)
            cells.append(tuple(row))
    return tuple(numbers), tuple(cells)


def _same_rows_shared(parsed: _Parsed, where: _Where) -> _Parsed:
    """``parsed``, with each record equal to the last load's at its row number being that one."""
    last = next((p for p in _last_parsed.values() if p.where == where), None)
    if last is None or not parsed.records:
        return parsed
    if last.row_numbers == parsed.row_numbers:
        pairs = zip(parsed.records, last.records, strict=True)
        records = tuple(old if new == old else new for new, old in pairs)
    else:
        kept = dict(zip(last.row_numbers, last.records, strict=True))
        rows = zip(parsed.row_numbers, parsed.records, strict=True)
        records = tuple(old if (old := kept.get(n)) == new else new for n, new in rows)
    return dataclasses.replace(parsed, records=records)


def _no_packages(data_dir: Path) -> Problem:
    where = "does not exist" if not data_dir.exists() else "holds no data package"
    return error(
        "no-packages",
        f"the data folder {data_dir.as_posix()} {where}: put each data package in a folder "
        f"of its own with a {DESCRIPTOR}, e.g. data/lijiang-2019/{DESCRIPTOR}",
        path=DESCRIPTOR,
    )


def _duplicate_package(package: DataPackage) -> Problem:
    return error(
        "package-error",
        f'another package is already named "{package.name}": give each package its own name',
        path=package.path,
        package=package.name,
        field="name",
    )


# Descriptor


def _read_csv_as_frictionless_will() -> None:
    # Frictionless sets the csv module's field size limit for the whole process when its
    # CSV parser is first imported. Set to the same value before every load, a long cell
    # reads the same in a process's first build as in the next ones (``mkdocs serve``),
    # whatever ran before, and as in frictionless, without importing it (0.25 s).
    csv.field_size_limit(CSV_FIELD_SIZE_LIMIT)


def _load_package(
    data_dir: Path, descriptor_file: Path, problems: list[Problem], reading: _Reading
) -> DataPackage | None:
    path = descriptor_file.relative_to(data_dir).as_posix()
    descriptor = _read_descriptor(descriptor_file, path, problems)
    if descriptor is None:
        return None
    name = _package_name(descriptor, descriptor_file.parent, path, problems)
    resources = _usable_resources(descriptor, path, name, problems)
    if name is None or resources is None:
        return None
    package = DataPackage(name, descriptor_file.parent, path, descriptor, {})
    for resource in resources:
        if resource["name"] not in RESOURCES:
            continue  # not Sunshine's: neither read nor published (validation warns)
        if not is_csv_path(resource["path"]):
            problems.append(_not_a_csv_file(package, resource))
            continue  # never read, nor given to frictionless (which crashes on some formats)
        table = _load_table(package, resource, problems, reading)
        if table is not None:
            package.tables[table.name] = table
    return package


def _read_descriptor(file: Path, path: str, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        problems.append(error("invalid-json", f"{DESCRIPTOR} cannot be read: {exc}", path=path))
        return None
    try:
        descriptor = json.loads(text)
    except json.JSONDecodeError as exc:
        message = (
            f"{DESCRIPTOR} is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
            " (look for a missing comma or quote, or a comma before a closing bracket)"
        )
        problems.append(error("invalid-json", message, path=path, row=exc.lineno))
        return None
    if not isinstance(descriptor, dict):
        problems.append(_package_error(path, None, "must hold a JSON object { ... }"))
        return None
    return descriptor


def _package_error(path: str, package: str | None, message: str, **where: Any) -> Problem:
    return error(
        "package-error",
        f"{DESCRIPTOR} is not a usable data package: {message}",
        path=path,
        package=package,
        **where,
    )


def _package_name(
    descriptor: dict[str, Any], folder: Path, path: str, problems: list[Problem]
) -> str | None:
    name = descriptor.get("name", folder.name)
    if isinstance(name, str) and NAME_PATTERN.match(name):
        return name
    problems.append(
        _package_error(
            path,
            None,
            f'the package name "{name}" may only hold lowercase letters, digits and hyphens '
            "(it becomes part of web addresses), e.g. lijiang-2019",
            field="name",
            value=name,
        )
    )
    return None


def _usable_resources(
    descriptor: dict[str, Any], path: str, package: str | None, problems: list[Problem]
) -> list[dict[str, Any]] | None:
    if not isinstance(descriptor.get("resources"), list) or not descriptor["resources"]:
        message = 'it needs a "resources" list naming its CSV files'
        problems.append(_package_error(path, package, message, field="resources"))
        return None
    usable, refused = usable_resources(descriptor)
    for reason in refused:
        problems.append(_package_error(path, package, reason, field="resources"))
    return usable


def usable_resources(descriptor: dict[str, Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """Return the resource entries Sunshine can read, and why each other one cannot be."""
    resources = descriptor.get("resources")
    usable: list[dict[str, Any]] = []
    refused: list[str] = []
    seen: set[str] = set()
    for number, resource in enumerate(resources if isinstance(resources, list) else [], 1):
        problem = _resource_problem(resource, number, seen)
        if problem is None:
            seen.add(resource["name"])
            usable.append(resource)
        else:
            refused.append(problem)
    return usable, refused


def _resource_problem(resource: Any, number: int, seen: set[str]) -> str | None:
    if not isinstance(resource, dict):
        return f"resource {number} must be a JSON object"
    name = resource.get("name")
    if not isinstance(name, str) or not name:
        return f'resource {number} needs a "name"'
    if name in seen:
        return f'two resources are named "{name}": each name may appear once'
    file = resource.get("path")
    if not isinstance(file, str):
        return f'resource "{name}" needs a "path": the name of one CSV file in the package folder'
    if not _is_safe_path(file):
        return (
            f'resource "{name}" has path "{file}": it must be a file inside the package folder, '
            'written with "/" and without "..", e.g. "projects.csv"'
        )
    return None


def _is_safe_path(file: str) -> bool:
    parts = PurePosixPath(file).parts
    return (
        bool(parts)
        and not file.startswith("/")
        and "\\" not in file
        and ":" not in file
        and not any(part in ("..", ".") for part in parts)
    )


def is_csv_path(path: str) -> bool:
    """Tell whether a resource's ``path`` names a CSV file, for Sunshine and frictionless alike.

    The name must end in ``.csv`` (in any case): frictionless picks how to read a file
    by its extension. It reads a path as a web address too, so the name may not hold
    "?" or "#": what follows them would not be part of the file name.
    """
    return PurePosixPath(path).suffix.lower() == ".csv" and not {"?", "#"} & set(path)


def _not_a_csv_file(package: DataPackage, resource: dict[str, Any]) -> Problem:
    name, file = resource["name"], resource["path"]
    if PurePosixPath(file).suffix.lower() == ".csv":
        reason = 'a file name with "?" or "#" cannot be read (as in a web address, they end it)'
        advice = f'rename the file without them, e.g. {name}.csv, and write that name in "path"'
    else:
        reason = "Sunshine reads only CSV files, whose names end in .csv"
        advice = (
            'save the table as CSV UTF-8 (in Excel: "Save as > CSV UTF-8 (comma delimited)") '
            f'and point "path" at the .csv file, e.g. "{name}.csv"'
        )
    return error(
        "not-a-csv-file",
        f'resource "{name}" has path "{file}" in {DESCRIPTOR}: {reason}: {advice}',
        path=package.path,
        package=package.name,
        resource=name,
        field="path",
        value=file,
    )


# Tables


def _load_table(
    package: DataPackage, resource: dict[str, Any], problems: list[Problem], reading: _Reading
) -> Table | None:
    where = _Where(package.display_path(resource["path"]), package.name, resource["name"])
    file = package.dir / resource["path"]
    raw = _read_bytes(file, where, problems)
    if raw is None:
        return None
    schema = resource["schema"] if isinstance(resource.get("schema"), dict) else {}
    key = _table_key(raw, resource, where, schema)
    source = _Source(raw, _splitting(resource))
    parsed = reading.parse(key, where, source, lambda: _parse_table(raw, resource, where))
    problems.extend(parsed.problems)
    if parsed.header is None:
        return None
    return Table(
        package=package.name,
        name=where.resource,
        path=where.path,
        file=file,
        schema=schema,
        header=parsed.header,
        records=parsed.records,
        row_numbers=parsed.row_numbers,
        raw=raw,
        key=key,
    )


def _table_key(raw: bytes, resource: dict[str, Any], where: _Where, schema: dict[str, Any]) -> str:
    # what a table and every check of it alone depend on: bytes, reading, place, schema; and
    # the csv module's field size limit, which is process-wide and which frictionless raises
    # once it has read a CSV (a longer cell is a csv-error only below the limit)
    how = [resource.get("encoding"), _delimiter(resource), csv.field_size_limit(), where.path]
    text = json.dumps([*how, where.package, where.resource, schema], sort_keys=True)
    return make_key("table", raw, text)


@dataclass(frozen=True)
class _Parsed:
    """A file read as a table: where, its problems, and header and records unless unreadable."""

    where: _Where
    problems: tuple[Problem, ...]
    header: tuple[str, ...] | None = None
    records: Records = ()
    row_numbers: tuple[int, ...] = ()


def _splitting(resource: dict[str, Any]) -> tuple[StrictCsvReading, int] | None:
    """How ``_parse_table`` splits the file into records, if its bytes can be split alike.

    In the encodings of ``LINE_SAFE_ENCODINGS`` a line end byte is always a line end.
    """
    from generator.validate.csv_records import (  # they import load
        CSV_SETTINGS,
        LINE_SAFE_ENCODINGS,
        StrictCsvReading,
    )

    encoding = _codec_name(resource.get("encoding"))
    encoding = "utf-8-sig" if encoding in UTF8_NAMES else encoding
    if encoding not in LINE_SAFE_ENCODINGS:
        return None
    dialect = csv.excel()  # the reader's dialect in ``_parse_csv``
    dialect.delimiter = _delimiter(resource)
    settings = tuple((name, getattr(dialect, name)) for name in CSV_SETTINGS)
    return StrictCsvReading(str(encoding), settings), csv.field_size_limit()


def _parse_table(raw: bytes, resource: dict[str, Any], where: _Where) -> _Parsed:
    problems: list[Problem] = []
    records = _read_records(raw, resource, where, problems)
    if records is None:
        return _Parsed(where, tuple(problems))
    return _Parsed(where, tuple(problems), *_split_records(records))


def _read_records(
    raw: bytes, resource: dict[str, Any], where: _Where, problems: list[Problem]
) -> list[list[str]] | None:
    text = _decode(raw, resource.get("encoding"), where, problems)
    if text is None:
        return None
    if not text.strip():
        problems.append(where.error("empty-file", _EMPTY_FILE.format(file=where.path)))
        return None
    return _parse_csv(text, _delimiter(resource), where, problems)


_EMPTY_FILE = (
    "{file} is empty: it needs at least the header row with the column names "
    "(copy it from the schema in datapackage.json)"
)


@dataclass(frozen=True)
class _Where:
    """Where a file-level problem is: display path, package and resource."""

    path: str
    package: str
    resource: str

    def error(self, code: str, message: str, **where: Any) -> Problem:
        return error(
            code, message, path=self.path, package=self.package, resource=self.resource, **where
        )


def _read_bytes(file: Path, where: _Where, problems: list[Problem]) -> bytes | None:
    try:
        return file.read_bytes()
    except FileNotFoundError:
        message = (
            f'the file {where.path} of resource "{where.resource}" does not exist: '
            f'add it, or correct the resource\'s "path" in {DESCRIPTOR}'
        )
        problems.append(where.error("missing-file", message))
    except OSError as exc:
        message = f'the file {where.path} of resource "{where.resource}" cannot be read: {exc}'
        problems.append(where.error("unreadable-file", message))
    return None


def _decode(raw: bytes, declared: Any, where: _Where, problems: list[Problem]) -> str | None:
    encoding = _codec_name(declared)
    if encoding is None:
        message = (
            f'resource "{where.resource}" declares the unknown encoding "{declared}": '
            'remove it (UTF-8 is the default) or write "gbk"'
        )
        problems.append(where.error("encoding-error", message, field=None, value=str(declared)))
        return None
    try:
        return raw.decode("utf-8-sig" if encoding in UTF8_NAMES else encoding)
    except UnicodeDecodeError as exc:
        problems.append(_encoding_problem(raw, exc, where))
        return None


def _codec_name(declared: Any) -> str | None:
    if declared is None:
        return "utf-8"
    try:
        return codecs.lookup(str(declared)).name
    except LookupError:
        return None


def _encoding_problem(raw: bytes, exc: UnicodeDecodeError, where: _Where) -> Problem:
    line = raw.count(b"\n", 0, exc.start) + 1
    start = f"{where.path} cannot be read as {exc.encoding.upper()} (line {line})"
    return where.error("encoding-error", f"{start}: {_encoding_advice(raw, exc)}")


def _encoding_advice(raw: bytes, exc: UnicodeDecodeError) -> str:
    if exc.encoding not in UTF8_NAMES:
        return 'check the "encoding" declared for the resource, or save the file as CSV UTF-8'
    if _looks_like_gbk(raw):
        return (
            "it looks like GBK, the encoding Excel on Chinese Windows uses for CSV: save it "
            'with "Save as > CSV UTF-8 (comma delimited)", or declare "encoding": "gbk" on the '
            f"resource in {DESCRIPTOR}"
        )
    return 'save it as UTF-8 (in Excel: "Save as > CSV UTF-8 (comma delimited)")'


def _looks_like_gbk(raw: bytes) -> bool:
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return bool(CJK.search(text))


def _delimiter(resource: dict[str, Any]) -> str:
    dialect = resource.get("dialect")
    if isinstance(dialect, dict):
        delimiter = dialect.get("delimiter")
        if isinstance(delimiter, str) and len(delimiter) == 1:
            return delimiter
    return ","


def _parse_csv(
    text: str, delimiter: str, where: _Where, problems: list[Problem]
) -> list[list[str]] | None:
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        records.extend(reader)
    except csv.Error as exc:
        problems.append(_csv_problem(exc, len(records) + 1, reader.line_num, where))
        return None
    return records


def _csv_problem(exc: csv.Error, row: int, line: int, where: _Where) -> Problem:
    message = (
        f"the CSV quoting is broken from row {row} (near line {line}: {exc}): a value that "
        'starts with a double quote (") must end with one, and a quote inside a quoted value '
        'is written twice (""). Open the file in a spreadsheet and save it again as CSV UTF-8'
    )
    return where.error("csv-error", message, row=row)


def _split_records(records: list[list[str]]) -> tuple[tuple[str, ...], Records, tuple[int, ...]]:
    header = tuple(records[0]) if records else ()
    width = len(header)
    cells: list[tuple[str, ...]] = []
    numbers: list[int] = []
    for number, row in _data_records(records):
        if len(row) != width:
            row = row[:width] + [""] * (width - len(row))
        cells.append(tuple(row))
        numbers.append(number)
    return header, tuple(cells), tuple(numbers)


def _data_records(records: list[list[str]]) -> Iterator[tuple[int, list[str]]]:
    """Yield (row number, cells) of non-blank rows; the header is row 1."""
    for number, cells in enumerate(records[1:], start=2):
        if any(cells):
            yield number, cells

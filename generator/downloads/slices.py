"""Slices: the rows behind a page as a small CSV, e.g. a project's funds.

A slice holds the resource's header and exactly the rows the page shows (the
model's rows: a duplicate id left out of the model is left out here too), in the
order of the canonical file. Each row is the text of its record in the canonical
CSV, so a slice's lines are byte-identical to the canonical file's. Files that
are not comma-separated UTF-8 (or whose header differs from the first package's)
are written again with the csv module, in UTF-8. Rows are grouped in one pass
over each resource per page kind, so the cost grows with the number of rows, not
with pages × rows.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from itertools import accumulate, chain, repeat
from operator import attrgetter
from typing import TypeVar

from generator import paths
from generator.cache import Cache, make_key
from generator.downloads.formats import common_prefix
from generator.downloads.resources import Resource
from generator.downloads.tables import fingerprint
from generator.model import Entity, Model, Project
from generator.site import SiteFile

UTF8 = ("utf-8", "utf8", "utf-8-sig")
SLICED = ("projects", "funds", "benefits")  # the resources whose rows pages show
E = TypeVar("E", bound=Entity)
# What decides which slices a row goes in, attribute by attribute (see ``plan_key``)
_DECIDING = {
    "projects": ("id", "origin.path", "origin.row", "program", "region", "year"),
    "funds": ("origin.path", "origin.row", "project", "source_type"),
    "benefits": ("origin.path", "origin.row", "project"),
}
_NONE: dict[int, int] = {}


@dataclass
class Lines:
    """The header line and every row's line of one resource, across packages, in file order."""

    header: bytes
    terminator: str
    lines: list[bytes] = field(default_factory=list)
    # display path of a file -> row number -> position of the row's line in ``lines``
    positions: dict[str, dict[int, int]] = field(default_factory=dict)
    layout: str = ""  # a digest of ``positions``: which row is where, whatever the rows say

    def csv(self, positions: Iterable[int]) -> bytes:
        """The slice of the lines at these positions (given in file order), under the header."""
        return self.header + b"".join(map(self.lines.__getitem__, positions))


def cached_lines(resources: Sequence[Resource], cache: Cache) -> Lines:
    """``resource_lines``, from the cache when none of the files changed.

    When a file changed since the last build of the process, only the records around
    the bytes that changed are read again (``edited_lines``).
    """
    parts = [part for r in resources for part in (r.table.path, fingerprint(r))]
    last = _last_lines.get(resources[0].name)
    made = partial(_lines_again, resources, last)
    lines = cache.memo("downloads-lines", make_key(*parts), made)
    only = resources[0].table if len(resources) == 1 else None
    if only is not None:
        _last_lines[resources[0].name] = _KeptLines(only.raw, only.row_numbers, lines)
    else:
        _last_lines.pop(resources[0].name, None)
    return lines


@dataclass(frozen=True)
class _KeptLines:
    """A resource's lines as the last build made them from one file, and that file."""

    raw: bytes
    row_numbers: tuple[int, ...]
    lines: Lines


# The last build's lines of each sliced resource read from one file
_last_lines: dict[str, _KeptLines] = {}


def _lines_again(resources: Sequence[Resource], last: _KeptLines | None) -> Lines:
    if last is not None and len(resources) == 1:
        found = edited_lines(resources[0], last.lines, last.raw, last.row_numbers)
        if found is not None:
            return found
    return resource_lines(resources)


_MARGIN = 1 << 16  # bytes read past an edit for the records to fall in step again


def edited_lines(
    resource: Resource, old: Lines, raw: bytes, row_numbers: tuple[int, ...]
) -> Lines | None:
    """The lines of an edited file from those of its last version, ``raw`` (``old``).

    Only the records around the bytes that differ are read again. ``None`` unless
    both versions are plain files whose records are all rows, each ending its line,
    and the edit kept every row's number (then the lines are in the same places).
    """
    table = resource.table
    new = table.raw
    if not (_exact(old, raw, row_numbers) and _is_plain(resource)):
        return None
    if table.row_numbers != row_numbers or table.path not in old.positions:
        return None
    if new.startswith(codecs.BOM_UTF8):
        return None
    starts = list(accumulate(map(len, old.lines), initial=len(old.header)))  # and the end
    same = common_prefix(raw, new)
    if same < len(old.header):
        return None
    first = bisect_right(starts, same) - 1
    changed_end = len(new) - _common_suffix(raw, new, min(len(raw), len(new)) - same)
    found = _records_from(new, starts[first], changed_end, starts, len(new) - len(raw))
    if found is None:
        return None
    texts, after = found
    if after - first != len(texts):
        return None
    lines = [*old.lines[:first], *texts, *old.lines[after:]]
    return Lines(old.header, old.terminator, lines, old.positions, old.layout)


def _exact(old: Lines, raw: bytes, row_numbers: tuple[int, ...]) -> bool:
    """Whether ``raw`` is the header line and the lines, one record a row (no BOM, no blanks)."""
    if not row_numbers or raw.startswith(codecs.BOM_UTF8) or len(old.positions) != 1:
        return False
    contiguous = row_numbers[0] == 2 and row_numbers[-1] == len(row_numbers) + 1
    return contiguous and len(raw) == len(old.header) + sum(map(len, old.lines))


def _records_from(
    new: bytes, start: int, changed_end: int, starts: list[int], moved: int
) -> tuple[list[bytes], int] | None:
    """The records of ``new`` from ``start`` until they fall in step with the old ones again.

    Returns their bytes and the number of the old line they are in step with, or
    ``None`` when that does not happen within a margin past the edit.
    """
    stop = new.find(b"\n", changed_end + _MARGIN)
    window = new[start : len(new) if stop < 0 else stop + 1]
    try:
        text = window.decode("utf-8")
    except UnicodeDecodeError:
        return None
    texts, at = [], start
    for record in _split_records(text):
        if not record.endswith(("\n", "\r")):
            return None
        line = record.encode("utf-8")
        texts.append(line)
        at += len(line)
        if at >= changed_end:
            number = bisect_left(starts, at - moved)
            if number < len(starts) and starts[number] == at - moved:
                return texts, number
    return None


def _split_records(text: str) -> Iterator[str]:
    """The exact text of each record, as ``_records`` splits a whole file."""
    physical = io.StringIO(text, newline="").readlines()
    reader = csv.reader(physical, strict=True)
    start = 0
    try:
        for _ in reader:
            end = reader.line_num
            yield physical[start] if end == start + 1 else "".join(physical[start:end])
            start = end
    except csv.Error:  # cut inside a quoted cell: never in step
        return


def _common_suffix(a: bytes, b: bytes, most: int) -> int:
    """How many bytes ``a`` and ``b`` end with alike, at most ``most``."""
    at, step = 0, 1 << 16
    while step:
        while (
            at + step <= most
            and a[len(a) - at - step : len(a) - at] == b[len(b) - at - step : len(b) - at]
        ):
            at += step
        step //= 2
    return at


def resource_lines(resources: Sequence[Resource]) -> Lines:
    """The lines of a resource whose tables (one per package) are given in package order."""
    first = resources[0]
    records = _records(first) if _is_plain(first) else None
    header_line = records[0] if records else _line(first.table.header, "\r\n")
    terminator = header_line[len(header_line.rstrip("\r\n")) :] or "\n"
    lines = Lines(_terminated(header_line, terminator).encode("utf-8"), terminator)
    for resource in resources:
        _add_rows(lines, resource, first.table.header, records if resource is first else None)
    lines.layout = hashlib.sha256(repr(lines.positions).encode("utf-8")).hexdigest()
    return lines


def _add_rows(
    lines: Lines, resource: Resource, header: tuple[str, ...], records: list[str] | None
) -> None:
    """Add the table's rows: their records as written, or written again when not plain."""
    table, end = resource.table, lines.terminator
    texts: Iterable[str]
    if _is_plain(resource) and table.header == header:
        found = records if records is not None else _records(resource)
        texts = (_terminated(found[number - 1], end) for number in table.row_numbers)
    else:
        texts = (_line([row.get(c, "") for c in header], end) for row in table.rows)
    positions = lines.positions.setdefault(table.path, {})
    for number, text in zip(table.row_numbers, texts, strict=True):
        positions[number] = len(lines.lines)
        lines.lines.append(text.encode("utf-8"))


def _is_plain(resource: Resource) -> bool:
    return resource.encoding.lower() in UTF8 and resource.delimiter == ","


def _records(resource: Resource) -> list[str]:
    """The exact text of each record of the file (header first), line ending included.

    Split like the loader splits it, so record ``n`` is the loader's row ``n``; the
    reader counts the lines each record takes (more than one when a quoted cell
    holds a line break).
    """
    text = resource.table.raw.decode("utf-8-sig")
    physical = io.StringIO(text, newline="").readlines()
    reader = csv.reader(physical, delimiter=resource.delimiter, strict=True)
    records: list[str] = []
    start = 0
    for _ in reader:
        end = reader.line_num
        records.append(physical[start] if end == start + 1 else "".join(physical[start:end]))
        start = end
    return records


def _terminated(line: str, terminator: str) -> str:
    return line if line.endswith(("\n", "\r")) else line + terminator


def _line(cells: Sequence[str], terminator: str) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator=terminator).writerow(cells)
    return out.getvalue()


# Which rows are behind which page

Keys = Callable[[Project], tuple[str, ...]]
Groups = dict[str, list[str]]  # page key -> ids of its projects
Entries = list[tuple[str, str, str, list[int]]]  # kind, resource, page, positions of lines


@dataclass(frozen=True)
class Plan:
    """Which lines go in which slice, slice by slice in the order they are written.

    Held in flat lists and arrays, not a tuple per slice: read back from the cache
    with the model in memory, 40,000 tuples would set off the garbage collector,
    which then walks every object of the model.
    """

    kinds: list[str]
    resources: list[str]
    pages: list[str]
    ends: array[int]  # the positions of slice i end at ends[i] in ``positions``
    positions: array[int]

    @classmethod
    def of(cls, entries: Entries) -> Plan:
        """The plan of (kind, resource, page, positions) entries."""
        ends = array("I", accumulate(len(e[3]) for e in entries))
        positions = array("I", chain.from_iterable(e[3] for e in entries))
        kinds = [kind for kind, _, _, _ in entries]
        resources = [resource for _, resource, _, _ in entries]
        pages = [page for _, _, page, _ in entries]
        return cls(kinds, resources, pages, ends, positions)

    def slices(self) -> Iterator[tuple[str, str, str, array[int]]]:
        """Each slice: its kind, resource, page and the positions of its lines."""
        start = 0
        for kind, resource, page, end in zip(
            self.kinds, self.resources, self.pages, self.ends, strict=True
        ):
            yield kind, resource, page, self.positions[start:end]
            start = end


def build_slices(
    model: Model, lines: Mapping[str, Lines], cache: Cache | None = None
) -> Iterator[SiteFile]:
    """Every slice CSV: for each page kind, its projects and their funds and benefits.

    A page of a region, program or year shows its projects and their funds and
    benefits; a project page its funds and benefits; a funding source page its funds.
    Which rows go in which slice is kept in the cache under everything it is worked
    out from, so an edit that moves no row between pages only joins lines again.
    """
    if cache is None or cache.root is None:  # the key costs a pass over the model
        plan = slice_plan(model, lines)
    else:
        plan = cache.memo(
            "downloads-slices", plan_key(model, lines), partial(slice_plan, model, lines)
        )
    last = _last_slices[0] if _last_slices else None
    if last is not None and last.plan is plan:
        # what is worked out of the plan alone is kept with it
        kept = _Slices(plan, dict(lines), last.again(lines), last.stretches, last.packed)
    else:
        files = [
            SiteFile(paths.slice_csv(kind, page, resource), lines[resource].csv(positions))
            for kind, resource, page, positions in plan.slices()
        ]
        kept = _Slices(plan, dict(lines), files)
    _last_slices[:] = [kept]
    files = kept.files
    yield from files


@dataclass
class _Slices:
    """One build's slices: the plan and lines they were joined from, the files in plan order."""

    plan: Plan
    lines: dict[str, Lines]
    files: list[SiteFile]
    # (resource, first, end) of each stretch of slices of one resource, in plan order
    stretches: list[tuple[str, int, int]] = field(default_factory=list)
    packed: bytes = b""  # the plan's positions as bytes, searched for the lines that changed

    def again(self, lines: Mapping[str, Lines]) -> list[SiteFile]:
        """The slices of the same plan over ``lines``: those whose lines are unchanged reused."""
        files: list[SiteFile] = []
        for resource, first, end in self._stretches():
            files += self.files[first:end]
            if lines[resource] is not self.lines[resource]:
                for i in self._changed(resource, lines[resource], first, end):
                    files[i] = self._joined(i, lines[resource])
        return files

    def _stretches(self) -> list[tuple[str, int, int]]:
        if not self.stretches:
            resources = self.plan.resources
            starts = [
                i for i in range(len(resources)) if i == 0 or resources[i - 1] != resources[i]
            ]
            ends = [*starts[1:], len(resources)]
            self.stretches = [(resources[a], a, b) for a, b in zip(starts, ends, strict=True)]
        return self.stretches

    def _changed(self, resource: str, lines: Lines, first: int, end: int) -> Iterable[int]:
        """The slices in ``first:end`` holding a line that differs from the last build's."""
        old = self.lines[resource]
        moved = _moved_lines(old, lines)
        if moved is None:
            return range(first, end)  # every slice of the resource, joined again
        if not self.packed:
            self.packed = self.plan.positions.tobytes()
        ends, size = self.plan.ends, self.plan.positions.itemsize
        low = ends[first - 1] if first else 0
        found: set[int] = set()
        for position in moved:
            needle = array("I", [position]).tobytes()
            at = self.packed.find(needle, low * size, ends[end - 1] * size)
            while at >= 0:
                if at % size == 0:  # a whole item, not bytes across two
                    found.add(bisect_right(ends, at // size))
                at = self.packed.find(needle, at + 1, ends[end - 1] * size)
        return sorted(found)

    def _joined(self, i: int, lines: Lines) -> SiteFile:
        plan = self.plan
        start = plan.ends[i - 1] if i else 0
        content = lines.csv(plan.positions[start : plan.ends[i]])
        return SiteFile(paths.slice_csv(plan.kinds[i], plan.pages[i], plan.resources[i]), content)


_FEW = 64  # more changed lines than this: the resource's slices are all joined again
_STRIDE = 512


def _moved_lines(old: Lines, new: Lines) -> list[int] | None:
    """The positions whose line differs, or ``None`` when the lines differ otherwise or in many."""
    if old.header != new.header or len(old.lines) != len(new.lines):
        return None
    a, b = old.lines, new.lines
    found: list[int] = []
    for start in range(0, len(a), _STRIDE):  # compared a stretch at a time, in C
        if a[start : start + _STRIDE] != b[start : start + _STRIDE]:
            found += [i for i in range(start, min(start + _STRIDE, len(a))) if a[i] != b[i]]
            if len(found) > _FEW:
                return None
    return found


# The last build's slices: the cache keeps lines and plans in memory, so in a process
# that builds again (the live preview) an unchanged resource has the same lines object
# and its slices (most of the downloads' files) are yielded as they were; of an edited
# resource only the slices holding an edited line are joined again.
_last_slices: list[_Slices] = []


def plan_key(model: Model, lines: Mapping[str, Lines]) -> str:
    """A key of everything ``slice_plan`` reads: the ids, places, origins of the rows and lines.

    Titles, amounts and the other cells that decide no slice are left out: they
    are in the lines, which are joined again on every build.
    """
    rows: dict[str, Sequence[Entity]] = {
        "projects": tuple(model.projects.values()),
        "funds": model.funds,
        "benefits": model.benefits,
    }
    parts = [
        _rows_part(model, resource, rows[resource], names) for resource, names in _DECIDING.items()
    ]
    parts += [
        _part(model, "regions", partial(_places, model)),
        _part(model, "programs", lambda: repr(list(model.programs))),
    ]
    parts += [f"{n} {lines[n].layout}" for n in sorted(lines)]
    return make_key("slices", *parts)


def _deciding(rows: Iterable[Entity], names: Sequence[str]) -> str:
    # flat: each row's tuple is dropped at once, left for no garbage collection
    return repr(list(chain.from_iterable(map(attrgetter(*names), rows))))


def _places(model: Model) -> str:
    return repr([list(model.regions), [r.parent for r in model.regions.values()]])


def _part(model: Model, resource: str, text: Callable[[], str]) -> str:
    """A digest of ``text()``, what the plan reads of ``resource``'s rows.

    Kept from the last build while the rows are unchanged (the tables' digest), so a
    rebuild reads again only the rows of edited tables.
    """
    digest = model.digest_of(resource)
    last = _last_parts.get(resource)
    if digest is not None and last is not None and last[0] == digest:
        return last[1]
    part = make_key(resource, text())
    if digest is not None:
        _last_parts[resource] = (digest, part)
    return part


# The last build's key part of each resource, by the digest of its tables (bytes, reading,
# place, schema: equal digests mean equal rows)
_last_parts: dict[str, tuple[str, str]] = {}


def _rows_part(model: Model, resource: str, rows: Sequence[Entity], names: Sequence[str]) -> str:
    """``_part`` of the attributes ``names`` of ``rows``, found again after an edit.

    When the rows differ from the last build's only in rows whose ``names`` are
    the same, the key part is the last one: a title edit reads no row again.
    """
    last = _last_rows.get(resource)
    if last is not None and last[0] == names and _same_deciding(last[1], rows, names):
        part = last[2]
        digest = model.digest_of(resource)
        if digest is not None:
            _last_parts[resource] = (digest, part)
    else:
        part = _part(model, resource, partial(_deciding, rows, names))
    _last_rows[resource] = (tuple(names), rows, part)
    return part


def _same_deciding(old: Sequence[Entity], new: Sequence[Entity], names: Sequence[str]) -> bool:
    """Whether the rows have the same ``names`` in the same order (few differing rows checked)."""
    if len(old) != len(new):
        return False
    deciding = attrgetter(*names)
    checked = 0
    for start in range(0, len(old), _STRIDE):  # compared a stretch at a time, in C
        a, b = old[start : start + _STRIDE], new[start : start + _STRIDE]
        if a == b:
            continue
        for x, y in zip(a, b, strict=True):
            if x is not y and repr(deciding(x)) != repr(deciding(y)):
                return False
            checked += x is not y
        if checked > _FEW:
            return False
    return True


# The last build's rows of each sliced resource, with the names read and the key part
_last_rows: dict[str, tuple[tuple[str, ...], Sequence[Entity], str]] = {}


def slice_plan(model: Model, lines: Mapping[str, Lines]) -> Plan:
    """Which lines go in which slice, slice by slice in the order they are written."""
    return Plan.of(_entries(model, lines))


def _entries(model: Model, lines: Mapping[str, Lines]) -> Entries:
    rows = _Rows.of(model, lines)
    region_path = _cached(model.region_path)
    kinds: list[tuple[str, Keys, Iterable[str]]] = [
        ("programs", lambda p: (p.program,), model.programs),
        ("projects", lambda p: (p.id,), model.projects),
        ("regions", lambda p: region_path(p.region), model.regions),
        ("years", lambda p: (str(p.year),), {str(p.year) for p in model.projects.values()}),
    ]
    entries: Entries = []
    for kind, keys, known in kinds:
        entries += _kind_entries(rows, lines, kind, _projects_of_pages(model, keys, known))
    if "funds" in lines:
        entries += [
            ("sources", "funds", key, rows.by_source[key]) for key in sorted(rows.by_source)
        ]
    return entries


@dataclass(frozen=True)
class _Rows:
    """Positions of the model's rows in their resource's lines, by project (funds by source too)."""

    projects: dict[str, list[int]]
    funds: dict[str, list[int]]
    benefits: dict[str, list[int]]
    by_source: dict[str, list[int]]

    @classmethod
    def of(cls, model: Model, lines: Mapping[str, Lines]) -> _Rows:
        """Found in one pass over each resource (two over funds)."""
        funds = lines.get("funds")
        return cls(
            _positions(model.projects.values(), lines.get("projects"), attrgetter("id")),
            _positions(model.funds, funds, attrgetter("project")),
            _positions(model.benefits, lines.get("benefits"), attrgetter("project")),
            _positions(model.funds, funds, attrgetter("source_type")),
        )


def _positions(
    entities: Iterable[E], lines: Lines | None, key: Callable[[E], str]
) -> dict[str, list[int]]:
    """Line positions of the entities that have a line, by key, in file order."""
    found: dict[str, list[int]] = defaultdict(list)
    at = lines.positions if lines is not None else {}
    for entity in entities:
        origin = entity.origin
        position = at.get(origin.path, _NONE).get(origin.row)
        if position is not None:
            found[key(entity)].append(position)
    return {k: sorted(positions) for k, positions in found.items()}


def _projects_of_pages(model: Model, keys: Keys, known: Iterable[str]) -> Groups:
    """The ids of the projects behind each page of a kind; known pages may have none."""
    groups: Groups = {key: [] for key in known}
    for project in model.projects.values():
        for key in keys(project):
            groups.setdefault(key, []).append(project.id)
    return groups


def _kind_entries(rows: _Rows, lines: Mapping[str, Lines], kind: str, groups: Groups) -> Entries:
    """The projects (except on project pages), funds and benefits behind each page of a kind."""
    found = {"funds": rows.funds, "benefits": rows.benefits}
    if kind != "projects":
        found["projects"] = rows.projects
    return [
        (kind, resource, key, _gathered(found[resource], groups[key]))
        for resource in sorted(found)
        if resource in lines
        for key in sorted(groups)
    ]


def _gathered(by_project: Mapping[str, list[int]], projects: Sequence[str]) -> list[int]:
    """The positions of the projects' rows, in file order."""
    if len(projects) == 1:
        return by_project.get(projects[0], [])
    return sorted(chain.from_iterable(map(by_project.get, projects, repeat([], len(projects)))))


def _cached(function: Callable[[str], tuple[str, ...]]) -> Callable[[str], tuple[str, ...]]:
    cache: dict[str, tuple[str, ...]] = {}

    def cached(key: str) -> tuple[str, ...]:
        if key not in cache:
            cache[key] = function(key)
        return cache[key]

    return cached

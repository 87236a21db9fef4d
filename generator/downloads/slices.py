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

import csv
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from generator import paths
from generator.downloads.resources import Resource
from generator.model import Benefit, Entity, Fund, Model, Project
from generator.site import SiteFile

UTF8 = ("utf-8", "utf8", "utf-8-sig")
E = TypeVar("E", bound=Entity)


@dataclass
class Lines:
    """The header line and every row's line of one resource, across packages, by origin."""

    header: bytes
    terminator: str
    rows: dict[tuple[str, int], tuple[int, bytes]]  # (path, row number) -> (order, line)

    def in_file_order(self, entities: Iterable[E]) -> list[E]:
        """The entities that have a line, in the order of the canonical files."""
        found = [(self.rows.get((e.origin.path, e.origin.row)), e) for e in entities]
        return [
            e
            for line, e in sorted(
                ((line, e) for line, e in found if line is not None), key=lambda pair: pair[0][0]
            )
        ]

    def csv(self, entities: Iterable[Entity]) -> bytes:
        """The slice of these entities (given in file order): header, then their lines."""
        found = (self.rows.get((e.origin.path, e.origin.row)) for e in entities)
        return self.header + b"".join(line for _, line in filter(None, found))


def resource_lines(resources: Sequence[Resource]) -> Lines:
    """The lines of a resource whose tables (one per package) are given in package order."""
    first = resources[0]
    records = _records(first) if _is_plain(first) else [_line(first.table.header, "\r\n")]
    header_line = records[0]
    terminator = header_line[len(header_line.rstrip("\r\n")) :] or "\n"
    lines = Lines(_terminated(header_line, terminator).encode("utf-8"), terminator, {})
    for resource in resources:
        _add_rows(lines, resource, first.table.header)
    return lines


def _add_rows(lines: Lines, resource: Resource, header: tuple[str, ...]) -> None:
    table = resource.table
    same = _is_plain(resource) and table.header == header
    records = _records(resource) if same else []
    for row, number in zip(table.rows, table.row_numbers, strict=True):
        if same:
            text = _terminated(records[number - 1], lines.terminator)
        else:
            text = _line([row.get(column, "") for column in header], lines.terminator)
        lines.rows[(table.path, number)] = (len(lines.rows), text.encode("utf-8"))


def _is_plain(resource: Resource) -> bool:
    return resource.encoding.lower() in UTF8 and resource.delimiter == ","


def _records(resource: Resource) -> list[str]:
    """The exact text of each record of the file (header first), line ending included.

    Split like the loader splits it, so record ``n`` is the loader's row ``n``.
    """
    text = resource.table.raw.decode("utf-8-sig")
    consumed: list[str] = []

    def lines() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            consumed.append(line)
            yield line

    records: list[str] = []
    for _ in csv.reader(lines(), delimiter=resource.delimiter, strict=True):
        records.append("".join(consumed))
        consumed.clear()
    return records


def _terminated(line: str, terminator: str) -> str:
    return line if line.endswith(("\n", "\r")) else line + terminator


def _line(cells: Sequence[str], terminator: str) -> str:
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator=terminator).writerow(cells)
    return out.getvalue()


# Which rows are behind which page

Keys = Callable[[Project], tuple[str, ...]]


def build_slices(model: Model, lines: Mapping[str, Lines]) -> Iterator[SiteFile]:
    """Every slice CSV: for each page kind, its projects and their funds and benefits.

    A page of a region, program or year shows its projects and their funds and
    benefits; a project page its funds and benefits; a funding source page its funds.
    """
    region_path = _cached(model.region_path)
    kinds: list[tuple[str, Keys, Iterable[str]]] = [
        ("programs", lambda p: (p.program,), model.programs),
        ("projects", lambda p: (p.id,), model.projects),
        ("regions", lambda p: region_path(p.region), model.regions),
        ("years", lambda p: (str(p.year),), {str(p.year) for p in model.projects.values()}),
    ]
    rows = _rows_in_file_order(model, lines)
    for kind, keys, known in kinds:
        yield from _kind_slices(model, rows, lines, kind, keys, known)
    if "funds" in lines:
        by_source = _group(rows.funds, lambda f: (f.source_type,), ())
        yield from _slice_files("sources", "funds", by_source, lines["funds"])


@dataclass(frozen=True)
class _Rows:
    """The model's projects, funds and benefits in the order of the canonical files."""

    projects: list[Project]
    funds: list[Fund]
    benefits: list[Benefit]


def _rows_in_file_order(model: Model, lines: Mapping[str, Lines]) -> _Rows:
    # Sorted once here, so every group filled in one pass is already in file order.
    def ordered(name: str, entities: Iterable[E]) -> list[E]:
        return lines[name].in_file_order(entities) if name in lines else []

    return _Rows(
        ordered("projects", model.projects.values()),
        ordered("funds", model.funds),
        ordered("benefits", model.benefits),
    )


def _kind_slices(
    model: Model,
    rows: _Rows,
    lines: Mapping[str, Lines],
    kind: str,
    keys: Keys,
    known: Iterable[str],
) -> Iterator[SiteFile]:
    """The projects (except on project pages), funds and benefits behind each page of a kind."""
    of_project = {p.id: keys(p) for p in model.projects.values()}
    known = list(known)
    funds = _group(rows.funds, lambda f: of_project.get(f.project, ()), known)
    benefits = _group(rows.benefits, lambda b: of_project.get(b.project, ()), known)
    groups: dict[str, Mapping[str, Sequence[Entity]]] = {"funds": funds, "benefits": benefits}
    if kind != "projects":
        projects = _group(rows.projects, lambda p: of_project[p.id], known)
        groups["projects"] = projects
    for resource in sorted(groups):
        if resource in lines:
            yield from _slice_files(kind, resource, groups[resource], lines[resource])


def _group(
    entities: Iterable[E], keys: Callable[[E], Iterable[str]], known: Iterable[str]
) -> dict[str, list[E]]:
    """One pass: each entity into the group of every key it has; known keys may stay empty."""
    groups: dict[str, list[E]] = {key: [] for key in known}
    for entity in entities:
        for key in keys(entity):
            groups.setdefault(key, []).append(entity)
    return groups


def _slice_files(
    kind: str, resource: str, groups: Mapping[str, Sequence[Entity]], lines: Lines
) -> Iterator[SiteFile]:
    for key in sorted(groups):
        yield SiteFile(paths.slice_csv(kind, key, resource), lines.csv(groups[key]))


def _cached(function: Callable[[str], tuple[str, ...]]) -> Callable[[str], tuple[str, ...]]:
    cache: dict[str, tuple[str, ...]] = {}

    def cached(key: str) -> tuple[str, ...]:
        if key not in cache:
            cache[key] = function(key)
        return cache[key]

    return cached

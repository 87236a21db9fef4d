"""The model: typed entities built from validated packages, with the indexes pages need.

Built only from packages that passed schema-level validation, so conversions here
cannot fail on bad data. On duplicate ids across packages the first occurrence
wins; the validator reports the duplicate.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from generator.reuse import same_objects

if TYPE_CHECKING:
    from generator.load import DataPackage, Table

SCHEMA_DIR = Path(__file__).parent / "schemas"
RESOURCES = (
    "regions",
    "organizations",
    "programs",
    "projects",
    "funds",
    "benefits",
    "announcements",
    "reported_totals",
)


@dataclass(frozen=True)
class Origin:
    """Where a row comes from: display path of its file and its line (header = 1)."""

    path: str
    row: int


@dataclass(frozen=True)
class Entity:
    """Fields every row carries besides its own columns."""

    package: str = field(kw_only=True)
    origin: Origin = field(kw_only=True)


@dataclass(frozen=True)
class Region(Entity):
    code: str
    name: str
    name_local: str
    level: str
    parent: str | None
    source: str
    illustrative: bool


@dataclass(frozen=True)
class Organization(Entity):
    id: str
    name: str
    name_local: str | None
    kind: str
    region: str | None
    description: str | None
    source: str
    illustrative: bool


@dataclass(frozen=True)
class Program(Entity):
    id: str
    name: str
    name_local: str | None
    description: str | None
    source: str


@dataclass(frozen=True)
class Project(Entity):
    id: str
    title: str
    title_local: str | None
    program: str
    region: str
    implementer: str
    status: str
    year: int
    planned_start: dt.date | None
    planned_end: dt.date | None
    actual_start: dt.date | None
    actual_end: dt.date | None
    budget: Decimal
    description: str | None
    subsidy_standard: Decimal | None
    subsidy_unit: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    source: str
    illustrative: bool


@dataclass(frozen=True)
class Fund(Entity):
    id: str
    project: str
    source_type: str
    funder: str | None
    transaction_type: str
    amount: Decimal
    date: dt.date | None
    document: str | None
    source: str
    illustrative: bool


@dataclass(frozen=True)
class Benefit(Entity):
    id: str
    project: str
    indicator: str
    unit: str
    label: str | None
    planned: Decimal | None
    achieved: Decimal | None
    as_of: dt.date | None
    source: str
    illustrative: bool


@dataclass(frozen=True)
class Announcement(Entity):
    id: str
    title: str
    title_local: str | None
    date: dt.date
    notice_end: dt.date | None
    projects: tuple[str, ...]
    body: str
    contact: str | None
    contact_url: str | None
    source: str
    illustrative: bool


@dataclass(frozen=True)
class ReportedTotal(Entity):
    id: str
    statement: str
    value: Decimal
    measure: str
    basis: str
    program: tuple[str, ...]
    source_type: tuple[str, ...]
    region: tuple[str, ...]
    year: int | None
    project: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class PackageInfo:
    """A package's metadata as declared in its datapackage.json."""

    name: str
    title: str
    version: str
    created: str
    description: str
    path: str
    descriptor: dict[str, Any] = field(compare=False, repr=False)


E = TypeVar("E", bound=Entity)
T = TypeVar("T")


@dataclass
class Model:
    """Every entity of every package, ordered by id, with lookups by relation."""

    packages: tuple[PackageInfo, ...]
    regions: dict[str, Region]
    organizations: dict[str, Organization]
    programs: dict[str, Program]
    projects: dict[str, Project]
    announcements: dict[str, Announcement]
    funds: tuple[Fund, ...]
    benefits: tuple[Benefit, ...]
    reported_totals: tuple[ReportedTotal, ...]
    _funds_by_project: dict[str, tuple[Fund, ...]] = field(default_factory=dict, repr=False)
    _benefits_by_project: dict[str, tuple[Benefit, ...]] = field(default_factory=dict, repr=False)
    _notices_by_project: dict[str, tuple[Announcement, ...]] = field(
        default_factory=dict, repr=False
    )
    _children: dict[str, tuple[Region, ...]] = field(default_factory=dict, repr=False)
    _projects_below: dict[str, tuple[Project, ...]] = field(default_factory=dict, repr=False)
    _region_paths: dict[str, tuple[str, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )
    # Each row's cells as committed, with what reads them (see ``row_text``).
    row_texts: dict[tuple[str, int], str] = field(default_factory=dict, repr=False, compare=False)
    # Resource -> (its rows above, a digest of the tables they were made from): see ``digest_of``.
    table_digests: dict[str, tuple[object, str]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        funds, benefits = self.funds, self.benefits
        notices, regions = tuple(self.announcements.values()), tuple(self.regions.values())
        projects = tuple(self.projects.values())
        self._funds_by_project = _regrouped(
            "funds", (funds,), lambda: _group(funds, attrgetter("project"))
        )
        self._benefits_by_project = _regrouped(
            "benefits", (benefits,), lambda: _group(benefits, attrgetter("project"))
        )
        self._notices_by_project = _regrouped(
            "notices", (notices,), lambda: _group_many(notices, attrgetter("projects"))
        )
        self._children = _regrouped(
            "children", (regions,), lambda: _group(regions, lambda r: r.parent or "")
        )
        self._projects_below = _regrouped(
            "below",
            (projects, regions),
            lambda: (
                _projects_swapped(projects, regions, self.region_path)
                or _group_many(projects, lambda p: self.region_path(p.region))
            ),
        )

    def funds_of(self, project_id: str) -> tuple[Fund, ...]:
        """Fund rows of one project, in id order."""
        return self._funds_by_project.get(project_id, ())

    def benefits_of(self, project_id: str) -> tuple[Benefit, ...]:
        """Benefit rows of one project, in id order."""
        return self._benefits_by_project.get(project_id, ())

    def announcements_of(self, project_id: str) -> tuple[Announcement, ...]:
        """Notices that name the project, newest first."""
        return self._notices_by_project.get(project_id, ())

    def children_of(self, code: str | None) -> tuple[Region, ...]:
        """Regions directly below ``code``; ``None`` gives the top regions."""
        return self._children.get(code or "", ())

    def region_path(self, code: str) -> tuple[str, ...]:
        """Codes from the top region down to ``code`` (unknown parents end the walk)."""
        found = self._region_paths.get(code)
        if found is None:
            path: list[str] = []
            current: str | None = code
            while current is not None and current in self.regions and current not in path:
                path.append(current)
                current = self.regions[current].parent
            found = self._region_paths[code] = tuple(reversed(path))
        return found

    def projects_in(self, code: str) -> tuple[Project, ...]:
        """Projects in a region or any region below it, in id order."""
        return self._projects_below.get(code, ())

    def row_text(self, entity: Entity) -> str:
        """Everything ``entity`` is made from, as text: two rows with equal texts are equal.

        From the committed cells when the model was built from tables (cheap), else the
        entity's ``repr``.
        """
        origin = entity.origin
        return self.row_texts.get((origin.path, origin.row)) or repr(entity)

    def digest_of(self, resource: str) -> str | None:
        """A digest of the tables the rows of ``resource`` were made from: bytes, reading,
        place and schema (``Table.key``), so equal digests mean equal rows.

        ``None`` when unknown (tables made other than by loading), or when the model's rows
        of ``resource`` are no longer the ones made from them (``dataclasses.replace``).
        """
        found = self.table_digests.get(resource)
        if found is None or found[0] is not getattr(self, resource):
            return None
        return found[1]

    def projects_of_program(self, program_id: str) -> tuple[Project, ...]:
        """Projects of one program, in id order."""
        return tuple(p for p in self.projects.values() if p.program == program_id)


R = TypeVar("R")


def per_model(make: Callable[[Model], R]) -> Callable[[Model], R]:
    """``make(model)``, made once for the model a build is working on, then reused.

    Page kinds of one build share what they derive from the same model (sums,
    fingerprints); only the last model's value is kept, and not the model itself.
    """
    last: list[tuple[weakref.ref[Model], R]] = []

    def of(model: Model) -> R:
        if not last or last[0][0]() is not model:
            last[:] = [(weakref.ref(model), make(model))]
        return last[0][1]

    return of


K = TypeVar("K")
V = TypeVar("V")


Groups = dict[str, tuple[Any, ...]]

# The groupings of the last model made in this process, with the rows they were made
# from: a model of the same rows (in the live preview, most of them) takes them as
# they are. Entities never change, and the groupings are only read.
_last_groups: dict[str, tuple[tuple[tuple[object, ...], ...], Groups]] = {}


def _regrouped(
    name: str, rows: tuple[tuple[object, ...], ...], make: Callable[[], Groups]
) -> Groups:
    """``make()``, which groups ``rows``; the last grouping ``name`` if made of the same rows."""
    last = _last_groups.get(name)
    if last is not None and all(map(same_objects, last[0], rows)):
        return last[1]
    groups = make()
    _last_groups[name] = (rows, groups)
    return groups


def _projects_swapped(
    projects: tuple[Project, ...],
    regions: tuple[Region, ...],
    region_path: Callable[[str], tuple[str, ...]],
) -> Groups | None:
    """The last projects by region, with the projects edited in place (same position, same
    region: a corrected title) swapped in; ``None`` if the projects or regions differ more."""
    last = _last_groups.get("below")
    if last is None or not same_objects(last[0][1], regions) or len(last[0][0]) != len(projects):
        return None
    before = cast(tuple[Project, ...], last[0][0])
    pairs = [(old, new) for old, new in zip(before, projects, strict=True) if old is not new]
    if len(pairs) > _MAX_SWAPS or any(old.region != new.region for old, new in pairs):
        return None
    swaps = {id(old): new for old, new in pairs}
    groups = dict(last[1])
    for code in {code for _, new in pairs for code in region_path(new.region)}:
        groups[code] = tuple(swaps.get(id(p), p) for p in groups[code])
    return groups


_MAX_SWAPS = 100  # beyond, grouping again is about as quick


def _group(items: Iterable[V], key: Callable[[V], str]) -> dict[str, tuple[V, ...]]:
    groups: dict[str, list[V]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return {k: tuple(v) for k, v in groups.items()}


def _group_many(items: Iterable[V], keys: Callable[[V], Iterable[str]]) -> dict[str, tuple[V, ...]]:
    groups: dict[str, list[V]] = defaultdict(list)
    for item in items:
        for key in keys(item):
            groups[key].append(item)
    return {k: tuple(v) for k, v in groups.items()}


ENTITY_TYPES: dict[str, type[Entity]] = {
    "regions": Region,
    "organizations": Organization,
    "programs": Program,
    "projects": Project,
    "funds": Fund,
    "benefits": Benefit,
    "announcements": Announcement,
    "reported_totals": ReportedTotal,
}


def build_model(packages: Sequence[DataPackage]) -> Model:
    """Build the model from packages that passed schema-level validation."""
    made: dict[str, list[_Made]] = {name: [] for name in RESOURCES}
    for package in packages:
        for name, table in package.tables.items():
            if name in made:
                made[name].append(_made_of(table))
    _last_made.clear()
    _last_made.update((m.table.key, m) for tables in made.values() for m in tables if m.table.key)
    model = Model(
        packages=tuple(read_package_info(p) for p in packages),
        regions=dict(_collected(made, "regions")),
        organizations=dict(_collected(made, "organizations")),
        programs=dict(_collected(made, "programs")),
        projects=dict(_collected(made, "projects")),
        announcements=dict(_collected(made, "announcements")),
        funds=_collected(made, "funds"),
        benefits=_collected(made, "benefits"),
        reported_totals=_collected(made, "reported_totals"),
        row_texts=_row_texts(made),
    )
    model.table_digests = _table_digests(model, packages)
    return model


def _collected(made: dict[str, list[_Made]], name: str) -> Any:
    """The model's rows of resource ``name``: the last model's when made of the same tables."""
    last = _last_collected.get(name)
    if last is not None and same_objects(last[0], made[name]):
        return last[1]
    rows: dict[str, Entity] = {}
    for found in made[name]:
        for key, entity in zip(found.keys, found.entities, strict=True):
            rows.setdefault(key, entity)
    kind = ENTITY_TYPES[name]
    collected: Any
    if name == "announcements":
        notices = sorted(_typed(rows, Announcement), key=lambda a: (a.date, a.id), reverse=True)
        collected = {a.id: a for a in notices}
    elif name in ("funds", "benefits", "reported_totals"):
        collected = tuple(_typed(rows, kind))
    else:
        collected = _by_key(rows, kind)
    _last_collected[name] = (tuple(made[name]), collected)
    return collected


# What the last model took from each table, and made of them, by resource: the next
# model (the live preview's) takes a resource's rows as they are when its tables are
# the same, and only copies a dict (a model's dicts are its own).
_last_collected: dict[str, tuple[tuple[_Made, ...], Any]] = {}


@dataclass(frozen=True)
class _Made:
    """What the model takes from one table: its rows' keys, entities and texts.

    ``joined`` tells whether the texts are the cells joined (no cell holds the
    separator), which a text made of some rows alone then shares.
    """

    table: Table
    keys: list[str]
    entities: list[Entity]
    texts: dict[tuple[str, int], str]
    joined: bool


# The tables of the last model this process built, by ``Table.key`` (bytes, reading,
# place and schema: equal keys make equal entities): a process that builds again (the
# live preview) makes only the edited tables' entities again, and of an edited table
# only the rows whose cells or line changed. Entities never change.
_last_made: dict[str, _Made] = {}


def _made_of(table: Table) -> _Made:
    found = _last_made.get(table.key) if table.key else None
    if found is None:
        found = _made_by_rows(table)
    return found


def _made_by_rows(table: Table) -> _Made:
    """``_make(table)``, with the last model's rows at the same line with the same cells."""
    last = next((m for m in _last_made.values() if m.table.read_alike(table)), None)
    if last is None or not last.joined:
        return _make(table)
    changed = table.changed_rows(last.table)
    fresh = _make(table.subset(changed))
    if not fresh.joined:
        return _make(table)  # some cell holds the separator: every row's text is a repr
    return _spliced(table, last, fresh, changed)


def _make(table: Table) -> _Made:
    columns = _columns(table)
    texts, joined = _table_row_texts_of(table)
    return _Made(table, _keys(columns), _entities(table, columns), texts, joined)


def _spliced(table: Table, last: _Made, fresh: _Made, changed: list[int]) -> _Made:
    """The rows of ``table``: ``fresh``'s at ``changed``, the others ``last``'s at the same line."""
    if table.row_numbers == last.table.row_numbers:
        keys, entities = list(last.keys), list(last.entities)
        for j, i in enumerate(changed):
            keys[i], entities[i] = fresh.keys[j], fresh.entities[j]
        texts = {**last.texts, **fresh.texts}
        return _Made(table, keys, entities, texts, True)
    at = {number: index for index, number in enumerate(last.table.row_numbers)}
    redone = {i: j for j, i in enumerate(changed)}
    sources = [
        (fresh, redone[i]) if i in redone else (last, at[n])
        for i, n in enumerate(table.row_numbers)
    ]
    path = table.path
    numbers = zip(table.row_numbers, sources, strict=True)
    texts = {(path, n): m.texts[(path, m.table.row_numbers[i])] for n, (m, i) in numbers}
    keys = [m.keys[i] for m, i in sources]
    return _Made(table, keys, [m.entities[i] for m, i in sources], texts, True)


def _table_digests(model: Model, packages: Sequence[DataPackage]) -> dict[str, tuple[object, str]]:
    digests = {}
    for name in RESOURCES:
        keys = [(p.name, t.key) for p in packages for n, t in p.tables.items() if n == name]
        if all(key for _, key in keys):
            text = json.dumps(keys)
            digests[name] = (getattr(model, name), hashlib.sha256(text.encode()).hexdigest())
    return digests


def _row_texts(made: dict[str, list[_Made]]) -> dict[tuple[str, int], str]:
    tables = tuple(m for name in RESOURCES for m in made[name])
    if _last_row_texts and same_objects(_last_row_texts[0][0], tables):
        return _last_row_texts[0][1]
    texts: dict[tuple[str, int], str] = {}
    for found in tables:
        texts.update(found.texts)
    _last_row_texts[:] = [(tables, texts)]
    return texts


# The last model's row texts, with the tables they come from (a model does not change them).
_last_row_texts: list[tuple[tuple[_Made, ...], dict[tuple[str, int], str]]] = []


def _table_row_texts(table: Table) -> dict[tuple[str, int], str]:
    """Each row's text (``Model.row_text``), by (path, row number)."""
    return _table_row_texts_of(table)[0]


def _table_row_texts_of(table: Table) -> tuple[dict[tuple[str, int], str], bool]:
    # An entity is made from its cells, its line, and how its table is read (package,
    # file, header, schema; the converters are the code's), so no two different rows
    # may give one text: cells are joined with a separator none of them holds, else
    # (a cell holding it) written as a repr.
    reading = json.dumps([table.package, table.name, table.path, table.header, table.schema],
                         sort_keys=True, default=str)  # fmt: skip
    context = hashlib.sha256(reading.encode("utf-8")).hexdigest()
    joined = [_CELL_SEPARATOR.join(record) for record in table.records]
    separators = len(joined) * max(len(table.header) - 1, 0)
    plain = "".join(joined).count(_CELL_SEPARATOR) == separators
    if not plain:
        joined = [repr(record) for record in table.records]
    path = table.path
    texts = {
        (path, n): f"{context}{n}{_ROW_MARK}{cells}"
        for n, cells in zip(table.row_numbers, joined, strict=True)
    }
    return texts, plain


_CELL_SEPARATOR = "\x1f"  # the unit separator: no cell of a committed table should hold it
_ROW_MARK = "\x1e"  # ends the line number


def _typed(entities: dict[str, Entity], kind: type[E]) -> list[E]:
    return [e for e in map(entities.__getitem__, sorted(entities)) if isinstance(e, kind)]


def _by_key(entities: dict[str, Entity], kind: type[E]) -> dict[str, E]:
    # the keys of ``entities`` are the entities' keys (see build_model)
    return {k: e for k in sorted(entities) if isinstance(e := entities[k], kind)}


def entity_key(entity: Entity) -> str:
    """The primary key of an entity (``code`` for regions, ``id`` otherwise)."""
    return str(getattr(entity, "code", None) or getattr(entity, "id", ""))


def table_entities(table: Table) -> list[Entity]:
    """The entities of a table's rows, in row order."""
    return _entities(table, _columns(table))


def _columns(table: Table) -> dict[str, list[Any]]:
    """The values of each field of the table's entities, a list per field."""
    converters = _converters(table.name)
    columns = {name: _converted(table.column(name), c) for name, c in converters.items()}
    columns["package"] = [table.package] * len(table.records)
    columns["origin"] = [_made(Origin, {"path": table.path, "row": n}) for n in table.row_numbers]
    return columns


def _entities(table: Table, columns: dict[str, list[Any]]) -> list[Entity]:
    kind = ENTITY_TYPES[table.name]
    names = [f.name for f in dataclasses.fields(kind)]  # the order kind(...) sets them in
    rows = zip(*(columns[name] for name in names), strict=True)
    return [_made(kind, dict(zip(names, values, strict=True))) for values in rows]


def _keys(columns: dict[str, list[Any]]) -> list[str]:
    """``entity_key`` of each row, from the columns (an entity without the field: its default)."""
    count = len(columns["origin"])
    codes = columns.get("code", [None] * count)
    ids = columns.get("id", [""] * count)
    return [str(code or id_) for code, id_ in zip(codes, ids, strict=True)]


def _converted(cells: Sequence[str], convert: Converter) -> list[Any]:
    if convert is _text:
        return [cell or None for cell in cells]
    # numbers, dates and flags repeat down a column: convert each distinct value once
    values = {cell: convert(cell) for cell in set(cells)}
    return list(map(values.__getitem__, cells))


def _made(kind: type[T], fields: dict[str, Any]) -> T:
    """An instance of frozen dataclass ``kind`` holding ``fields`` (every field given).

    What ``kind(**fields)`` makes, without its field-by-field ``object.__setattr__``:
    the model is made of every row of every table.
    """
    made = object.__new__(kind)
    object.__setattr__(made, "__dict__", fields)
    return made


def read_package_info(package: DataPackage) -> PackageInfo:
    """Metadata of a package, from its descriptor."""
    d = package.descriptor
    return PackageInfo(
        name=package.name,
        title=str(d.get("title") or package.name),
        version=str(d.get("version") or "0.0.0"),
        created=str(d.get("created") or ""),
        description=str(d.get("description") or ""),
        path=package.path,
        descriptor=d,
    )


@cache
def canonical_schema(resource: str) -> dict[str, Any]:
    """The canonical Table Schema Sunshine expects for a resource."""
    schema: dict[str, Any] = json.loads((SCHEMA_DIR / f"{resource}.json").read_text("utf-8"))
    return schema


Converter = Callable[[str], Any]


def _converters(resource: str) -> dict[str, Converter]:
    fields = canonical_schema(resource)["fields"]
    annotations = {f.name: str(f.type) for f in dataclasses.fields(ENTITY_TYPES[resource])}
    return {
        f["name"]: _converter(f["type"], annotations[f["name"]])
        for f in fields
        if f["name"] in annotations
    }


def _converter(field_type: str, annotation: str) -> Converter:
    # Lists of ids are semicolon-separated strings in the files (the official
    # v2.0 profile lacks the list type); the model holds them as tuples.
    if annotation.startswith("tuple["):
        return _items
    return _CONVERTERS.get(field_type, _text)


def _text(raw: str) -> str | None:
    return raw or None


def _optional(parse: Callable[[str], Any]) -> Converter:
    def convert(raw: str) -> Any:
        stripped = raw.strip()
        return parse(stripped) if stripped else None

    return convert


def _boolean(raw: str) -> bool:
    return raw.strip().lower() in ("true", "1", "yes")


def _items(raw: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in raw.split(";") if item.strip())


_CONVERTERS: dict[str, Converter] = {
    "string": _text,
    "integer": _optional(int),
    "number": _optional(Decimal),
    "date": _optional(dt.date.fromisoformat),
    "boolean": _boolean,
}


def schema_enum(resource: str, field_name: str) -> tuple[str, ...]:
    """The allowed values of a field, in the canonical schema's order."""
    field = next(f for f in canonical_schema(resource)["fields"] if f["name"] == field_name)
    return tuple(field["constraints"]["enum"])


SOURCE_TYPES = schema_enum("funds", "source_type")

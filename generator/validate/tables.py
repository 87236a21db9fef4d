"""Schema-level validation: file-level checks, then frictionless, errors as Problems.

Types, required values, uniqueness, enums, limits, patterns, primary and foreign
keys, header and row shape all belong to frictionless; this module prepares
what it validates (the canonical schemas, only the files that could be read)
and turns each frictionless error into a ``Problem`` worded for a clerk.
"""

from __future__ import annotations

import copy
import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from generator.cache import Cache, make_key
from generator.load import DataPackage, Table, memo_by_table, usable_resources
from generator.model import RESOURCES, canonical_schema
from generator.problems import Problem, error, warning
from generator.validate.edges import is_non_finite, signalling_nans
from generator.validate.messages import Facts, describe
from generator.validate.privacy import without_declaration
from generator.validate.resource_runs import Located, frictionless_version, run_resources

if TYPE_CHECKING:
    import frictionless

DATAPACKAGE_V2 = "https://datapackage.org/profiles/2.0/datapackage.json"
LIMIT_ERRORS = 1000
MAX_SCHEMA_DIFFERENCES = 10
LABEL_ERRORS = frozenset(
    {"extra-label", "missing-label", "incorrect-label", "blank-label", "duplicate-label"}
)

FrictionlessError = Any  # frictionless errors are attrs classes with varying fields


def validate_tables(packages: list[DataPackage], cache: Cache | None = None) -> list[Problem]:
    """Check every package at schema level: descriptor, files, header, then frictionless."""
    problems: list[Problem] = []
    for package in packages:
        problems.extend(check_package(package, cache))
    return problems


def check_package(package: DataPackage, cache: Cache | None = None) -> list[Problem]:
    """Check one package: its descriptor, its resources, and its tables with frictionless."""
    memo = cache or Cache(None)
    problems = [
        *_cached_descriptor_check(package, memo),
        *check_resources_present(package),
        *check_unknown_resources(package),
    ]
    problems.extend(check_schemas_match(package))
    readable: list[Table] = []
    for table in package.tables.values():
        header_problems = list(check_header(table))
        problems.extend(header_problems)
        if not any(p.severity == "error" for p in header_problems):
            readable.append(table)
    if readable:
        problems.extend(check_with_frictionless(package, readable, memo))
    return problems


# Descriptor and resources


def _cached_descriptor_check(package: DataPackage, cache: Cache) -> list[Problem]:
    inputs = [frictionless_version(), package.name, package.path, str(package.dir)]
    key = make_key("descriptor-check", json.dumps([*inputs, package.descriptor], sort_keys=True))
    return cache.memo("descriptor-check", key, lambda: check_descriptor(package))


def check_descriptor(package: DataPackage) -> list[Problem]:
    """Check datapackage.json against the Data Package standard (frictionless metadata)."""
    import frictionless  # imported when needed: a rebuild from the cache does without it

    # resource entries the loader refused are reported already; frictionless checks the rest
    usable, _ = usable_resources(package.descriptor)
    descriptor = copy.deepcopy({**package.descriptor, "resources": usable})
    report = frictionless.Package.validate_descriptor(descriptor, basepath=str(package.dir))
    return [
        _problem(err, package.path, _Context(package.name, None, package.descriptor))
        for err in report.errors
    ]


def check_resources_present(package: DataPackage) -> Iterator[Problem]:
    """Report each Sunshine resource the package does not declare."""
    declared = {r.get("name") for r in package.descriptor["resources"] if isinstance(r, dict)}
    for name in RESOURCES:
        if name not in declared:
            yield error(
                "missing-resource",
                f'the package has no "{name}" resource: add {name}.csv (a header row alone is '
                f"enough when there is nothing to list) and its entry in datapackage.json",
                path=package.path,
                package=package.name,
                resource=name,
            )


def check_unknown_resources(package: DataPackage) -> Iterator[Problem]:
    """Warn about each declared resource Sunshine does not use (it is not read at all)."""
    for resource in package.descriptor["resources"]:
        name = resource.get("name") if isinstance(resource, dict) else None
        if isinstance(name, str) and name not in RESOURCES:
            yield warning(
                "unknown-resource",
                f'Sunshine does not use the resource "{name}": it is neither checked nor '
                f"published (the resources it uses are {', '.join(RESOURCES)})",
                path=package.path,
                package=package.name,
                resource=name,
            )


def check_schemas_match(package: DataPackage) -> Iterator[Problem]:
    """Report where a declared schema differs from the canonical one (read or not)."""
    for resource in usable_resources(package.descriptor)[0]:
        if resource["name"] in RESOURCES:
            yield from check_schema_matches(package, resource["name"], resource.get("schema"))


def check_schema_matches(package: DataPackage, name: str, declared: Any) -> list[Problem]:
    """Report where the schema declared for resource ``name`` differs from the canonical one."""
    schema = declared if isinstance(declared, dict) else {}
    differences = list(schema_differences(schema, canonical_schema(name)))
    shown = differences[:MAX_SCHEMA_DIFFERENCES]
    if len(differences) > len(shown):
        shown.append((None, f"and {len(differences) - len(shown)} more differences"))
    return [
        error(
            "schema-mismatch",
            f"the schema of {name} differs from Sunshine's: {difference}. Copy the "
            f"schema of generator/schemas/{name}.json into datapackage.json",
            path=package.path,
            field=field,
            package=package.name,
            resource=name,
        )
        for field, difference in shown
    ]


def schema_differences(
    declared: dict[str, Any], canonical: dict[str, Any]
) -> Iterator[tuple[str | None, str]]:
    """Yield (field name, difference) for each way ``declared`` differs from ``canonical``."""
    if not declared:
        yield None, "no schema is embedded in the resource"
        return
    for key in _keys(declared, canonical, skip="fields"):
        for difference in _differences(declared.get(key), canonical.get(key), key):
            yield None, difference
    yield from _field_differences(_as_fields(declared.get("fields")), canonical["fields"])


def _as_fields(fields: Any) -> list[dict[str, Any]]:
    if not isinstance(fields, list):
        return []
    return [f for f in fields if isinstance(f, dict)]


def _field_differences(
    declared: list[dict[str, Any]], canonical: list[dict[str, Any]]
) -> Iterator[tuple[str | None, str]]:
    by_name = {str(f.get("name")): f for f in declared}
    expected = [str(f["name"]) for f in canonical]
    for name in by_name.keys() - set(expected):
        yield name, f'the field "{name}" is not a Sunshine field'
    for field in canonical:
        name = field["name"]
        if name not in by_name:
            yield name, f'the field "{name}" is missing'
            continue
        for difference in _differences(without_declaration(by_name[name]), field, f"{name}"):
            yield name, difference
    if [n for n in by_name if n in expected] != [n for n in expected if n in by_name]:
        yield None, f"the fields are in another order; expected {', '.join(expected)}"


def _keys(a: dict[str, Any], b: dict[str, Any], skip: str = "") -> list[str]:
    return sorted((a.keys() | b.keys()) - {skip})


def _differences(declared: Any, canonical: Any, where: str) -> Iterator[str]:
    if isinstance(declared, dict) and isinstance(canonical, dict):
        for key in _keys(declared, canonical):
            yield from _differences(declared.get(key), canonical.get(key), f"{where}.{key}")
    elif not _same(declared, canonical):
        yield f"{where} is {_json(declared)}, expected {_json(canonical)}"


def _same(a: Any, b: Any) -> bool:
    # JSON true is not 1 and "1" is not 1, even where Python says equal
    return bool(a == b and isinstance(a, bool) == isinstance(b, bool))


def _json(value: Any) -> str:
    if value is None:
        return "absent"
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:59] + "…"


def check_header(table: Table) -> Iterator[Problem]:
    """Report a blank header, blank or repeated column names and columns out of order.

    Missing and unknown columns are left to frictionless, which matches columns by
    name; a table with errors here is not given to frictionless at all (its rows
    cannot be told apart reliably).
    """
    where = {"path": table.path, "row": 1, "package": table.package, "resource": table.name}
    if not any(table.header):
        yield _header_problem(Facts("blank-header"), where)
        return
    broken = [*_blank_labels(table.header), *_duplicate_labels(table.header)]
    for facts in broken:
        yield _header_problem(facts, where)
    if not broken:
        yield from _check_column_order(table, where)


def _blank_labels(header: tuple[str, ...]) -> Iterator[Facts]:
    for number, label in enumerate(header, start=1):
        if not label.strip():
            yield Facts("blank-label", field_number=number)


def _duplicate_labels(header: tuple[str, ...]) -> Iterator[Facts]:
    for label, count in Counter(header).items():
        if label.strip() and count > 1:
            number = _nth_index(header, label, 2) + 1
            yield Facts("duplicate-label", field=label, field_number=number)


def _nth_index(items: tuple[str, ...], item: str, nth: int) -> int:
    return [i for i, x in enumerate(items) if x == item][nth - 1]


def _check_column_order(table: Table, where: dict[str, Any]) -> Iterator[Problem]:
    expected = [f["name"] for f in canonical_schema(table.name)["fields"]]
    present = [label for label in table.header if label in expected]
    wanted = [name for name in expected if name in table.header]
    for number, (label, name) in enumerate(zip(present, wanted, strict=True), start=1):
        if label != name:
            facts = Facts("incorrect-label", field=name, value=label, field_number=number)
            yield _header_problem(facts, where)
            return


def _header_problem(facts: Facts, where: dict[str, Any]) -> Problem:
    message, hint = describe(facts)
    return error(facts.code, message, field=facts.field, value=facts.value, hint=hint, **where)


# Frictionless


def check_with_frictionless(
    package: DataPackage, tables: list[Table], cache: Cache | None = None
) -> list[Problem]:
    """Validate the readable tables of a package with frictionless.

    Each table is validated on its own and its result cached by what it read
    (see ``resource_runs``); the problems are those of one call on the package.
    """
    names = {t.name for t in tables}
    memo = cache or Cache(None)
    resources = [_resource_descriptor(package, t, names, memo) for t in tables]
    descriptor = {"$schema": DATAPACKAGE_V2, "name": package.name, "resources": resources}
    files = {t.name: t.key or make_key("file", t.raw) for t in tables}
    located = run_resources(descriptor, package.dir, files, memo, LIMIT_ERRORS)
    if located is None:  # what one resource at a time cannot promise: the package in one call
        located = _errors_of(_run_frictionless(descriptor, package.dir))
    folder = PurePosixPath(package.path).parent.as_posix()
    context = _Context(package.name, folder if folder != "." else None, descriptor)
    return _to_problems(drop_redundant(located), context)


def _resource_descriptor(
    package: DataPackage, table: Table, names: set[str], cache: Cache
) -> dict[str, Any]:
    declared = next(r for r in package.descriptor["resources"] if r.get("name") == table.name)
    nans = memo_by_table(cache, "signalling-nans", table, lambda: signalling_nans(table))
    return {
        "name": table.name,
        "path": declared["path"],
        "encoding": declared.get("encoding", "utf-8"),
        "dialect": {"delimiter": _delimiter(declared)},
        "schema": _read_as_missing(sunshine_schema(table.name, names), nans),
    }


def _read_as_missing(schema: dict[str, Any], cells: list[str]) -> dict[str, Any]:
    # frictionless crashes on a signalling NaN ("sNaN"): it is read as missing here and
    # reported as not-a-number by the edge rules
    return {**schema, "missingValues": [*schema.get("missingValues", [""]), *cells]}


def _delimiter(declared: dict[str, Any]) -> str:
    dialect = declared.get("dialect")
    value = dialect.get("delimiter") if isinstance(dialect, dict) else None
    return value if isinstance(value, str) and len(value) == 1 else ","


def sunshine_schema(name: str, present: set[str]) -> dict[str, Any]:
    """The canonical schema as frictionless should apply it.

    Columns are matched by name (a missing or unknown column is one problem, not a
    shifted column and an error on every row), and foreign keys to tables that
    could not be read are left out (they cannot be checked).
    """
    schema = copy.deepcopy(canonical_schema(name))
    schema["fieldsMatch"] = "equal"
    schema["foreignKeys"] = [
        fk for fk in schema.get("foreignKeys", []) if fk["reference"]["resource"] in present
    ]
    return schema


def validate_descriptor(
    descriptor: dict[str, Any], basepath: Path, display_dir: str | None = None
) -> list[Problem]:
    """Validate a package descriptor (tables and all) with frictionless, as declared.

    The general entry point: no Sunshine schema is imposed and every frictionless
    error is kept. ``display_dir`` prefixes the paths of the problems.
    """
    report = _run_frictionless(copy.deepcopy(descriptor), basepath)
    context = _Context(str(descriptor.get("name") or ""), display_dir, descriptor)
    return _to_problems(_errors_of(report), context)


def _run_frictionless(descriptor: dict[str, Any], basepath: Path) -> frictionless.Report:
    import frictionless

    try:
        report: frictionless.Report = frictionless.validate(
            descriptor, basepath=str(basepath), limit_errors=LIMIT_ERRORS
        )
    except frictionless.FrictionlessException as exc:  # a descriptor it cannot even open
        report = frictionless.Report.from_validation(errors=[exc.error])
    return report


def _errors_of(report: frictionless.Report) -> list[Located]:
    located: list[Located] = [(None, err) for err in report.errors]
    for task in report.tasks:
        located.extend((task.name, err) for err in task.errors)
        located.extend((task.name, _LimitReached(text)) for text in task.warnings)
    return located


class _LimitReached:
    """A frictionless task warning (the error limit), shaped like an error."""

    type = "error-limit"

    def __init__(self, note: str) -> None:
        self.note = note


def drop_redundant(errors: list[Located]) -> list[Located]:
    """Leave out errors another error on the same row already explains.

    Sunshine's primary keys are also unique and required, so a primary-key error
    always repeats a unique-error, a required-value error or a blank row; a missing
    cell in a required column is reported as missing, not also as empty; a NaN or
    Infinity is reported as not-a-number, not as out of a limit.
    """
    covered = {_row_key(name, err) for name, err in errors if _explains_key(err)}
    missing = {_cell_key(name, err) for name, err in errors if err.type == "missing-cell"}
    return [
        (name, err)
        for name, err in errors
        if not (err.type == "primary-key" and _row_key(name, err) in covered)
        and not (_is_required_error(err) and _cell_key(name, err) in missing)
        and not _is_limit_of_non_finite(err)
    ]


def _is_limit_of_non_finite(err: FrictionlessError) -> bool:
    # NaN "cannot be negative": misleading; edges.NotANumber reports the cell instead
    cell = getattr(err, "cell", None)
    limit = re.search(r'constraint "(minimum|maximum|required)"', str(getattr(err, "note", "")))
    return bool(err.type == "constraint-error" and limit and is_non_finite(str(cell)))


def _explains_key(err: FrictionlessError) -> bool:
    return err.type in ("unique-error", "blank-row") or _is_required_error(err)


def _is_required_error(err: FrictionlessError) -> bool:
    return bool(err.type == "constraint-error" and 'constraint "required"' in err.note)


def _row_key(name: str | None, err: FrictionlessError) -> tuple[str | None, int | None]:
    return name, getattr(err, "row_number", None)


def _cell_key(name: str | None, err: FrictionlessError) -> tuple[Any, ...]:
    return name, getattr(err, "row_number", None), getattr(err, "field_name", None)


# Conversion


class _Context:
    """What converting an error needs: package, display folder and resources by name."""

    def __init__(self, package: str, folder: str | None, descriptor: dict[str, Any]) -> None:
        self.package = package or None
        self.folder = folder
        resources = descriptor.get("resources")
        self.resources: dict[str, dict[str, Any]] = {
            str(r.get("name")): r
            for r in (resources if isinstance(resources, list) else [])
            if isinstance(r, dict)
        }

    def path_of(self, resource: str | None) -> str:
        """Display path of a resource's file, or of datapackage.json."""
        file = "datapackage.json"
        if resource in self.resources and isinstance(self.resources[resource].get("path"), str):
            file = self.resources[resource]["path"]
        return f"{self.folder}/{file}" if self.folder else file

    def schema_field(self, resource: str | None, name: str | None) -> dict[str, Any]:
        """The declared schema of one field, ``{}`` when unknown."""
        schema = self.resources.get(resource or "", {}).get("schema")
        fields = schema.get("fields", []) if isinstance(schema, dict) else []
        return next((f for f in fields if isinstance(f, dict) and f.get("name") == name), {})

    def field_names(self, resource: str | None) -> tuple[str, ...]:
        """Names of the declared fields of a resource."""
        schema = self.resources.get(resource or "", {}).get("schema")
        fields = schema.get("fields", []) if isinstance(schema, dict) else []
        return tuple(str(f.get("name")) for f in fields if isinstance(f, dict))


def _to_problems(errors: Iterable[Located], context: _Context) -> list[Problem]:
    return [_problem(err, context.path_of(name), context, name) for name, err in errors]


def _problem(
    err: FrictionlessError, path: str, context: _Context, resource: str | None = None
) -> Problem:
    facts = _facts(err, path, context, resource)
    message, hint = describe(facts)
    make = warning if facts.code == "error-limit" else error
    return make(
        facts.code,
        message,
        path=path,
        row=_row(err),
        field=facts.field,
        value=facts.value,
        hint=hint,
        package=context.package,
        resource=resource,
    )


def _facts(err: FrictionlessError, path: str, context: _Context, resource: str | None) -> Facts:
    field = _field(err)
    reference = getattr(err, "reference_name", None)
    return Facts(
        code=err.type,
        note=str(getattr(err, "note", "")),
        field=field,
        value=_value(err),
        schema_field=context.schema_field(resource, field),
        field_number=getattr(err, "field_number", None),
        file=path,
        reference=context.path_of(reference or resource) if reference is not None else "",
        reference_fields=tuple(getattr(err, "reference_field_names", ())),
        expected=context.field_names(resource),
    )


def _row(err: FrictionlessError) -> int | None:
    if err.type in LABEL_ERRORS or err.type == "blank-header":
        return 1
    row = getattr(err, "row_number", None)
    return int(row) if row is not None else None


def _field(err: FrictionlessError) -> str | None:
    if err.type in ("extra-label", "duplicate-label"):
        return str(err.label)
    if err.type == "foreign-key":
        return ", ".join(err.field_names)
    name = getattr(err, "field_name", None)
    return str(name) if name else None


def _value(err: FrictionlessError) -> str | None:
    if err.type == "foreign-key":
        return ", ".join(err.field_cells)
    if err.type in LABEL_ERRORS:
        label = str(getattr(err, "label", ""))
        return label if label and label != _field(err) else None
    cell = getattr(err, "cell", None)
    return None if cell in (None, "None", "") else str(cell)

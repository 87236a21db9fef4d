"""Frictionless one resource at a time, each run cached by what it reads.

Validating a package in one frictionless call re-reads every referenced table
for the foreign keys, so any edit re-checks every file. Here each resource is
validated on its own, and each table it references is replaced by an inline
table holding that table's key values, read from it the way frictionless reads
them for a lookup. A run then reads one file: its result depends on that file's
bytes, its descriptor and the referenced key sets only, and is cached by them.

The errors are the ones the one-call run gives, in the same order, because
frictionless still does all the work, foreign keys included. Where that could
not be promised (a descriptor frictionless refuses, a referenced file it cannot
read through, references it cannot express inline), ``None`` tells the caller
to validate the package in one call, as before.

An edited file need not be read whole either (``edited_runs``). With a cache
folder, a clean run of a large CSV file keeps the file's bytes, its record
boundaries and, per row, the typed values of its primary key, unique fields and
the keys others reference. When the file changes and nothing else the run reads
does (descriptor, referenced key sets, error limit, versions), frictionless
validates only the header and the block of records the edit replaced, with the
referenced key sets cut down to the block's cells; the primary key and unique
fields are compared with the kept rows, and the key sets this file offers are
made again from the rows' values. That path only ever returns a clean run, and
only when each check a whole-file run makes is thus redone or cannot differ:
the kept rows are the same bytes read the same way (the edit must leave the first
hundred records, where frictionless finds the dialect and header, unchanged, and
the block must be read with the file's encoding and dialect). Anything else (an
error in the block, a repeated key, a large or early edit, a table referencing
itself, declared row counts or hashes, any surprise) runs frictionless on the
whole file, which gives every error exactly, as before.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import importlib.metadata
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.cache import Cache, make_key
from generator.validate.edited_runs import (
    EditStates,
    RowLog,
    Validate,
    editable,
    read_file,
    remember,
    rerun_edited,
)

Key = tuple[str, ...]  # the field names of a referenced key
Located = tuple[str | None, Any]  # (resource name, error), as the conversion takes them

# What a frictionless error carries that the conversion into Problems reads.
ERROR_ATTRIBUTES = (
    "note",
    "row_number",
    "field_name",
    "field_number",
    "cell",
    "label",
    "field_names",
    "field_cells",
    "reference_name",
    "reference_field_names",
)
# Errors a table yields while it is read through; any other comes from an exception,
# which would stop a lookup in the file too.
READ_THROUGH_ERRORS = frozenset(
    {
        "blank-header",
        "extra-label",
        "missing-label",
        "blank-label",
        "duplicate-label",
        "incorrect-label",
        "blank-row",
        "primary-key",
        "foreign-key",
        "extra-cell",
        "missing-cell",
        "type-error",
        "constraint-error",
        "unique-error",
    }
)


@dataclass(frozen=True)
class RecordedError:
    """A frictionless error (or error-limit warning) reduced to what the conversion reads.

    It answers ``getattr`` like the error it records: an attribute the error did
    not have is missing here too. Unlike frictionless errors it pickles small.
    """

    type: str
    attributes: dict[str, Any] = field(default_factory=dict)

    def __getattr__(self, name: str) -> Any:
        attributes = self.__dict__.get("attributes", {})
        if name in attributes:
            return attributes[name]
        raise AttributeError(name)


def record(error: Any) -> RecordedError:
    """Record a frictionless error."""
    kept = {name: getattr(error, name) for name in ERROR_ATTRIBUTES if hasattr(error, name)}
    return RecordedError(str(error.type), kept)


def limit_warning(note: str) -> RecordedError:
    """Record a task warning (the error limit) as an error-limit error."""
    return RecordedError("error-limit", {"note": note})


@dataclass(frozen=True)
class ResourceRun:
    """What validating one resource gave: its errors, and its key values for lookups."""

    errors: tuple[RecordedError, ...]
    keys: dict[Key, frozenset[tuple[Any, ...]]]
    digests: dict[Key, str]  # of the keys whose values are all text, the only ones inlined
    readable_through: bool  # a lookup in this file would not stop on an exception
    standalone: bool = True  # False: frictionless refused the descriptor of the run


REFUSED = ResourceRun((), {}, {}, readable_through=False, standalone=False)


@dataclass(frozen=True)
class Lookup:
    """A resource another one references, by ``key``, and what validating it gave."""

    source: str
    key: Key
    run: ResourceRun


def run_resources(
    descriptor: dict[str, Any], basepath: Path, files: dict[str, str], cache: Cache, limit: int
) -> list[Located] | None:
    """The errors of every resource of ``descriptor``, in its order; ``None``: run it whole.

    ``files`` holds, for each resource, a hash of the bytes of its file.
    """
    resources = {str(r["name"]): r for r in descriptor["resources"]}
    order = dependency_order(resources)
    if order is None:
        return None
    runs: dict[str, ResourceRun] = {}
    for name in order:
        lookups = lookups_of(resources[name], runs)
        if lookups is None:
            return None
        run = _cached_run(descriptor, name, lookups, basepath, files[name], cache, limit)
        if not run.standalone:
            return None
        runs[name] = run
    return [(name, error) for name in resources for error in runs[name].errors]


def _cached_run(
    descriptor: dict[str, Any],
    name: str,
    lookups: list[Lookup],
    basepath: Path,
    file: str,
    cache: Cache,
    limit: int,
) -> ResourceRun:
    keys = referenced_keys(descriptor["resources"], name)
    package = {k: v for k, v in descriptor.items() if k != "resources"}
    resource = next(r for r in descriptor["resources"] if r["name"] == name)
    sources = [[x.source, x.key, x.run.digests[x.key], key_fields(descriptor, x)] for x in lookups]
    inputs = [frictionless_version(), package, resource, sources, keys, limit]
    text = json.dumps(inputs, sort_keys=True)

    def run() -> ResourceRun:
        inline = [inline_lookup(descriptor, lookup) for lookup in lookups]
        run_descriptor = {**descriptor, "resources": [resource, *inline]}
        states = EditStates.of(cache, basepath, name, text)
        return _run(run_descriptor, name, basepath, keys, limit, states)

    return cache.memo("frictionless", make_key("resource-run", file, text), run)


def _run(
    descriptor: dict[str, Any],
    name: str,
    basepath: Path,
    keys: list[list[str]],
    limit: int,
    states: EditStates | None,
) -> ResourceRun:
    """Validate resource ``name``, first in ``descriptor``: by its edit if that shows it clean.

    Otherwise the whole file is validated, and a clean run kept for the next edit.
    """
    if states is None or not editable(descriptor, name):
        return validate_resource(descriptor, name, basepath, keys, limit)
    found = rerun_edited(states, descriptor, basepath, keys, _block_validator(name, limit))
    if found is not None:
        return ResourceRun((), found, text_digests(found), readable_through=True)
    raw = read_file(descriptor, basepath)
    log = RowLog(keys)
    run = validate_resource(descriptor, name, basepath, keys, limit, log)
    if raw is not None and raw == read_file(descriptor, basepath):  # the bytes frictionless read
        remember(states, raw, log, clean=run.standalone and not run.errors)
    return run


def _block_validator(name: str, limit: int) -> Validate:
    """Validate resource ``name`` as ``validate_resource`` does; tell whether nothing was found."""

    def validate(descriptor: dict[str, Any], basepath: Path, log: RowLog) -> bool:
        done = _validate_table(descriptor, name, basepath, limit, None, log)
        return done is not None and not done[1].errors and not done[1].warnings

    return validate


@functools.cache
def frictionless_version() -> str:
    """The installed frictionless's version: results are kept for the version that made them."""
    return importlib.metadata.version("frictionless")


def foreign_keys(resource: dict[str, Any]) -> list[dict[str, Any]]:
    """The foreign keys a resource declares in its schema."""
    schema = resource.get("schema")
    keys = schema.get("foreignKeys") if isinstance(schema, dict) else None
    return keys if isinstance(keys, list) else []


def _source(fk: dict[str, Any], name: str) -> str:
    return str(fk["reference"].get("resource") or name)


def dependency_order(resources: dict[str, dict[str, Any]]) -> list[str] | None:
    """Resource names, each after the resources it references; ``None`` for a cycle."""
    order: list[str] = []
    waiting = dict(resources)
    while waiting:
        ready = [name for name, resource in waiting.items() if not _waits(name, resource, waiting)]
        if not ready:
            return None
        order.extend(ready)
        for name in ready:
            del waiting[name]
    return order


def _waits(name: str, resource: dict[str, Any], waiting: dict[str, Any]) -> bool:
    """Tell whether ``name`` references another resource still waiting for its run."""
    return any(_source(fk, name) in waiting.keys() - {name} for fk in foreign_keys(resource))


def referenced_keys(resources: Iterable[dict[str, Any]], name: str) -> list[list[str]]:
    """The keys of resource ``name`` that other resources reference, sorted."""
    keys = {
        tuple(fk["reference"]["fields"])
        for resource in resources
        for fk in foreign_keys(resource)
        if resource["name"] != name and _source(fk, str(resource["name"])) == name
    }
    return [list(key) for key in sorted(keys)]


def lookups_of(resource: dict[str, Any], runs: dict[str, ResourceRun]) -> list[Lookup] | None:
    """What resource references in other resources; ``None`` if it cannot all be inlined.

    That is when a referenced resource has no run or could not be read through
    (frictionless would stop on it), has values that are not text, or is
    referenced by two different keys (one inline table holds one key).
    """
    name = str(resource["name"])
    found: dict[str, Lookup] = {}
    for fk in foreign_keys(resource):
        source, key = _source(fk, name), tuple(fk["reference"]["fields"])
        if source == name or (source in found and found[source].key == key):
            continue  # a self-reference frictionless reads itself; a key already there
        run = runs.get(source)
        if source in found or run is None or not run.readable_through or key not in run.digests:
            return None
        found[source] = Lookup(source, key, run)
    return list(found.values())


def key_fields(descriptor: dict[str, Any], lookup: Lookup) -> list[dict[str, Any]]:
    """The fields of the inline table for ``lookup``: the key's names and declared types."""
    declared = next(r for r in descriptor["resources"] if r["name"] == lookup.source)
    types = {f["name"]: f["type"] for f in declared["schema"]["fields"]}
    return [{"name": name, "type": types[name]} for name in lookup.key]


def inline_lookup(descriptor: dict[str, Any], lookup: Lookup) -> dict[str, Any]:
    """An inline table holding the key values frictionless read in the referenced resource."""
    rows = sorted(lookup.run.keys[lookup.key])
    return {
        "name": lookup.source,
        "type": "table",
        "data": [list(lookup.key), *(list(row) for row in rows)],
        "schema": {"fields": key_fields(descriptor, lookup)},
    }


def validate_resource(
    descriptor: dict[str, Any],
    name: str,
    basepath: Path,
    keys: list[list[str]],
    limit: int,
    log: RowLog | None = None,
) -> ResourceRun:
    """Validate resource ``name`` of ``descriptor`` as ``frictionless.validate`` would.

    A ``log`` notes, besides, what checking a later edit of the file needs.
    """
    import frictionless  # on a cache miss only: a rebuild from the cache does without it

    collector = KeyCollector([tuple(key) for key in keys])
    done = _validate_table(descriptor, name, basepath, limit, collector.add, log)
    if done is None:
        return REFUSED
    resource, task = done
    errors = (*map(record, task.errors), *map(limit_warning, task.warnings))
    readable = isinstance(resource, frictionless.resources.TableResource) and all(
        e.type in READ_THROUGH_ERRORS for e in errors if e.type != "error-limit"
    )
    if task.warnings and readable:  # stopped at the error limit: read the rest for the keys
        readable = collector.read_through(resource)
    values = collector.values()
    return ResourceRun(errors, values, text_digests(values), readable_through=readable)


def _validate_table(
    descriptor: dict[str, Any],
    name: str,
    basepath: Path,
    limit: int,
    on_row: Callable[[Any], None] | None,
    log: RowLog | None,
) -> tuple[Any, Any] | None:
    """Resource ``name`` validated, and its report's task; ``None`` if its package is refused."""
    import frictionless

    package = _open_package(descriptor, basepath)
    if package is None:
        return None
    resource = package.get_resource(name)
    if log is not None:
        log.start(resource)
        on_row = log.add if on_row is None else _each(on_row, log.add)
    report = resource.validate(frictionless.Checklist(), limit_errors=limit, on_row=on_row)
    if log is not None:
        log.finish(resource)
    return resource, report.tasks[0]


def _each(*callbacks: Callable[[Any], None]) -> Callable[[Any], None]:
    """One callback calling each of ``callbacks`` in turn."""

    def call(row: Any) -> None:
        for callback in callbacks:
            callback(row)

    return call


def text_digests(keys: dict[Key, frozenset[tuple[Any, ...]]]) -> dict[Key, str]:
    """A hash of the values of each key whose values are all text (only text reads back as is)."""
    return {
        key: _text_digest(values)
        for key, values in keys.items()
        if all(isinstance(value, str) for row in values for value in row)
    }


def _text_digest(values: frozenset[tuple[Any, ...]]) -> str:
    # an edit that leaves a table's keys alone (a title) finds them again by equality
    found = next((digest for kept, digest in _last_digests if kept == values), None)
    if found is None:
        found = hashlib.sha256(json.dumps(sorted(values)).encode("utf-8")).hexdigest()
        _last_digests.append((values, found))
        del _last_digests[:-KEPT_DIGESTS]
    return found


# the last key sets digested in this process, with their digests
_last_digests: list[tuple[frozenset[tuple[Any, ...]], str]] = []
KEPT_DIGESTS = 32


def _open_package(descriptor: dict[str, Any], basepath: Path) -> Any:
    """The package frictionless makes of ``descriptor``; ``None`` if it refuses it."""
    import frictionless

    try:
        source = frictionless.Resource(copy.deepcopy(descriptor), basepath=str(basepath))
        if not isinstance(source, frictionless.resources.PackageResource):
            return None
        package = source.read_metadata()
        package.to_descriptor(validate=True)  # what Package.validate checks first
    except frictionless.FrictionlessException:
        return None
    return package


class KeyCollector:
    """The values of some keys in every row of a table, as a foreign-key lookup reads them."""

    def __init__(self, keys: list[Key]) -> None:
        self.sets: dict[Key, set[tuple[Any, ...]]] = {key: set() for key in keys}

    def add(self, row: Any) -> None:
        """Note the key values of one row (rows whose key is all empty are skipped)."""
        for key, found in self.sets.items():
            cells = tuple(row.get(name) for name in key)
            if set(cells) != {None}:
                found.add(cells)

    def read_through(self, resource: Any) -> bool:
        """Read the whole table as a lookup does; ``False`` if that stops on an exception."""
        import frictionless

        source = resource.to_copy()
        if source.schema:
            source.schema.foreign_keys = []
        try:
            with source:
                for row in source.row_stream:
                    self.add(row)
        except frictionless.FrictionlessException:
            return False
        return True

    def values(self) -> dict[Key, frozenset[tuple[Any, ...]]]:
        """The key values found, per key."""
        return {key: frozenset(found) for key, found in self.sets.items()}

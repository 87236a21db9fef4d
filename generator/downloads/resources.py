"""The tables of a package as they are published: file name, schema and typed rows."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from generator.downloads.fields import Field, fields_by_name, missing_values
from generator.load import DataPackage, Table
from generator.model import ENTITY_TYPES, RESOURCES, canonical_schema

# Resource names become file names and sheet titles.
SAFE_NAME = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")


@dataclass(frozen=True)
class Resource:
    """One table of a release, with the schema it is published under."""

    table: Table
    schema: dict[str, Any]
    declared: dict[str, Any]

    @property
    def name(self) -> str:
        """The resource name (``projects``)."""
        return self.table.name

    @property
    def csv_name(self) -> str:
        """File name of the canonical CSV in the release folder."""
        return f"{self.name}.csv"

    @property
    def json_name(self) -> str:
        """File name of the JSON rows."""
        return f"{self.name}.json"

    @property
    def excel_csv_name(self) -> str:
        """File name of the Excel-friendly CSV."""
        return f"{self.name}.excel.csv"

    @cached_property
    def fields(self) -> dict[str, Field]:
        """The schema's fields by name."""
        return fields_by_name(self.schema)

    @cached_property
    def sha256(self) -> str:
        """Hex SHA-256 of the committed file (published as it is, as the canonical CSV)."""
        return raw_sha256(self.table)

    @cached_property
    def missing(self) -> frozenset[str]:
        """Cell texts that mean "no value"."""
        return missing_values(self.schema)

    @property
    def encoding(self) -> str:
        """The declared encoding of the committed file (UTF-8 unless declared)."""
        declared = self.declared.get("encoding")
        return declared if isinstance(declared, str) and declared else "utf-8"

    @property
    def delimiter(self) -> str:
        """The declared CSV delimiter of the committed file (``,`` unless declared)."""
        dialect = self.declared.get("dialect")
        if isinstance(dialect, dict) and isinstance(dialect.get("delimiter"), str):
            return str(dialect["delimiter"])
        return ","

    def field(self, column: str) -> Field | None:
        """The field of a header column, if the schema declares it."""
        return self.fields.get(column)

    @cached_property
    def typed_fields(self) -> dict[str, Field]:
        """The fields as read for typed output: id lists read as lists."""
        lists = id_list_columns(self.name)
        return {
            name: {**field, "type": "list", "delimiter": ";"} if name in lists else field
            for name, field in self.fields.items()
        }


def published_resources(package: DataPackage) -> list[Resource]:
    """The package's loaded tables in descriptor order, each with its schema."""
    declared = package.descriptor.get("resources")
    entries = [r for r in declared if isinstance(r, dict)] if isinstance(declared, list) else []
    return [
        Resource(
            package.tables[entry["name"]], resource_schema(package.tables[entry["name"]]), entry
        )
        for entry in entries
        if entry.get("name") in package.tables and SAFE_NAME.fullmatch(entry["name"])
    ]


def id_list_columns(resource: str) -> frozenset[str]:
    """Columns the model reads as lists of ids (semicolon-separated strings in the files).

    The schemas declare them as strings, since the official v2.0 profile lacks the
    list type; the JSON downloads give them as arrays, as the model reads them.
    """
    kind = ENTITY_TYPES.get(resource)
    if kind is None:
        return frozenset()
    return frozenset(f.name for f in dataclasses.fields(kind) if str(f.type).startswith("tuple["))


def resource_schema(table: Table) -> dict[str, Any]:
    """The table's own schema; the canonical one when it was given by reference."""
    if isinstance(table.schema.get("fields"), list):
        return table.schema
    if table.name in RESOURCES:
        return canonical_schema(table.name)
    return {"fields": [{"name": column, "type": "string"} for column in table.header]}


def raw_sha256(table: Table) -> str:
    """Hex SHA-256 of the table's bytes; known already when a recent build had them."""
    if not table.key:  # a table made other than by loading: its bytes are not keyed
        return hashlib.sha256(table.raw).hexdigest()
    digest = _digests.pop(table.key, None) or hashlib.sha256(table.raw).hexdigest()
    _digests[table.key] = digest  # the most recent last
    while len(_digests) > _KEPT:
        del _digests[next(iter(_digests))]
    return digest


# The digests of the tables of recent builds, by ``Table.key`` (a hash of the bytes and
# how they are read: equal keys, equal bytes), so a process that builds again (the live
# preview) does not hash its unchanged tables again.
_digests: dict[str, str] = {}
_KEPT = 256

"""One release of a package: every download file of its version folder, in memory."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from generator import paths
from generator.cache import Cache
from generator.config import SiteConfig
from generator.downloads import formats, xlsx
from generator.downloads.descriptor import (
    created_datetime,
    descriptor_bytes,
    published_descriptor,
)
from generator.downloads.resources import Resource, published_resources
from generator.downloads.tables import TableFiles, table_files
from generator.downloads.ziparchive import Deflated, deflate, zip_archive
from generator.load import DataPackage
from generator.model import Model

DESCRIPTOR_NAME = "datapackage.json"
JSONLD_NAME = "dataset.jsonld"
SUMS_NAME = "SHA256SUMS"
SAFE_VERSION = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+-]{0,63}")
UNSAFE_IN_VERSION = re.compile(r"[^0-9A-Za-z.+-]+")


@dataclass(frozen=True)
class Format:
    """A download format: how it is named for people, and its media and EU file types."""

    label: str
    media_type: str
    file_type: str  # http://publications.europa.eu/resource/authority/file-type/<file_type>


FORMATS = {
    "csv": Format("CSV", "text/csv", "CSV"),
    "excel-csv": Format("CSV for Excel", "text/csv", "CSV"),
    "json": Format("JSON", "application/json", "JSON"),
    "datapackage": Format("Data Package descriptor", "application/json", "JSON"),
    "xlsx": Format(
        "Excel workbook",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "XLSX",
    ),
    "zip": Format("ZIP (Data Package)", "application/zip", "ZIP"),
    "jsonld": Format("JSON-LD (schema.org)", "application/ld+json", "JSON_LD"),
    "sums": Format("SHA-256 checksums", "text/plain", "TXT"),
}


@dataclass(frozen=True)
class Download:
    """One file of a release folder."""

    name: str
    content: bytes
    kind: str
    description: str
    digest: str = ""  # the hex SHA-256 when already known

    @property
    def format(self) -> Format:
        """The file's format."""
        return FORMATS[self.kind]

    @property
    def size(self) -> int:
        """Size in bytes."""
        return len(self.content)

    @cached_property
    def sha256(self) -> str:
        """Hex SHA-256 of the content."""
        return self.digest or formats.sha256(self.content, self.name)


@dataclass(frozen=True)
class Coverage:
    """When and where the data is about: budget years and top regions."""

    years: tuple[int, ...]
    places: tuple[str, ...]

    def period(self) -> str:
        """The years as an ISO 8601 interval, ``2019/2020`` (one year alone: ``2019``)."""
        if not self.years:
            return ""
        first, last = min(self.years), max(self.years)
        return str(first) if first == last else f"{first}/{last}"


@dataclass(frozen=True, eq=False)
class Release:
    """A package version and its data downloads (everything but the metadata files).

    ``packed`` holds the descriptor and the canonical CSVs compressed, by file
    name, for the zips that gather several releases.
    """

    package: DataPackage
    resources: tuple[Resource, ...]
    descriptor: dict[str, Any]
    downloads: tuple[Download, ...]
    coverage: Coverage
    packed: dict[str, Deflated]

    @property
    def name(self) -> str:
        """Package name."""
        return str(self.descriptor["name"])

    @property
    def version(self) -> str:
        """Package version."""
        return str(self.descriptor["version"])

    @property
    def title(self) -> str:
        """Package title."""
        return str(self.descriptor["title"])

    @property
    def folder(self) -> str:
        """The version folder, relative to the docs root."""
        return paths.release_dir(self.name, path_version(self.version))

    @property
    def created(self) -> datetime:
        """Creation time (fixed; used for every timestamp inside the files)."""
        return created_datetime(self.descriptor)

    @property
    def stem(self) -> str:
        """``<name>-<version>``, the stem of the workbook and the zip."""
        return f"{self.name}-{path_version(self.version)}"


def build_release(
    package: DataPackage, model: Model, config: SiteConfig, cache: Cache | None = None
) -> Release:
    """Make every data download of a package: descriptor, CSV, JSON, workbook and zip."""
    resources = published_resources(package)
    tables = [table_files(r, cache or Cache(None)) for r in resources]
    descriptor = published_descriptor(package, resources, config)
    described = descriptor_bytes(descriptor)
    packed = {r.csv_name: t.csv for r, t in zip(resources, tables, strict=True)}
    packed[DESCRIPTOR_NAME] = deflate(described)
    downloads = [
        Download(DESCRIPTOR_NAME, described, "datapackage", "Data Package descriptor: schemas"),
        *_table_downloads(resources, tables),
        *_bundles(descriptor, resources, tables, packed, config),
    ]
    ordered = tuple(sorted(downloads, key=lambda d: d.name))
    coverage = coverage_of(package.name, model)
    return Release(package, tuple(resources), descriptor, ordered, coverage, packed)


def path_version(version: str) -> str:
    """The version as it appears in folder and file names: letters, digits, ``.+-`` only.

    The version is the publisher's free text; in an address it must stay one safe
    path segment (``1.0.0`` stays as it is, ``1.0 beta/2`` becomes ``1.0-beta-2``).
    """
    if SAFE_VERSION.fullmatch(version):
        return version
    return UNSAFE_IN_VERSION.sub("-", version).strip("-.") or "0"


def _table_downloads(resources: Sequence[Resource], tables: Sequence[TableFiles]) -> list[Download]:
    files: list[Download] = []
    for r, t in zip(resources, tables, strict=True):
        excel = f"{r.name}: for Excel"
        files += [
            Download(r.csv_name, r.table.raw, "csv", f"{r.name}: canonical CSV", r.sha256),
            Download(r.json_name, t.json, "json", f"{r.name}: JSON rows", t.json_sha256),
            Download(r.excel_csv_name, t.excel_csv, "excel-csv", excel, t.excel_csv_sha256),
        ]
    return files


def _bundles(
    descriptor: dict[str, Any],
    resources: Sequence[Resource],
    tables: Sequence[TableFiles],
    packed: dict[str, Deflated],
    config: SiteConfig,
) -> list[Download]:
    """The workbook and the zip of the release."""
    created = created_datetime(descriptor)
    stem = f"{descriptor['name']}-{path_version(str(descriptor['version']))}"
    titles = formats.sheet_titles([r.name for r in resources])
    sheets = list(zip(titles, (t.sheet for t in tables), strict=True))
    sheets.append((formats.FIELDS_SHEET, deflate(formats.fields_sheet(resources))))
    book = xlsx.workbook(sheets, created, publisher_name(descriptor, config))
    return [
        Download(f"{stem}.xlsx", book, "xlsx", _WORKBOOK),
        Download(f"{stem}.zip", zip_archive(sorted(packed.items()), created.date()), "zip", _ZIP),
    ]


_WORKBOOK = "Every table in one workbook, a sheet each, and a sheet describing the fields"
_ZIP = "The whole Data Package: datapackage.json and the canonical CSV files"


def publisher_name(descriptor: dict[str, Any], config: SiteConfig) -> str:
    """The contributor with the publisher role, else the first contributor, else the site."""
    people = [c for c in descriptor.get("contributors") or [] if isinstance(c, dict)]
    chosen = next((c for c in people if "publisher" in _roles(c)), people[0] if people else None)
    if chosen is None:
        return config.site_name
    return str(chosen.get("title") or chosen.get("organization") or config.site_name)


def creator_names(descriptor: dict[str, Any], config: SiteConfig) -> list[str]:
    """Contributors with an author or creator role; the publisher when none has one."""
    people = [c for c in descriptor.get("contributors") or [] if isinstance(c, dict)]
    names = [
        str(c.get("title") or c.get("organization"))
        for c in people
        if {"author", "creator"} & _roles(c) and (c.get("title") or c.get("organization"))
    ]
    return names or [publisher_name(descriptor, config)]


def _roles(contributor: dict[str, Any]) -> set[str]:
    roles = contributor.get("roles")
    listed = [str(r) for r in roles] if isinstance(roles, list) else []
    single = contributor.get("role")
    return {r.lower() for r in [*listed, *([str(single)] if single else [])]}


def coverage_of(package: str, model: Model) -> Coverage:
    """Budget years of the package's projects and the names of its top regions."""
    years = sorted({p.year for p in model.projects.values() if p.package == package})
    top = [
        r.name
        for r in model.regions.values()
        if r.package == package and (r.parent is None or r.parent not in model.regions)
    ]
    return Coverage(tuple(years), tuple(top))

"""One release of a package: every download file of its version folder, in memory."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

from generator import paths
from generator.config import SiteConfig
from generator.downloads import formats
from generator.downloads.descriptor import (
    created_datetime,
    descriptor_bytes,
    published_descriptor,
)
from generator.downloads.resources import Resource, published_resources
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
        return formats.sha256(self.content)


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
    """A package version and its data downloads (everything but the metadata files)."""

    package: DataPackage
    resources: tuple[Resource, ...]
    descriptor: dict[str, Any]
    downloads: tuple[Download, ...]
    coverage: Coverage

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


def build_release(package: DataPackage, model: Model, config: SiteConfig) -> Release:
    """Make every data download of a package: descriptor, CSV, JSON, workbook and zip."""
    resources = published_resources(package)
    descriptor = published_descriptor(package, resources, config)
    described = descriptor_bytes(descriptor)
    created = created_datetime(descriptor)
    stem = f"{descriptor['name']}-{path_version(str(descriptor['version']))}"
    downloads = [
        Download(DESCRIPTOR_NAME, described, "datapackage", "Data Package descriptor: schemas"),
        *_table_downloads(resources),
        Download(
            f"{stem}.xlsx",
            formats.workbook(resources, created, publisher_name(descriptor, config)),
            "xlsx",
            "Every table in one workbook, a sheet each, and a sheet describing the fields",
        ),
        Download(
            f"{stem}.zip",
            formats.zip_bytes(_package_entries(described, resources), created.date()),
            "zip",
            "The whole Data Package: datapackage.json and the canonical CSV files",
        ),
    ]
    ordered = tuple(sorted(downloads, key=lambda d: d.name))
    return Release(package, tuple(resources), descriptor, ordered, coverage_of(package.name, model))


def path_version(version: str) -> str:
    """The version as it appears in folder and file names: letters, digits, ``.+-`` only.

    The version is the publisher's free text; in an address it must stay one safe
    path segment (``1.0.0`` stays as it is, ``1.0 beta/2`` becomes ``1.0-beta-2``).
    """
    if SAFE_VERSION.fullmatch(version):
        return version
    return UNSAFE_IN_VERSION.sub("-", version).strip("-.") or "0"


def _table_downloads(resources: Sequence[Resource]) -> list[Download]:
    files: list[Download] = []
    for r in resources:
        files.append(Download(r.csv_name, r.table.raw, "csv", f"{r.name}: canonical CSV"))
        files.append(Download(r.json_name, formats.rows_json(r), "json", f"{r.name}: JSON rows"))
        files.append(
            Download(r.excel_csv_name, formats.excel_csv(r), "excel-csv", f"{r.name}: for Excel")
        )
    return files


def _package_entries(described: bytes, resources: Sequence[Resource]) -> dict[str, bytes]:
    entries = {r.csv_name: r.table.raw for r in resources}
    entries[DESCRIPTOR_NAME] = described
    return entries


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

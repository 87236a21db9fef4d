"""Open data for journalists: every package release as downloads, metadata and data pages.

For each package version, ``data/<name>/<version>/`` holds the published
``datapackage.json``, each table as canonical CSV, JSON and Excel-friendly CSV, a
workbook, a zip of the Data Package, ``dataset.jsonld`` and ``SHA256SUMS``; the
newest version of each package is copied to ``data/<name>/latest/``. Also made
here: the combined zip of every package, the DCAT catalog, the slices behind the
pages, the open-data page and the data dictionary. Same data, same bytes.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Any

from generator import paths
from generator.cache import Cache
from generator.config import SiteConfig
from generator.downloads.descriptor import created_date
from generator.downloads.formats import sha256sums
from generator.downloads.metadata import dcat_catalog, jsonld_bytes, release_folder
from generator.downloads.pages import data_page, dictionary_page
from generator.downloads.release import SUMS_NAME, Release, build_release
from generator.downloads.resources import Resource
from generator.downloads.slices import SLICED, Lines, build_slices, cached_lines
from generator.downloads.tables import forget_tables_but
from generator.downloads.ziparchive import Deflated, zip_archive
from generator.load import DataPackage
from generator.model import Model
from generator.site import SiteFile

ALL_NAME = "sunshine-all.zip"
_VERSION_PART = re.compile(r"\d+|[^\d.+-]+")


def build_downloads(
    packages: Sequence[DataPackage], model: Model, config: SiteConfig, cache: Cache | None = None
) -> Iterator[SiteFile]:
    """Every download file, the slices, the catalog and the two data pages.

    Each table's files come from ``cache`` (default: ``config.cache_dir``) when the table is
    unchanged, and which rows go in which slice when no row moved between pages;
    the bytes are the same with a cache or without one.
    """
    cache = cache or Cache(config.cache_dir)
    releases = sorted(
        (build_release(p, model, config, cache) for p in packages),
        key=lambda r: (r.name, version_key(r.version)),
    )
    forget_tables_but({r.table.path for x in releases for r in x.resources})
    folders = {r: release_folder(r, config) for r in releases}
    newest = newest_releases(releases)
    combined = combined_download(newest)
    for release in releases:
        yield from folder_files(release.folder, folders[release])
    for release in newest:
        yield from folder_files(paths.latest_dir(release.name), folders[release])
    yield from folder_files(paths.all_data_dir(), combined)
    yield SiteFile(paths.data_catalog(), jsonld_bytes(dcat_catalog(releases, config)))
    sliced = (r for x in releases for r in x.resources if r.name in SLICED)
    lines = lines_by_resource(sliced, cache)
    yield from build_slices(model, lines, cache)
    yield data_page(releases, folders, (paths.all_data_dir(), combined), config)
    yield dictionary_page(releases)


def folder_files(folder: str, files: Mapping[str, bytes]) -> Iterator[SiteFile]:
    """The files of a folder as site files, sorted by name."""
    for name in sorted(files):
        yield SiteFile(f"{folder}/{name}", files[name])


def version_key(version: str) -> tuple[Any, ...]:
    """A sort key for versions: ``1.10.0`` after ``1.9.0``, ``2.0.0-beta`` before ``2.0.0``."""
    core, _, prerelease = version.split("+", 1)[0].partition("-")
    return (_parts(core), 0 if prerelease else 1, _parts(prerelease))


def _parts(text: str) -> tuple[tuple[int, int | str], ...]:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in _VERSION_PART.findall(text))


def newest_releases(releases: Sequence[Release]) -> list[Release]:
    """The newest release of each package name, by name."""
    newest: dict[str, Release] = {}
    for release in releases:
        current = newest.get(release.name)
        if current is None or version_key(release.version) >= version_key(current.version):
            newest[release.name] = release
    return [newest[name] for name in sorted(newest)]


def combined_download(releases: Sequence[Release]) -> dict[str, bytes]:
    """``sunshine-all.zip`` (a folder per package: descriptor and canonical CSVs) and its sums."""
    entries: dict[str, Deflated] = {}
    for release in releases:
        for name, member in release.packed.items():
            entries[f"{release.name}/{name}"] = member
    days = [created_date(r.descriptor) for r in releases]
    when = max((d for d in days if d is not None), default=date(1980, 1, 1))
    files = {ALL_NAME: zip_archive(sorted(entries.items()), when)}
    files[SUMS_NAME] = sha256sums(files)
    return files


def lines_by_resource(
    resources: Iterable[Resource], cache: Cache | None = None
) -> dict[str, Lines]:
    """The CSV lines of every resource name, across packages in the order given."""
    tables: dict[str, list[Resource]] = defaultdict(list)
    for resource in resources:
        tables[resource.name].append(resource)
    return {name: cached_lines(found, cache or Cache(None)) for name, found in tables.items()}

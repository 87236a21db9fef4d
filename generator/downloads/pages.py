"""The open-data page and the data dictionary, generated from the releases.

Every value that comes from the data goes through ``generator.markdown``; file
sizes and hashes are taken from the bytes actually published.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from generator import markdown as md
from generator import paths
from generator.config import SiteConfig
from generator.downloads.fields import constraints_in_words, fields_by_name, is_required
from generator.downloads.formats import sha256
from generator.downloads.metadata import release_digests, schema_org_dataset, url_for
from generator.downloads.release import FORMATS, JSONLD_NAME, SUMS_NAME, Release, publisher_name
from generator.downloads.safety import FORMULA_STARTS
from generator.model import RESOURCES
from generator.site import SiteFile
from generator.wording import t

PAGE = paths.DATA_INDEX
DICTIONARY = paths.DATA_DICTIONARY
FILE_HEADERS = ("File", "Format", "Size", "SHA-256")
FIELD_HEADERS = ("Field", "Title", "Type", "Required", "Constraints", "Description")
KIND_OF_NAME = {JSONLD_NAME: "jsonld", SUMS_NAME: "sums"}


# Sizes and file tables


def human_size(size: int) -> str:
    """A size in decimal units: ``980 bytes``, ``12.3 kB``, ``4.5 MB``, ``1.2 GB``."""
    if size < 1000:
        return f"{size} bytes"
    for unit, scale in (("kB", 1e3), ("MB", 1e6)):
        if round(size / scale, 1) < 1000:
            return f"{size / scale:.1f} {unit}"
    return f"{size / 1e9:.1f} GB"


def file_table(
    folder: str,
    files: Mapping[str, bytes],
    kinds: Mapping[str, str],
    digests: Mapping[str, str] | None = None,
) -> str:
    """A table of a folder's files: link, format, size and SHA-256 of the bytes published.

    ``digests`` gives the SHA-256 of files already hashed; the others are hashed here.
    """
    known = digests or {}
    rows = [
        [
            md.internal_link(name, PAGE, f"{folder}/{name}"),
            FORMATS[kinds[name]].label,
            human_size(len(files[name])),
            md.Markup(f"`{known.get(name) or sha256(files[name])}`"),
        ]
        for name in sorted(files)
    ]
    return md.table(FILE_HEADERS, rows, numeric_columns=(2,))


def release_kinds(release: Release) -> dict[str, str]:
    """The format key of every file of a release folder."""
    return {**{f.name: f.kind for f in release.downloads}, **KIND_OF_NAME}


# The data page


def data_page(
    releases: Sequence[Release],
    folders: Mapping[Release, Mapping[str, bytes]],
    combined: tuple[str, Mapping[str, bytes]],
    config: SiteConfig,
) -> SiteFile:
    """The page for data users: what there is, formats, licence, checksums, changelog."""
    parts = [
        md.heading(1, t("nav.data")),
        md.paragraph(_INTRO),
        md.paragraph(
            md.join(
                [_DICTIONARY_LEAD, md.internal_link(t("nav.dictionary"), PAGE, DICTIONARY), "."]
            )
        ),
        *(_release_section(r, folders[r], config) for r in releases),
        _combined_section(*combined),
        _formats_section(releases),
        _excel_section(),
        _citation_section(releases, config),
        _checksums_section(releases),
        _stable_section(releases, config),
        _slices_section(),
        _changelog_section(releases),
    ]
    return SiteFile.text(PAGE, "\n".join(p.rstrip("\n") + "\n" for p in parts if p))


_INTRO = (
    "Every figure on this site comes from the data packages below. Download them, check "
    "them against the published documents, and reuse them under their licence."
)
_DICTIONARY_LEAD = "What every column means, its type and its allowed values: see the "


def _release_section(release: Release, files: Mapping[str, bytes], config: SiteConfig) -> str:
    dataset = schema_org_dataset(release, config, PAGE)
    return "\n".join(
        [
            md.heading(2, f"{release.title} — version {release.version}"),
            f'<script type="application/ld+json">{md.script_json(dataset)}</script>\n',
            md.definition_list(_release_facts(release, config)),
            md.paragraph(md.join(["Folder: ", md.Markup(f"`{release.folder}/`")])),
            file_table(release.folder, files, release_kinds(release), release_digests(release)),
        ]
    )


def _release_facts(release: Release, config: SiteConfig) -> list[tuple[object, object]]:
    d = release.descriptor
    coverage = release.coverage
    return [
        ("Package name", release.name),
        ("Version", release.version),
        ("Created", release.created.date().isoformat()),
        ("Description", d.get("description")),
        ("Published by", publisher_name(d, config)),
        ("Sources", "; ".join(_source_titles(d))),
        ("Licence", "; ".join(_licence_titles(d))),
        ("Years covered", coverage.period().replace("/", " to ")),
        ("Places covered", ", ".join(coverage.places)),
        ("Tables", ", ".join(r.name for r in release.resources)),
    ]


def _source_titles(descriptor: Mapping[str, Any]) -> list[str]:
    return [_titled(s) for s in descriptor.get("sources") or [] if isinstance(s, dict)]


def _licence_titles(descriptor: Mapping[str, Any]) -> list[str]:
    return [_titled(s) for s in descriptor.get("licenses") or [] if isinstance(s, dict)]


def _titled(item: Mapping[str, Any]) -> str:
    title = str(item.get("title") or item.get("name") or "")
    where = str(item.get("path") or "")
    return f"{title} ({where})" if where and title else title or where


def _combined_section(folder: str, files: Mapping[str, bytes]) -> str:
    kinds = {name: "sums" if name == SUMS_NAME else "zip" for name in files}
    return "\n".join(
        [
            md.heading(2, "Everything in one file"),
            md.paragraph(
                "One zip with the newest version of every package, a folder per package "
                "(its datapackage.json and canonical CSV files)."
            ),
            file_table(folder, files, kinds),
        ]
    )


def _formats_section(releases: Sequence[Release]) -> str:
    example = releases[0].stem if releases else "name-version"
    return "\n".join(
        [
            md.heading(2, "Formats"),
            md.bullets(
                md.Markup(item.replace("{stem}", example))
                for item in (
                    "`<table>.csv` — the canonical CSV: byte for byte the file the office "
                    "committed (UTF-8, comma-separated). Use it to check and to reuse.",
                    "`<table>.json` — the same rows as a JSON array of objects, one per row: "
                    "numbers as numbers, yes/no as `true`/`false`, lists (such as the "
                    "projects of a notice) as arrays, dates as `YYYY-MM-DD` text, empty "
                    "cells as `null`.",
                    "`<table>.excel.csv` — the same rows for spreadsheets: see *Files for "
                    "Excel* below.",
                    "`{stem}.xlsx` — every table in one Excel workbook, a sheet each (numbers, "
                    "dates and yes/no typed, header row bold and frozen) and a `fields` sheet "
                    "describing every column.",
                    "`{stem}.zip` — the whole Frictionless Data Package: `datapackage.json` "
                    "and the canonical CSV files. `frictionless validate datapackage.json` "
                    "checks it.",
                    "`datapackage.json` — the Data Package descriptor (v2): title, licence, "
                    "sources, and the Table Schema of every table.",
                    f"`{JSONLD_NAME}` — a schema.org Dataset description (JSON-LD) for search "
                    "engines and catalogues; every release and file is also listed in the "
                    "DCAT catalog "
                    + md.internal_link("catalog.jsonld", PAGE, paths.data_catalog())
                    + ".",
                    f"`{SUMS_NAME}` — the SHA-256 checksum of every file of the folder.",
                )
            ),
        ]
    )


def _excel_section() -> str:
    names = [_START_NAMES[c] for c in FORMULA_STARTS]
    starts = ", ".join(names[:-1]) + " or " + names[-1]
    return "\n".join(
        [
            md.heading(2, "Files for Excel"),
            md.paragraph(
                md.Markup(
                    "The `.excel.csv` files are UTF-8 with a byte order mark, so Excel shows "
                    "Chinese characters correctly when the file is opened with a double click; "
                    "cells are comma-separated and lines end with CR LF."
                )
            ),
            md.paragraph(
                md.Markup(
                    f"A spreadsheet runs a cell as a formula when it begins with {starts}. So "
                    "that no published text can run as a formula on your computer, a text cell "
                    "that begins with one of these characters gets a single quote `'` in front "
                    "of it, as the OWASP advice on CSV injection recommends: "
                    '`=HYPERLINK("http://example.org")` becomes '
                    '`\'=HYPERLINK("http://example.org")`. A cell that is a plain number, '
                    "such as `-5`, `-1.5` or `+3`, is a number, not a formula, and is left "
                    "as it is. The workbook (`.xlsx`) applies the same rule to its text cells "
                    "and stores every text cell as text, never as a formula."
                )
            ),
            md.paragraph(
                md.Markup(
                    "The canonical `.csv` and the `.json` files are never changed: use them "
                    "when you need the exact published text (and remove the added `'` if you "
                    "compare values from the Excel files with them)."
                )
            ),
        ]
    )


_START_NAMES = {
    "=": "`=`",
    "+": "`+`",
    "-": "`-`",
    "@": "`@`",
    "\t": "a tab",
    "\r": "a carriage return",
}


def _citation_section(releases: Sequence[Release], config: SiteConfig) -> str:
    parts = [
        md.heading(2, "Licence and how to cite"),
        md.paragraph(
            "Reuse the data under the licence named with each package above: credit the "
            "publisher, name the licence and cite the version you used, for example:"
        ),
    ]
    for release in releases:
        parts.append("> " + md.text(citation(release, config)) + "\n")
    return "\n".join(parts)


def citation(release: Release, config: SiteConfig) -> str:
    """A ready citation: publisher (year). Title, version. Site. Stable URL of the version."""
    year = release.created.year
    publisher = publisher_name(release.descriptor, config)
    where = folder_address(release.folder, config)
    licence = "; ".join(_licence_titles(release.descriptor))
    created = release.created.date().isoformat()
    return (
        f"{publisher} ({year}). {release.title}, version {release.version} [data set], "
        f"{created}. {config.site_name}: {where}. Licence: {licence}."
    )


def folder_address(folder: str, config: SiteConfig) -> str:
    """A folder's web address when the site URL is known, else its path in the site."""
    return url_for(folder + "/", PAGE, config) if config.site_url else folder + "/"


def _checksums_section(releases: Sequence[Release]) -> str:
    stem = releases[0].stem if releases else "name-version"
    folder = releases[0].folder if releases else "data/name/version"
    return "\n".join(
        [
            md.heading(2, "Check that a download is complete"),
            md.paragraph(
                md.Markup(
                    f"Every folder has a `{SUMS_NAME}` file with the SHA-256 checksum of each of "
                    "its files, and the tables above show the same checksums. In the folder "
                    "where you saved the files (with the SHA256SUMS file of the same folder), "
                    "on Linux or macOS:"
                )
            ),
            f"```sh\nsha256sum -c {SUMS_NAME}\n"
            f"# only some of the files downloaded:\nsha256sum -c --ignore-missing {SUMS_NAME}\n"
            f"# macOS:\nshasum -a 256 -c {SUMS_NAME}\n```\n",
            md.paragraph(
                "On Windows, in PowerShell, compare the hash it prints with the SHA-256 column "
                "above (upper or lower case does not matter):"
            ),
            f"```powershell\nGet-FileHash -Algorithm SHA256 {stem}.zip\n```\n",
            md.paragraph(md.Markup(f"Example folder: `{folder}/`.")),
        ]
    )


def _stable_section(releases: Sequence[Release], config: SiteConfig) -> str:
    if not releases:
        return ""
    release = releases[0]
    version_url = folder_address(release.folder, config)
    latest_url = folder_address(paths.latest_dir(release.name), config)
    return "\n".join(
        [
            md.heading(2, "Stable addresses"),
            md.bullets(
                [
                    md.join(
                        [
                            "A version folder never changes once published: ",
                            md.Markup(f"`{version_url}`"),
                            ". Cite and link to it.",
                        ]
                    ),
                    md.join(
                        [
                            "The latest folder always holds a copy of the newest version: ",
                            md.Markup(f"`{latest_url}`"),
                            ". Its files change when a new version is published.",
                        ]
                    ),
                ]
            ),
        ]
    )


def _slices_section() -> str:
    example = paths.slice_csv("projects", "<project>", "funds")
    return "\n".join(
        [
            md.heading(2, "The rows behind each page"),
            md.paragraph(
                md.Markup(
                    "Pages of projects, places, programs, funding sources and years link to a "
                    "small CSV of exactly the rows they show, e.g. "
                    f"`{example}`. Its rows are copied unchanged from the canonical CSV, "
                    "with the same header."
                )
            ),
        ]
    )


def _changelog_section(releases: Sequence[Release]) -> str:
    lines = [md.heading(2, "Changes")]
    by_name: dict[str, list[Release]] = {}
    for release in releases:
        by_name.setdefault(release.name, []).append(release)
    for versions in by_name.values():
        lines.append(md.heading(3, versions[-1].title))
        entries = [e for i, r in enumerate(versions) for e in changelog(r, first=i == 0)]
        lines.append(md.bullets(dict.fromkeys(reversed(entries))))
    return "\n".join(lines)


def changelog(release: Release, first: bool = True) -> list[str]:
    """The release's changelog: the descriptor's own list, or one entry for this version."""
    d = release.descriptor
    listed = d.get("changelog") or d.get("releases")
    entries = [_change(item) for item in listed] if isinstance(listed, list) else []
    entries = [e for e in entries if e]
    if entries:
        return entries
    what = "first release" if first else "new version"
    return [f"{release.version} ({release.created.date().isoformat()}) — {what}"]


def _change(item: Any) -> str:
    if isinstance(item, str):
        return item
    if not isinstance(item, dict):
        return ""
    head = " ".join(str(item[k]) for k in ("version", "date") if item.get(k))
    body = item.get("description") or item.get("changes") or item.get("title") or ""
    if isinstance(body, list):
        body = "; ".join(str(b) for b in body)
    return f"{head} — {body}" if head and body else head or str(body)


# The data dictionary


def dictionary_page(releases: Sequence[Release]) -> SiteFile:
    """The data dictionary: every table's fields, types, constraints and keys."""
    parts = [
        md.heading(1, t("nav.dictionary")),
        md.paragraph(
            "The columns of every table, from the Table Schemas published in each "
            "datapackage.json. A required column has a value in every row; an empty cell "
            "elsewhere means the value is not known or does not apply."
        ),
    ]
    for name, variants in _schemas_by_resource(releases).items():
        parts.append(md.heading(2, name))
        for schema, packages in variants:
            if len(variants) > 1:
                parts.append(md.paragraph(f"In {', '.join(packages)}:"))
            parts.append(_schema_block(schema))
    return SiteFile.text(DICTIONARY, "\n".join(p.rstrip("\n") + "\n" for p in parts if p))


Variants = list[tuple[dict[str, Any], list[str]]]


def _schemas_by_resource(releases: Sequence[Release]) -> dict[str, Variants]:
    """Resource name -> the distinct schemas it has, each with the packages using it."""
    found: dict[str, dict[str, tuple[dict[str, Any], list[str]]]] = {}
    for release in releases:
        for resource in release.resources:
            key = json.dumps(resource.schema, sort_keys=True)
            variants = found.setdefault(resource.name, {})
            variants.setdefault(key, (resource.schema, []))[1].append(release.stem)
    order = sorted(found, key=lambda n: (RESOURCES.index(n) if n in RESOURCES else 99, n))
    return {name: list(found[name].values()) for name in order}


def _schema_block(schema: Mapping[str, Any]) -> str:
    rows = [_field_row(f) for f in fields_by_name(dict(schema)).values()]
    return "\n".join([md.table(FIELD_HEADERS, rows), md.definition_list(_keys(schema))])


def _field_row(field: Mapping[str, Any]) -> list[object]:
    return [
        md.Markup(f"`{field['name']}`") if _plain_name(field["name"]) else field["name"],
        field.get("title", ""),
        field.get("type", "string"),
        "yes" if is_required(dict(field)) else "no",
        constraints_in_words(dict(field)),
        field.get("description", ""),
    ]


def _plain_name(name: str) -> bool:
    return name.replace("_", "").replace("-", "").isalnum() and name.isascii()


def _keys(schema: Mapping[str, Any]) -> list[tuple[object, object]]:
    primary = schema.get("primaryKey")
    if isinstance(primary, str):
        primary = [primary]
    return [
        ("Primary key", ", ".join(primary) if isinstance(primary, list) else ""),
        ("Foreign keys", "; ".join(_foreign_key(k) for k in _list(schema.get("foreignKeys")))),
    ]


def _foreign_key(key: Any) -> str:
    if not isinstance(key, dict) or not isinstance(key.get("reference"), dict):
        return ""
    ref = key["reference"]
    target = ref.get("resource") or "this table"
    return f"{_names(key.get('fields'))} → {target}.{_names(ref.get('fields'))}"


def _names(value: Any) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def _list(value: Any) -> Iterable[Any]:
    return value if isinstance(value, list) else []

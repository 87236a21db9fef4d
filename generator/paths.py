"""The site's address layout, in one place.

Every generated page, chart and download path is made here, so pages that link
to each other and to downloads can never disagree. Paths are POSIX, relative to
the docs root; ``use_directory_urls`` is off, so ``projects/p1.md`` is served as
``projects/p1.html`` and relative links work the same from disk and from a server.
Ids have already been validated against the id pattern before they get here.
"""

from __future__ import annotations

import posixpath

HOME = "index.md"
PROJECTS_INDEX = "projects/index.md"
REGIONS_INDEX = "regions/index.md"
PROGRAMS_INDEX = "programs/index.md"
SOURCES_INDEX = "sources/index.md"
YEARS_INDEX = "years/index.md"
ANNOUNCEMENTS_INDEX = "announcements/index.md"
DATA_INDEX = "data/index.md"
DATA_DICTIONARY = "data/dictionary.md"


def project_page(project_id: str) -> str:
    """Markdown path of a project's page."""
    return f"projects/{project_id}.md"


def region_page(code: str) -> str:
    """Markdown path of a region's page."""
    return f"regions/{code}.md"


def program_page(program_id: str) -> str:
    """Markdown path of a program's page."""
    return f"programs/{program_id}.md"


def source_page(source_type: str) -> str:
    """Markdown path of a funding source's page."""
    return f"sources/{source_type}.md"


def year_page(year: int) -> str:
    """Markdown path of a year overview page."""
    return f"years/{year}.md"


def announcement_page(announcement_id: str) -> str:
    """Markdown path of a notice's page."""
    return f"announcements/{announcement_id}.md"


def chart_spec(page: str, name: str) -> str:
    """Path of a chart's Vega-Lite spec; its static SVG sits beside it (``.svg``)."""
    stem = page.removesuffix(".md")
    return f"charts/{stem}/{name}.vl.json"


def chart_svg(spec_path: str) -> str:
    """Path of the static SVG rendered from a chart spec."""
    return spec_path.removesuffix(".vl.json") + ".svg"


def slice_csv(kind: str, key: str, resource: str) -> str:
    """Download of exactly the rows behind a page, e.g. ``data/slices/projects/p1/funds.csv``.

    ``kind`` is one of projects, regions, programs, sources, years.
    """
    return f"data/slices/{kind}/{key}/{resource}.csv"


def release_dir(package: str, version: str) -> str:
    """Folder of one package release, e.g. ``data/lijiang-2019/1.0.0``."""
    return f"data/{package}/{version}"


def latest_dir(package: str) -> str:
    """Folder of the ``latest`` alias of a package's newest release."""
    return f"data/{package}/latest"


def relative(from_page: str, to_path: str) -> str:
    """Relative link from one docs path to another (both relative to the docs root)."""
    return posixpath.relpath(to_path, posixpath.dirname(from_page) or ".")


def html_of(md_path: str) -> str:
    """The built HTML path of a Markdown page (``use_directory_urls: false``)."""
    return md_path.removesuffix(".md") + ".html"


def all_data_dir() -> str:
    """Folder of the combined download of every package, ``data/all``."""
    return "data/all"


def data_catalog() -> str:
    """The DCAT catalog of every release, ``data/catalog.jsonld``."""
    return "data/catalog.jsonld"

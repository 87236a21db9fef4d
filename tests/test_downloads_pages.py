"""The open-data page and the data dictionary."""

from __future__ import annotations

import hashlib
import json
import posixpath
import re
from pathlib import Path

import pytest
from downloads_support import RELEASE, Files, build, minimal_data

from generator import paths

LINK = re.compile(r"\]\(([^)\s]+)\)")


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    return build(minimal_data(tmp_path_factory.mktemp("pages")))


def _page(files: Files, path: str = paths.DATA_INDEX) -> str:
    return files[path].decode("utf-8")


def test_every_link_of_the_data_pages_points_at_a_generated_file(files: Files) -> None:
    for page in (paths.DATA_INDEX, paths.DATA_DICTIONARY):
        for target in LINK.findall(_page(files, page)):
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page), target))
            assert resolved in files or resolved == paths.DATA_DICTIONARY, (page, target)


def test_data_page_links_the_dictionary_relatively(files: Files) -> None:
    assert "](dictionary.md)" in _page(files)


def test_data_page_lists_each_file_with_size_and_hash(files: Files) -> None:
    page = _page(files)
    for name in ("minimal-1.0.0.zip", "projects.csv", "projects.excel.csv", "datapackage.json"):
        digest = hashlib.sha256(files[f"{RELEASE}/{name}"]).hexdigest()
        row = next(line for line in page.splitlines() if f"(minimal/1.0.0/{name})" in line)
        assert digest in row
    assert "(all/sunshine-all.zip)" in page


def test_data_page_describes_the_package(files: Files) -> None:
    page = _page(files)
    assert "Minimal Sunshine package" in page
    assert "2024&#45;01&#45;01" in page  # created, escaped as page text
    assert "Creative Commons Attribution 4" in page


def test_data_page_explains_checksums_excel_and_addresses(files: Files) -> None:
    page = _page(files)
    assert "sha256sum -c SHA256SUMS" in page
    assert "Get-FileHash -Algorithm SHA256" in page
    assert "byte order mark" in page
    for start in ("`=`", "`+`", "`-`", "`@`", "a tab", "a carriage return", "`-5`"):
        assert start in page
    assert "`data/minimal/1.0.0/`" in page
    assert "`data/minimal/latest/`" in page


def test_citation_names_publisher_title_version_date_and_folder(tmp_path: Path) -> None:
    files = build(minimal_data(tmp_path), site_url="https://sunshine.example.org")
    quote = next(line for line in _page(files).splitlines() if line.startswith("> "))
    assert "Sunshine &#40;2024&#41;" in quote  # no contributor: the site publishes
    assert "Minimal Sunshine package" in quote
    assert "version 1&#46;0&#46;0" in quote
    assert "2024&#45;01&#45;01" in quote
    assert "https&#58;//sunshine&#46;example&#46;org/data/minimal/1&#46;0&#46;0/" in quote


def test_changelog_defaults_to_a_first_release(files: Files) -> None:
    assert "1&#46;0&#46;0 &#40;2024&#45;01&#45;01&#41; — first release" in _page(files)


def test_changelog_of_the_descriptor_is_shown(tmp_path: Path) -> None:
    data = minimal_data(tmp_path)
    descriptor_file = data / "minimal" / "datapackage.json"
    descriptor = json.loads(descriptor_file.read_text("utf-8"))
    descriptor["version"] = "1.1.0"
    descriptor["changelog"] = [
        {"version": "1.1.0", "date": "2024-03-01", "description": "Corrected fund f4."},
        {"version": "1.0.0", "date": "2024-01-01", "description": "First release."},
    ]
    descriptor_file.write_text(json.dumps(descriptor), "utf-8")
    page = _page(build(data))
    assert "Corrected fund f4" in page and "First release" in page
    assert "data/minimal/1.1.0/datapackage.json" in build(data)


def test_dictionary_describes_every_field_with_constraints_and_keys(files: Files) -> None:
    page = _page(files, paths.DATA_DICTIONARY)
    assert "## projects" in page
    assert "| `status` |" in page
    assert "one of&#58; planned, in&#45;progress, completed" in page
    assert "at most 300 characters" in page
    assert "Primary key" in page
    assert "program → programs&#46;id" in page

"""Machine-readable metadata: schema.org JSON-LD (file and page) and the DCAT catalog."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from downloads_support import RELEASE, Files, build, minimal_data

SITE = "https://sunshine.example.org/"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Files:
    return build(minimal_data(tmp_path_factory.mktemp("meta")))


@pytest.fixture(scope="module")
def hosted(tmp_path_factory: pytest.TempPathFactory) -> Files:
    return build(minimal_data(tmp_path_factory.mktemp("hosted")), site_url=SITE)


def _data_files(files: Files) -> set[str]:
    """File names of the release folder that are data distributions."""
    names = {p.removeprefix(RELEASE + "/") for p in files if p.startswith(RELEASE + "/")}
    return names - {"dataset.jsonld", "SHA256SUMS"}


def test_dataset_jsonld_is_a_schema_org_dataset(files: Files) -> None:
    dataset = json.loads(files[f"{RELEASE}/dataset.jsonld"])
    assert dataset["@context"] == "https://schema.org"
    assert dataset["@type"] == "Dataset"
    assert dataset["name"] == "Minimal Sunshine package (test fixture)"
    assert dataset["version"] == "1.0.0"
    assert dataset["datePublished"] == "2024-01-01"
    assert dataset["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert dataset["temporalCoverage"] == "2019"
    assert dataset["spatialCoverage"] == {"@type": "Place", "name": "Lijiang City"}
    assert dataset["publisher"]["@type"] == "Organization"


def test_dataset_jsonld_names_every_distribution(files: Files) -> None:
    dataset = json.loads(files[f"{RELEASE}/dataset.jsonld"])
    downloads = {d["name"]: d for d in dataset["distribution"]}
    assert set(downloads) == _data_files(files)
    for name, download in downloads.items():
        content = files[f"{RELEASE}/{name}"]
        assert download["@type"] == "DataDownload"
        assert download["contentUrl"] == name  # relative to the jsonld file itself
        assert download["contentSize"] == f"{len(content)} B"
        assert download["sha256"] == hashlib.sha256(content).hexdigest()
    assert downloads["projects.csv"]["encodingFormat"] == "text/csv"


def test_urls_are_absolute_when_the_site_url_is_set(hosted: Files) -> None:
    dataset = json.loads(hosted[f"{RELEASE}/dataset.jsonld"])
    urls = {d["contentUrl"] for d in dataset["distribution"]}
    assert f"{SITE}{RELEASE}/projects.csv" in urls
    catalog = json.loads(hosted["data/catalog.jsonld"])
    first = catalog["dcat:dataset"][0]["dcat:distribution"][0]
    assert first["dcat:downloadURL"]["@id"].startswith(f"{SITE}{RELEASE}/")


def test_data_page_embeds_the_dataset(files: Files) -> None:
    page = files["data/index.md"].decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)
    assert len(scripts) == 1
    dataset = json.loads(scripts[0])
    assert dataset["@type"] == "Dataset"
    urls = {d["contentUrl"] for d in dataset["distribution"]}
    assert "minimal/1.0.0/minimal-1.0.0.zip" in urls  # relative to data/index.md


def _catalog(files: Files) -> dict[str, Any]:
    catalog: dict[str, Any] = json.loads(files["data/catalog.jsonld"])
    return catalog


def test_dcat_catalog_lists_every_dataset_and_distribution(files: Files) -> None:
    catalog = _catalog(files)
    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert catalog["@context"]["dct"] == "http://purl.org/dc/terms/"
    (dataset,) = catalog["dcat:dataset"]
    assert dataset["@type"] == "dcat:Dataset"
    assert dataset["dct:identifier"] == "minimal-1.0.0"
    distributions = {d["dct:title"]: d for d in dataset["dcat:distribution"]}
    assert set(distributions) == _data_files(files)
    for name, d in distributions.items():
        content = files[f"{RELEASE}/{name}"]
        assert d["@type"] == "dcat:Distribution"
        assert d["dcat:downloadURL"]["@id"] == f"minimal/1.0.0/{name}"
        assert d["dcat:byteSize"]["@value"] == str(len(content))
        checksum = d["spdx:checksum"]
        assert checksum["spdx:algorithm"]["@id"] == "spdx:checksumAlgorithm_sha256"
        assert checksum["spdx:checksumValue"]["@value"] == hashlib.sha256(content).hexdigest()
        assert d["dct:format"]["@id"].startswith("http://publications.europa.eu/")
    zip_media = distributions["minimal-1.0.0.zip"]["dcat:mediaType"]["@id"]
    assert zip_media == "https://www.iana.org/assignments/media-types/application/zip"


def test_dcat_catalog_lists_every_package(tmp_path: Path) -> None:
    data = minimal_data(tmp_path)
    copy = data / "second"
    copy.mkdir()
    for file in (data / "minimal").iterdir():
        text = file.read_bytes()
        if file.name == "datapackage.json":
            text = text.replace(b'"name": "minimal"', b'"name": "second"')
        (copy / file.name).write_bytes(text)
    catalog = _catalog(build(data))
    ids = [d["dct:identifier"] for d in catalog["dcat:dataset"]]
    assert ids == ["minimal-1.0.0", "second-1.0.0"]

"""Machine-readable descriptions of the releases: schema.org JSON-LD, DCAT and checksums.

URLs are absolute when the site's URL is configured; otherwise they are relative
to the file (or page) that holds them, which JSON-LD resolves against the
document's own address.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from generator import paths
from generator.config import SiteConfig
from generator.downloads import formats
from generator.downloads.release import (
    FORMATS,
    JSONLD_NAME,
    SUMS_NAME,
    Download,
    Release,
    creator_names,
    publisher_name,
)
from generator.markdown import safe_url

EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"
DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def url_for(path: str, from_path: str, config: SiteConfig) -> str:
    """The URL of a site path as written in the file at ``from_path``."""
    if config.site_url:
        return f"{config.site_url.rstrip('/')}/{path}"
    return paths.relative(from_path, path)


def folder_url(folder: str, from_path: str, config: SiteConfig) -> str:
    """The URL of a folder, with its trailing slash."""
    return url_for(folder, from_path, config).rstrip("/") + "/"


def license_url(release: Release, config: SiteConfig) -> str:
    """The URL of the release's licence (its first licence with a web address)."""
    for licence in release.descriptor.get("licenses") or []:
        if isinstance(licence, dict) and safe_url(str(licence.get("path", ""))):
            return str(licence["path"])
    return config.license_path


# schema.org


def schema_org_dataset(release: Release, config: SiteConfig, from_path: str) -> dict[str, Any]:
    """A schema.org ``Dataset`` describing the release and its downloads."""
    d = release.descriptor
    dataset: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "@id": folder_url(release.folder, from_path, config),
        "name": release.title,
        "alternateName": release.name,
        "identifier": release.stem,
        "description": str(d.get("description", "")),
        "version": release.version,
        "datePublished": release.created.date().isoformat(),
        "license": license_url(release, config),
        "isAccessibleForFree": True,
        "keywords": list(d.get("keywords") or []),
        "url": url_for(paths.html_of(paths.DATA_INDEX), from_path, config),
        "creator": [_organization(n) for n in creator_names(d, config)],
        "publisher": _organization(publisher_name(d, config)),
        "includedInDataCatalog": _catalog_ref(config, from_path),
        "distribution": [_data_download(release, f, config, from_path) for f in release.downloads],
    }
    dataset.update(_coverage(release))
    return dataset


def _organization(name: str) -> dict[str, str]:
    return {"@type": "Organization", "name": name}


def _catalog_ref(config: SiteConfig, from_path: str) -> dict[str, str]:
    return {
        "@type": "DataCatalog",
        "name": f"{config.site_name} open data",
        "url": url_for(paths.data_catalog(), from_path, config),
    }


def _coverage(release: Release) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if release.coverage.years:
        out["temporalCoverage"] = release.coverage.period()
    places = [{"@type": "Place", "name": name} for name in release.coverage.places]
    if places:
        out["spatialCoverage"] = places[0] if len(places) == 1 else places
    return out


def _data_download(
    release: Release, file: Download, config: SiteConfig, from_path: str
) -> dict[str, Any]:
    return {
        "@type": "DataDownload",
        "name": file.name,
        "description": file.description,
        "contentUrl": url_for(f"{release.folder}/{file.name}", from_path, config),
        "encodingFormat": file.format.media_type,
        "contentSize": f"{file.size} B",
        "sha256": file.sha256,
    }


def jsonld_bytes(document: dict[str, Any]) -> bytes:
    """A JSON-LD file: sorted keys (their order carries no meaning), UTF-8."""
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()


def release_folder(release: Release, config: SiteConfig) -> dict[str, bytes]:
    """Every file of the version folder by name: downloads, ``dataset.jsonld``, ``SHA256SUMS``."""
    files = {f.name: f.content for f in release.downloads}
    jsonld_path = f"{release.folder}/{JSONLD_NAME}"
    files[JSONLD_NAME] = jsonld_bytes(schema_org_dataset(release, config, jsonld_path))
    digests = release_digests(release)
    digests[JSONLD_NAME] = formats.sha256(files[JSONLD_NAME])
    files[SUMS_NAME] = formats.sums_file(digests)
    return files


def release_digests(release: Release) -> dict[str, str]:
    """The hex SHA-256 of every download of the release, by file name (hashed once)."""
    return {f.name: f.sha256 for f in release.downloads}


# DCAT


def dcat_catalog(releases: Sequence[Release], config: SiteConfig) -> dict[str, Any]:
    """A DCAT catalog (JSON-LD) of every release and every downloadable file."""
    here = paths.data_catalog()
    return {
        "@context": DCAT_CONTEXT,
        "@id": url_for(here, here, config),
        "@type": "dcat:Catalog",
        "dct:title": f"{config.site_name} open data",
        "dct:description": "Every published data package release and its downloadable files.",
        "dct:license": {"@id": config.license_path},
        "dct:publisher": _agent(config.site_name),
        "foaf:homepage": {"@id": url_for(paths.html_of(paths.DATA_INDEX), here, config)},
        "dcat:dataset": [_dcat_dataset(r, config, here) for r in releases],
    }


def _agent(name: str) -> dict[str, str]:
    return {"@type": "foaf:Agent", "foaf:name": name}


def _dcat_dataset(release: Release, config: SiteConfig, here: str) -> dict[str, Any]:
    d = release.descriptor
    dataset: dict[str, Any] = {
        "@id": folder_url(release.folder, here, config),
        "@type": "dcat:Dataset",
        "dct:identifier": release.stem,
        "dct:title": release.title,
        "dct:description": str(d.get("description", "")),
        "dcat:version": release.version,
        "dct:issued": {"@value": release.created.date().isoformat(), "@type": "xsd:date"},
        "dct:license": {"@id": license_url(release, config)},
        "dct:publisher": _agent(publisher_name(d, config)),
        "dct:creator": [_agent(n) for n in creator_names(d, config)],
        "dcat:keyword": list(d.get("keywords") or []),
        "dcat:landingPage": {"@id": url_for(paths.html_of(paths.DATA_INDEX), here, config)},
        "dcat:distribution": [_distribution(release, f, config, here) for f in release.downloads],
    }
    dataset.update(_dcat_coverage(release))
    return dataset


def _dcat_coverage(release: Release) -> dict[str, Any]:
    out: dict[str, Any] = {}
    years = release.coverage.years
    if years:
        out["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": f"{min(years)}-01-01", "@type": "xsd:date"},
            "dcat:endDate": {"@value": f"{max(years)}-12-31", "@type": "xsd:date"},
        }
    places = [{"@type": "dct:Location", "rdfs:label": p} for p in release.coverage.places]
    if places:
        out["dct:spatial"] = places
    return out


def _distribution(
    release: Release, file: Download, config: SiteConfig, here: str
) -> dict[str, Any]:
    url = {"@id": url_for(f"{release.folder}/{file.name}", here, config)}
    return {
        "@type": "dcat:Distribution",
        "dct:title": file.name,
        "dct:description": file.description,
        "dcat:downloadURL": url,
        "dcat:accessURL": url,
        "dcat:mediaType": {"@id": IANA_MEDIA_TYPE + file.format.media_type},
        "dct:format": {"@id": EU_FILE_TYPE + FORMATS[file.kind].file_type},
        "dcat:byteSize": {"@value": str(file.size), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
            "spdx:checksumValue": {"@value": file.sha256, "@type": "xsd:hexBinary"},
        },
        "dct:license": {"@id": license_url(release, config)},
    }

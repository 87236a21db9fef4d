"""The published ``datapackage.json``: the committed descriptor, completed.

What the publisher wrote is kept; what is missing is filled in from the site's
configuration (licence, publisher) so the descriptor is complete and valid
against the Data Package v2 profile. Each resource points at its canonical CSV
in the release folder and carries its size, SHA-256 hash and inline schema.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from generator.config import SiteConfig
from generator.downloads.resources import Resource
from generator.load import DataPackage

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
DEFAULT_KEYWORDS = ("open data", "public funds", "transparency")
DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Keys written first, in this order; any other key of the committed descriptor follows.
LEADING_KEYS = (
    "$schema",
    "name",
    "id",
    "title",
    "description",
    "version",
    "created",
    "homepage",
    "licenses",
    "sources",
    "contributors",
    "keywords",
)
# Keys the publication replaces: "profile" is the v1 spelling of "$schema".
REPLACED_KEYS = frozenset({*LEADING_KEYS, "profile", "resources"})
RESOURCE_KEYS = ("title", "description", "dialect", "sources", "licenses")


def published_descriptor(
    package: DataPackage, resources: Sequence[Resource], config: SiteConfig
) -> dict[str, Any]:
    """The complete descriptor of a release (key order is meant for human readers)."""
    committed = package.descriptor
    values = _completed(package, resources, config)
    out = {key: values[key] for key in LEADING_KEYS if values.get(key) not in (None, "", [])}
    for key in sorted(committed):
        if key not in REPLACED_KEYS:
            out[key] = committed[key]
    out["resources"] = [resource_descriptor(r) for r in resources]
    return out


def _completed(
    package: DataPackage, resources: Sequence[Resource], config: SiteConfig
) -> dict[str, Any]:
    committed = package.descriptor
    title = _text(committed.get("title")) or package.name
    return {
        **{key: committed.get(key) for key in LEADING_KEYS},
        "$schema": PROFILE,
        "name": package.name,
        "title": title,
        "description": _text(committed.get("description")) or _description(title, resources),
        "version": _text(committed.get("version")) or "1.0.0",
        "created": created_timestamp(committed.get("created")),
        "licenses": _list(committed.get("licenses")) or [default_license(config)],
        "contributors": _list(committed.get("contributors")) or [default_publisher(config)],
        "keywords": _list(committed.get("keywords")) or list(DEFAULT_KEYWORDS),
    }


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _description(title: str, resources: Sequence[Resource]) -> str:
    names = ", ".join(r.name for r in resources)
    return f"{title}: {len(resources)} tables ({names})."


def created_timestamp(value: Any) -> str | None:
    """``created`` as an RFC 3339 timestamp (a bare date becomes midnight UTC)."""
    text = _text(value)
    if DATE_ONLY.fullmatch(text):
        return f"{text}T00:00:00Z"
    return text or None


def created_date(descriptor: dict[str, Any]) -> date | None:
    """The day a descriptor was created, if it says."""
    text = _text(descriptor.get("created"))[:10]
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def created_datetime(descriptor: dict[str, Any]) -> datetime:
    """Midnight of the creation day, or 1980-01-01 when unknown (fixed, for identical bytes)."""
    day = created_date(descriptor) or date(1980, 1, 1)
    return datetime(day.year, day.month, day.day)


def default_license(config: SiteConfig) -> dict[str, str]:
    """The site's default licence as a Data Package licence object."""
    return {"name": config.license_id, "path": config.license_path, "title": config.license_title}


def default_publisher(config: SiteConfig) -> dict[str, Any]:
    """The site itself as the publishing contributor."""
    return {"title": config.site_name, "roles": ["publisher"]}


def resource_descriptor(resource: Resource) -> dict[str, Any]:
    """A resource of the release: its canonical CSV, size, hash and inline schema."""
    raw = resource.table.raw
    out: dict[str, Any] = {"name": resource.name, "type": "table", "path": resource.csv_name}
    out.update({k: resource.declared[k] for k in RESOURCE_KEYS if k in resource.declared})
    out.update(
        {
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": resource.encoding,
            "bytes": len(raw),
            "hash": f"sha256:{resource.sha256}",
            "schema": resource.schema,
        }
    )
    return out


def descriptor_bytes(descriptor: dict[str, Any]) -> bytes:
    """The descriptor as UTF-8 JSON, two-space indented, keys in the order built."""
    return (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

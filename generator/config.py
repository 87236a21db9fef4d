"""Declared build configuration: everything a build depends on besides the data."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class SiteConfig:
    """Settings of one build. Same config and same data give the same bytes."""

    data_dir: Path
    site_name: str = "Sunshine"
    site_url: str = ""
    language: str = "en"
    license_id: str = "CC-BY-4.0"
    license_title: str = "Creative Commons Attribution 4.0"
    license_path: str = "https://creativecommons.org/licenses/by/4.0/"
    feedback_contact: str = ""
    strict: bool = False
    cache_dir: Path | None = None
    extra: dict[str, str] = field(default_factory=dict)

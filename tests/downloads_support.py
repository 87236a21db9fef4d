"""Helpers of the download tests: a data folder from the minimal package, and a build of it."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

from generator.config import SiteConfig
from generator.downloads import build_downloads
from generator.load import load_packages
from generator.model import build_model

MINIMAL = Path(__file__).parent / "fixtures" / "valid" / "minimal"
# The official Data Package profiles, kept beside the repository where available.
PROFILES = Path(__file__).resolve().parents[2] / "shared" / "reference" / "datapackage-profiles"
RELEASE = "data/minimal/1.0.0"

Files = dict[str, bytes]


def minimal_data(tmp_path: Path, name: str = "minimal") -> Path:
    """A data folder holding a copy of the minimal valid package."""
    data = tmp_path / "data"
    shutil.copytree(MINIMAL, data / name)
    return data


def build(data: Path, **settings: Any) -> Files:
    """Every download file of the data folder, by site path."""
    packages, problems = load_packages(data)
    assert not problems, problems
    config = SiteConfig(data_dir=data, **settings)
    return {f.path: f.content for f in build_downloads(packages, build_model(packages), config)}


def replace_in(file: Path, old: str, new: str) -> None:
    """Replace text in a file; ``old`` must be there."""
    text = file.read_text("utf-8")
    assert old in text, f"{old!r} not in {file}"
    file.write_text(text.replace(old, new, 1), "utf-8")


def csv_rows(content: bytes) -> list[list[str]]:
    """The records of a CSV file (a BOM is skipped)."""
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def add_benefit_labels(data: Path, labels: list[str]) -> Path:
    """Append a benefit row of project p2 to the minimal package for each label."""
    rows = "".join(
        f"hostile-{i},p2,people,people,{_quoted(label)},1,,,Fixture.,false\n"
        for i, label in enumerate(labels)
    )
    with (data / "minimal" / "benefits.csv").open("a", encoding="utf-8", newline="") as out:
        out.write(rows)
    return data


def _quoted(cell: str) -> str:
    return '"' + cell.replace('"', '""') + '"'

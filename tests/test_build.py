"""The orchestrator: a good build prunes the cache to what it used; a failed one keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest
from datadir import DataDir

from generator.build import build_site
from generator.config import SiteConfig
from generator.problems import DataError


def _entries(cache: Path) -> set[Path]:
    return set(cache.rglob("*.pickle"))


def test_a_good_build_keeps_only_the_cache_entries_it_used(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    data.add_package()
    config = SiteConfig(data_dir=data.root, cache_dir=tmp_path / "cache")
    build_site(config)
    first = _entries(tmp_path / "cache")
    data.replace("minimal/projects.csv", "Example Village road", "Example Village lane")
    build_site(config)
    second = _entries(tmp_path / "cache")
    assert first - second  # the edited project's old entries are gone
    assert second - first  # and its new ones are there
    build_site(config)
    assert _entries(tmp_path / "cache") == second  # the same data: nothing made, nothing lost


def test_a_failed_build_leaves_the_cache_as_it_was(tmp_path: Path) -> None:
    data = DataDir(tmp_path / "data")
    data.add_package()
    config = SiteConfig(data_dir=data.root, cache_dir=tmp_path / "cache")
    build_site(config)
    before = _entries(tmp_path / "cache")
    data.replace("minimal/projects.csv", ",2019,2019-03-01,", ",twenty,2019-03-01,")
    with pytest.raises(DataError):
        build_site(config)
    assert _entries(tmp_path / "cache") >= before

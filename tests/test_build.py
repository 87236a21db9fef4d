"""The orchestrator: a good build prunes the cache to what it used; a failed one keeps it."""

from __future__ import annotations

from pathlib import Path

import pytest
from datadir import DataDir

from generator.build import build_site
from generator.config import SiteConfig
from generator.problems import DataError
from generator.render import chart_specs
from generator.site import Site


def _entries(cache: Path) -> set[Path]:
    return set(cache.rglob("*.pickle"))


def _names(cache: Path) -> set[str]:
    return {p.relative_to(cache).as_posix() for p in _entries(cache)}


def _svgs(cache: Path) -> set[str]:
    return {p.name for p in (cache / "svg").rglob("*.svg")}


def _used_svgs(site: Site) -> set[str]:
    return {f"{spec.sha256()}.svg" for spec in chart_specs(site)}


def _built_once(tmp_path: Path) -> tuple[DataDir, SiteConfig]:
    """The minimal package, built once with a cache in ``tmp_path/cache``."""
    data = DataDir(tmp_path / "data")
    data.add_package()
    config = SiteConfig(data_dir=data.root, cache_dir=tmp_path / "cache")
    build_site(config)
    return data, config


def test_a_good_build_keeps_what_it_used_and_at_most_a_tenth_more(tmp_path: Path) -> None:
    data, config = _built_once(tmp_path)
    first = _names(tmp_path / "cache")
    for word in ("lane", "track", "path", "trail"):
        data.replace("minimal/projects.csv", "Example Village ", f"Example Village {word} ")
        build_site(config)
        kept = _names(tmp_path / "cache")
        fresh = tmp_path / f"fresh-{word}"
        build_site(SiteConfig(data_dir=data.root, cache_dir=fresh))
        used = _names(fresh)  # what a build of this data makes
        assert used <= kept  # content-addressed: the same names
        assert len(kept - used) <= len(used) // 10
    assert first - kept  # the first version's own entries were removed on the way


def test_a_good_build_keeps_the_chart_svgs_it_used_and_at_most_a_tenth_more(
    tmp_path: Path,
) -> None:
    data, config = _built_once(tmp_path)
    first = _svgs(tmp_path / "cache")
    data.replace("minimal/benefits.csv", ",460,452,", ",460,453,")  # one chart of 14 changes
    second = _used_svgs(build_site(config))
    assert len(first - second) == 1 and len(second) == 14
    assert _svgs(tmp_path / "cache") == first | second  # 1 unused of 14 used: kept
    data.replace("minimal/benefits.csv", ",460,453,", ",460,454,")
    third = _used_svgs(build_site(config))
    assert _svgs(tmp_path / "cache") == third  # 2 unused of 14 used: removed


def test_a_failed_build_leaves_the_cache_as_it_was(tmp_path: Path) -> None:
    data, config = _built_once(tmp_path)
    before, svgs = _entries(tmp_path / "cache"), _svgs(tmp_path / "cache")
    data.replace("minimal/projects.csv", ",2019,2019-03-01,", ",twenty,2019-03-01,")
    with pytest.raises(DataError):
        build_site(config)
    assert _entries(tmp_path / "cache") >= before
    assert _svgs(tmp_path / "cache") == svgs

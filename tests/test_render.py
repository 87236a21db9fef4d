"""Static chart SVGs and the self-hosted chart script."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator import render
from generator.site import Site, SiteFile

SPEC = {
    "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
    "width": 200,
    "height": 80,
    "data": {"values": [{"place": "宁蒗县", "yuan": 3}, {"place": "Yongsheng", "yuan": 5}]},
    "mark": {"type": "bar", "clip": True},
    "encoding": {
        "y": {"field": "place", "type": "nominal"},
        "x": {"field": "yuan", "type": "quantitative", "scale": {"domain": [0, 4]}},
        "color": {"field": "yuan", "type": "quantitative"},
    },
}


def spec_file(path: str = "charts/projects/p1/funds.vl.json", spec: dict = SPEC) -> SiteFile:
    return SiteFile.text(path, json.dumps(spec, sort_keys=True, ensure_ascii=False))


def test_an_svg_is_made_beside_each_spec(tmp_path: Path) -> None:
    site = Site([spec_file(), SiteFile.text("projects/p1.md", "# P1\n")])
    [svg] = list(render.render_chart_fallbacks(site, tmp_path))
    assert svg.path == "charts/projects/p1/funds.svg"
    text = svg.content.decode("utf-8")
    assert text.startswith("<svg") and text.endswith("</svg>\n")
    assert "宁蒗县" in text


def test_svgs_are_deterministic_and_local(tmp_path: Path) -> None:
    site = Site([spec_file()])
    # clip paths and gradients: vl-convert numbers them with a process-wide counter
    first = render.render_svg(site["charts/projects/p1/funds.vl.json"].content)
    second = render.render_svg(site["charts/projects/p1/funds.vl.json"].content)
    assert first == second
    ids = re.findall(rb'id="([^"]+)"', first)
    assert ids and all(re.fullmatch(rb"c[0-9a-f]{10}-\d+", i) for i in ids)
    for i in ids:  # every reference was renamed with its id
        assert b"url(#" + i + b")" in first
    urls = set(re.findall(rb"https?://[^\"'\s)]+", first))
    assert urls <= {b"http://www.w3.org/2000/svg", b"http://www.w3.org/1999/xlink"}
    assert b"@font-face" not in first and b"@import" not in first


def test_a_cache_hit_does_not_render(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = Site([spec_file(), spec_file("charts/regions/r1/funds.vl.json")])
    first = list(render.render_chart_fallbacks(site, tmp_path))
    assert [f.path for f in first] == [
        "charts/projects/p1/funds.svg",
        "charts/regions/r1/funds.svg",
    ]
    assert len(list(render.svg_cache_dir(tmp_path).glob("*.svg"))) == 1  # same spec bytes

    def fail(*args: object, **kwargs: object) -> str:
        raise AssertionError("rendered although cached")

    monkeypatch.setattr(render.vlc, "vegalite_to_svg", fail)
    assert list(render.render_chart_fallbacks(site, tmp_path)) == first


def test_a_changed_spec_renders_again(tmp_path: Path) -> None:
    list(render.render_chart_fallbacks(Site([spec_file()]), tmp_path))
    changed = dict(SPEC, width=300)
    [svg] = list(render.render_chart_fallbacks(Site([spec_file(spec=changed)]), tmp_path))
    assert b'width="' in svg.content
    assert len(list(render.svg_cache_dir(tmp_path).glob("*.svg"))) == 2


def test_external_data_is_refused() -> None:
    spec = dict(SPEC, data={"url": "http://example.com/data.csv"})
    with pytest.raises(ValueError, match="not allowed"):
        render.render_svg(json.dumps(spec).encode())


def test_normalise_renames_ids_and_references() -> None:
    svg = '<svg><g clip-path="url(#clip12)"/><clipPath id="clip12"/><use href="#clip1"/>'
    svg += '<linearGradient id="gradient_3"/><path fill="url(#gradient_3)"/><g id="clip1"/></svg>'
    out = render.normalise_svg(svg, "cx")
    assert 'id="cx-1"' in out and "url(#cx-1)" in out  # clip12, not confused with clip1
    assert 'id="cx-3"' in out and 'href="#cx-3"' in out
    assert 'id="cx-2"' in out and "url(#cx-2)" in out
    assert "clip12" not in out and "gradient_3" not in out


def test_bundle_has_header_and_is_cached(tmp_path: Path) -> None:
    calls: list[int] = []

    def make() -> str:
        calls.append(1)
        return "window.vegaEmbed=function(){};\n"

    first = render.vega_bundle(tmp_path, make)
    second = render.vega_bundle(tmp_path, make)
    assert first == second and len(calls) == 1
    text = first.decode("utf-8")
    assert text.startswith("/*!") and "BSD-3-Clause" in text and "vl-convert" in text
    assert text.endswith("window.vegaEmbed=function(){};\n")


def test_real_bundle_defines_vega_embed() -> None:
    """Slow the first time (~3 s to bundle); later runs read the repository's cache."""
    [bundle] = list(render.build_assets())
    assert bundle.path == "assets/vendor/vega-bundle.js"
    assert b"window.vegaEmbed=" in bundle.content
    assert len(bundle.content) > 500_000


def _cached(cache_dir: Path | None, *specs: SiteFile) -> Path:
    """Stand-in cached SVGs of ``specs`` (pruning never reads them); return their folder."""
    folder = render.svg_cache_dir(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    for spec in specs:
        (folder / f"{spec.sha256()}.svg").write_text("<svg/>\n")
    return folder


def _charts(label: str, n: int) -> list[SiteFile]:
    """``n`` different chart specs."""
    specs = [dict(SPEC, title=f"{label} {i}") for i in range(n)]
    return [spec_file(f"charts/{label}/{i}.vl.json", spec) for i, spec in enumerate(specs)]


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def test_prune_svg_cache_keeps_what_the_site_uses_and_files_that_are_not_svgs(
    tmp_path: Path,
) -> None:
    used, old = spec_file(), spec_file(spec=dict(SPEC, width=300))
    folder = _cached(tmp_path, used, old)
    (folder / f".{old.sha256()}.svg.x1.tmp").write_text("")  # left by an interrupted build
    (tmp_path / "svg" / "vl-convert-0.1-f1").mkdir()  # an older vl-convert's SVGs
    (tmp_path / "svg" / "vl-convert-0.1-f1" / f"{used.sha256()}.svg").write_text("<svg/>\n")
    (tmp_path / "svg" / "notes.txt").write_text("")
    (tmp_path / "vega-bundle-vl-convert-0.1.js").write_text("")
    (tmp_path / "elsewhere.svg").write_text("<svg/>\n")
    same = spec_file("charts/regions/r1/funds.vl.json")  # another chart, the same spec bytes
    site = Site([used, same, SiteFile.text("projects/p1.md", "# P1\n")])
    assert render.prune_svg_cache(site, tmp_path) == 3
    assert _files(tmp_path) == {
        f"svg/{folder.name}/{used.sha256()}.svg",
        "svg/notes.txt",
        "vega-bundle-vl-convert-0.1.js",
        "elsewhere.svg",
    }


def test_prune_svg_cache_with_slack_waits_until_the_unused_svgs_add_up(tmp_path: Path) -> None:
    new, old = _charts("new", 10), _charts("old", 3)
    folder = _cached(tmp_path, *new, *old)
    site = Site(new)
    assert render.prune_svg_cache(site, tmp_path, slack=0.3) == 0  # 3 unused of 10 used: kept
    assert len(list(folder.glob("*.svg"))) == 13
    assert render.prune_svg_cache(site, tmp_path, slack=0.2) == 3
    assert {p.name for p in folder.glob("*.svg")} == {f"{f.sha256()}.svg" for f in new}


def test_prune_svg_cache_without_a_folder_prunes_the_default_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert render.prune_svg_cache(Site([spec_file()]), tmp_path / "missing") == 0
    monkeypatch.setattr(render, "DEFAULT_CACHE_DIR", tmp_path / "default")
    assert render.prune_svg_cache(Site(), None) == 0  # no folder yet
    used, old = spec_file(), spec_file(spec=dict(SPEC, width=300))
    folder = _cached(None, used, old)  # where render_chart_fallbacks(site, None) caches
    assert folder.is_relative_to(tmp_path / "default")
    assert render.prune_svg_cache(Site([used]), None) == 1
    assert [p.name for p in folder.iterdir()] == [f"{used.sha256()}.svg"]


def test_prune_svg_cache_tolerates_svgs_removed_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _cached(tmp_path, spec_file(spec=dict(SPEC, width=300)))
    listed = render._svg_cache_files
    # another build pruned "gone.svg" between this one's listing and its removal
    monkeypatch.setattr(
        render, "_svg_cache_files", lambda root: [*listed(root), str(root / "gone.svg")]
    )
    assert render.prune_svg_cache(Site([spec_file()]), tmp_path) == 1

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

"""Static chart images and the self-hosted chart script, made with vl-convert.

Every chart spec (``*.vl.json``) in the Site gets a static SVG beside it: the image
readers see without JavaScript, in print, and before the interactive chart loads.
Rendering is cached on disk by the SHA-256 of the spec bytes, so a rebuild only
renders charts whose spec changed. The SVGs are deterministic: vl-convert numbers
clip paths and gradients with a counter that keeps counting across renders in one
process, so the ids are renamed to ones derived from the spec's hash. No render
may fetch anything: external data URLs are refused, and the SVGs name only local
font families (no web fonts).

An edit leaves the SVGs of the old specs behind, so a build that succeeded calls
``prune_svg_cache`` with the policy of ``Cache.prune``: once the SVGs it did not use
are more than a tenth of those it used, they are removed.

The chart script ``assets/vendor/vega-bundle.js`` is Vega + Vega-Lite + vega-embed
bundled by vl-convert itself: no CDN, no npm step. Making it takes a few seconds,
so it is cached by vl-convert version.
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import vl_convert as vlc

from generator import paths
from generator.cache import write_atomic
from generator.site import Site, SiteFile

VEGA_BUNDLE = "assets/vendor/vega-bundle.js"
SPEC_SUFFIX = ".vl.json"
DEFAULT_CACHE_DIR = Path(__file__).resolve().parent.parent / ".cache" / "sunshine"

# Bump when the SVG post-processing changes, so cached SVGs are made again.
_SVG_FORMAT = "2"
# vl-convert runs conversions on its own JavaScript worker and releases the GIL; on two
# cores two threads measured 14-20% faster than one (more threads: no better). A process
# pool was slower: each worker pays vl-convert's ~0.5-1 s start, and fork() deadlocks
# once vl-convert's threads are running, so it would need spawn.
_RENDER_THREADS = 2

_ID = re.compile(r'\bid="([^"]+)"')


def render_chart_fallbacks(site: Site, cache_dir: Path | None = None) -> Iterator[SiteFile]:
    """Yield the static SVG of every chart spec in ``site``, in path order."""
    specs = chart_specs(site)
    folder = svg_cache_dir(cache_dir)
    digests = {f.path: f.sha256() for f in specs}
    svgs: dict[str, bytes] = {}
    to_render: dict[str, bytes] = {}
    for spec in specs:
        digest = digests[spec.path]
        hit = svgs.get(digest) or _read(folder / f"{digest}.svg")
        if hit is None:
            to_render[digest] = spec.content
        else:
            svgs[digest] = hit
    for digest, rendered in render_svgs(to_render).items():
        write_atomic(folder / f"{digest}.svg", rendered)
        svgs[digest] = rendered
    for spec in specs:
        yield SiteFile(paths.chart_svg(spec.path), svgs[digests[spec.path]])


def chart_specs(site: Site) -> list[SiteFile]:
    """The chart specs (``*.vl.json``) in ``site``, in path order."""
    return site.ending_with(SPEC_SUFFIX)


def prune_svg_cache(site: Site, cache_dir: Path | None = None, slack: float = 0.0) -> int:
    """Remove the cached SVGs no chart of ``site`` uses; return how many were removed.

    The policy of ``Cache.prune``: nothing is removed while the unused SVGs are no more
    than ``slack`` times the used ones. ``cache_dir=None`` is the default folder, the one
    ``render_chart_fallbacks`` used. Only SVGs and left-over temporary files under
    ``svg/`` are removed, those of other vl-convert versions and SVG formats too; the
    Vega bundle and any other file are not.
    """
    used = {f"{spec.sha256()}.svg" for spec in chart_specs(site)}
    current = os.fspath(svg_cache_dir(cache_dir))
    unused = [
        file
        for file in _svg_cache_files(_cache_root(cache_dir) / "svg")
        if os.path.dirname(file) != current or os.path.basename(file) not in used
    ]
    if len(unused) <= slack * len(used):
        return 0
    return sum(map(_unlink, unused))


def render_svgs(specs: dict[str, bytes]) -> dict[str, bytes]:
    """Render specs keyed by their SHA-256 to normalised SVG bytes, in parallel."""
    if not specs:
        return {}
    items = sorted(specs.items())
    if len(items) == 1:
        return {items[0][0]: render_svg(items[0][1], items[0][0])}
    with ThreadPoolExecutor(max_workers=_RENDER_THREADS) as pool:
        rendered = pool.map(lambda item: render_svg(item[1], item[0]), items)
        return {digest: svg for (digest, _), svg in zip(items, rendered, strict=True)}


def render_svg(spec: bytes, digest: str | None = None) -> bytes:
    """Render one Vega-Lite spec (JSON bytes) to deterministic SVG bytes.

    External data is refused (``allowed_base_urls=[]``): a spec must carry its data.
    """
    digest = digest or hashlib.sha256(spec).hexdigest()
    svg = vlc.vegalite_to_svg(spec.decode("utf-8"), allowed_base_urls=[])
    return normalise_svg(svg, prefix=f"c{digest[:10]}").encode("utf-8")


def normalise_svg(svg: str, prefix: str) -> str:
    """Rename element ids to ``{prefix}-{n}`` in order of appearance, with their references.

    vl-convert's ids (``clip7``, ``gradient_3``) depend on how many charts the
    process rendered before; renamed ids depend only on the chart.
    """
    ids = list(dict.fromkeys(_ID.findall(svg)))
    if not ids:
        return svg if svg.endswith("\n") else svg + "\n"
    names = {old: f"{prefix}-{n}" for n, old in enumerate(ids, start=1)}
    alternatives = "|".join(re.escape(old) for old in sorted(ids, key=len, reverse=True))
    pattern = re.compile(rf'(\bid="|url\(#|href="#)({alternatives})(?=[")])')
    out = pattern.sub(lambda m: m.group(1) + names[m.group(2)], svg)
    return out if out.endswith("\n") else out + "\n"


def svg_cache_dir(cache_dir: Path | None) -> Path:
    """Folder of cached SVGs: one per vl-convert version and SVG format."""
    return _cache_root(cache_dir) / "svg" / f"vl-convert-{_vlc_version()}-f{_SVG_FORMAT}"


def build_assets(cache_dir: Path | None = None) -> Iterator[SiteFile]:
    """Yield the self-hosted chart script (``assets/vendor/vega-bundle.js``)."""
    yield SiteFile(VEGA_BUNDLE, vega_bundle(cache_dir))


def vega_bundle(cache_dir: Path | None = None, make: Callable[[], str] | None = None) -> bytes:
    """Vega, Vega-Lite and vega-embed in one script with a version and licence header.

    Cached by vl-convert version (``make`` replaces ``vl_convert.javascript_bundle``
    in tests).
    """
    file = _cache_root(cache_dir) / f"vega-bundle-vl-convert-{_vlc_version()}.js"
    cached = _read(file)
    if cached is not None:
        return cached
    script = make() if make is not None else vlc.javascript_bundle()  # type: ignore[call-arg]
    content = (bundle_header() + script.rstrip("\n") + "\n").encode("utf-8")
    write_atomic(file, content)
    return content


def bundle_header() -> str:
    """The comment naming what the bundle holds, its versions and licences."""
    lite = vlc.get_vegalite_versions()[-1]
    return (
        "/*!\n"
        f" * Vega {vlc.get_vega_version()}, Vega-Lite {lite}, "
        f"vega-embed {vlc.get_vega_embed_version()}:\n"
        " *   BSD-3-Clause, Copyright (c) the University of Washington Interactive Data Lab\n"
        " *   and the Vega contributors; https://vega.github.io/\n"
        " * Bundled with their dependencies (d3 modules: ISC, Mike Bostock; vega-interpreter,\n"
        " *   vega-themes, vega-tooltip, vega-schema-url-parser: BSD-3-Clause; semver: ISC;\n"
        " *   lodash.debounce, fast-json-patch, json-stringify-pretty-compact: MIT)\n"
        f" *   by vl-convert {_vlc_version()} (BSD-3-Clause).\n"
        " * Puts vegaEmbed, vega and vegaLite on window. Served from this site: no CDN.\n"
        " */\n"
    )


def _vlc_version() -> str:
    return str(getattr(vlc, "__version__", "unknown"))


def _cache_root(cache_dir: Path | None) -> Path:
    return Path(cache_dir) if cache_dir is not None else DEFAULT_CACHE_DIR


def _svg_cache_files(root: Path) -> list[str]:
    """SVGs and left-over temporary files (``write_atomic``'s) under ``root``, sorted."""
    found = []
    for folder, _, names in os.walk(root):  # a folder that vanishes is skipped
        found += [
            os.path.join(folder, name)
            for name in names
            if name.endswith(".svg") or (name.startswith(".") and name.endswith(".tmp"))
        ]
    return sorted(found)


def _unlink(file: str) -> bool:
    try:
        os.unlink(file)
    except OSError:  # gone already (another build pruned it), or not ours: only space is lost
        return False
    return True


def _read(file: Path) -> bytes | None:
    try:
        return file.read_bytes()
    except OSError:
        return None

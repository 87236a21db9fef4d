"""Scale benchmark: the generator and the MkDocs build on synthetic provinces of N projects.

    python benchmarks/run.py --sizes 1000 10000 --seed 1 --out benchmarks/out [--profile]

For each N it writes a synthetic Data Package (``generator.synth``) and measures, each
step in its own Python process (so one step's memory and caches never help another):

1. the generator with a cold chart cache, then with a warm one: ``build_site`` itself
   runs, with each stage function it calls (and the validation steps inside
   ``validate_data``) wrapped by a timer, so the stages are the orchestrator's own,
   in its own order; the generated files are then exported (``export_site``);
2. the full ``mkdocs build`` with the sunshine plugin (cold chart cache), every
   plugin event timed; the MkDocs render is the build minus the generator
   (the plugin's ``on_pre_build``); peak RSS from ``os.wait4``;
3. the floor: ``mkdocs build`` of plain ~1.5 KB pages with the same mkdocs.yml
   (theme, nav, search, Markdown extensions), the sunshine plugin removed, as many
   pages as our site has (the generator's pages stood in for by plain ones);
4. a one-row edit: one project's title changed in projects.csv, the generator run
   again on the warm cache and exported over the first export; the files rewritten
   are compared with the files whose bytes changed;
5. the live preview: ``sunshine serve --dirty`` as MkDocs' serve runs it (one plugin
   instance, dirty builds into one folder): a first build, then three projects' titles
   edited one after another (``LIVE_EDITS``), each rebuild timed, and how many files it
   rewrote; the table gives the median and the range.

It prints one Markdown table (figures, targets, PASS/MISS) and writes it to
``OUT/results.md``, the raw numbers to ``OUT/results.json``. ``--profile`` adds
cProfile runs after the timed ones (per generator stage, and the two MkDocs builds),
written to ``OUT/profiles/``; they never affect the timed figures.
"""

from __future__ import annotations

import argparse
import copy
import cProfile
import csv
import functools
import gzip
import http.server
import io
import json
import logging
import os
import platform
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
MKDOCS_YML = ROOT / "mkdocs.yml"
PACKAGE = "synthetic"  # folder of the synthetic package inside each data folder
FLOOR_FOLDER = "floor"  # where the floor's plain pages go inside its docs folder
PLAIN_PAGE_BYTES = 1500
PAGEFIND_DIR = "pagefind"
SEARCH_HOOK = "build_search_index"  # the function the plugin's on_post_build runs Pagefind with
CHROMIUM = Path(os.environ.get("SUNSHINE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
EDIT_SUFFIX = " (renamed)"

# The functions build_site calls, and those validate_data calls, by module.
BUILD_STAGES = (
    "validate_data",
    "build_pages",
    "render_chart_fallbacks",
    "build_downloads",
    "build_assets",
    "prune_svg_cache",
)
CACHE_STAGES = ("prune",)  # Cache.prune, which build_site calls after the assets
VALIDATE_STAGES = (
    "load_packages",
    "validate_tables",
    "validate_packages",
    "build_model",
    "validate_rules",
)

TARGET_GENERATOR_RATIO = 0.3
TARGET_FLOOR_RATIO = 1.5
TARGET_EDIT_SECONDS = 1.0

JSON = dict[str, Any]


# --- timing the orchestrator's stages (runs in a worker process) -----------------------


def cpu_now() -> float:
    """CPU seconds of this process (all threads) and of its finished child processes."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


@dataclass
class StageTimer:
    """Seconds per stage function; optionally one cProfile per top-level stage."""

    profile: bool = False
    seconds: dict[str, float] = field(default_factory=dict)
    cpu: dict[str, float] = field(default_factory=dict)  # process CPU time, all threads
    profiles: dict[str, cProfile.Profile] = field(default_factory=dict)

    def wrap(self, name: str, function: Callable[..., Any], profiled: bool) -> Callable[..., Any]:
        """``function`` timed under ``name``; a lazy result (iterator) is run inside the timer."""

        def timed(*args: Any, **kwargs: Any) -> Any:
            profiler = cProfile.Profile() if self.profile and profiled else None
            start, start_cpu = time.perf_counter(), cpu_now()
            if profiler is not None:
                profiler.enable()
            try:
                result = function(*args, **kwargs)
                if isinstance(result, Iterator):  # page builders and renderers yield
                    result = list(result)
            finally:
                if profiler is not None:
                    profiler.disable()
                    self.profiles[name] = profiler
                self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
                self.cpu[name] = self.cpu.get(name, 0.0) + cpu_now() - start_cpu
            return result

        return timed


@contextmanager
def timed_stages(timer: StageTimer) -> Iterator[None]:
    """Replace the stage functions the orchestrator looks up with timed ones, then restore.

    cProfile cannot nest, so only the orchestrator's own stages are profiled.
    """
    import generator.build
    import generator.cache
    import generator.validate

    plan: list[tuple[ModuleType | type, str, bool]] = []
    plan += [(generator.build, name, True) for name in BUILD_STAGES]
    plan += [(generator.validate, name, False) for name in VALIDATE_STAGES]
    plan += [(generator.cache.Cache, name, False) for name in CACHE_STAGES]
    saved = [(module, name, getattr(module, name)) for module, name, _ in plan]
    try:
        for (module, name, profiled), (_, _, original) in zip(plan, saved, strict=True):
            setattr(module, name, timer.wrap(name, original, profiled))
        yield
    finally:
        for module, name, original in saved:
            setattr(module, name, original)


def worker_generate(args: argparse.Namespace) -> JSON:
    """Run the generator as ``sunshine export`` does (config from mkdocs.yml), timed."""
    start = time.perf_counter()
    from generator.build import build_site
    from generator.export import export_site
    from generator.plugin import load_site_config

    imported = time.perf_counter()
    config, _ = load_site_config(args.config)
    config = replace(config, cache_dir=args.cache)
    timer = StageTimer(profile=args.profile_dir is not None)
    with timed_stages(timer):
        began, began_cpu = time.perf_counter(), cpu_now()
        site = build_site(config)
        generator_seconds = time.perf_counter() - began
        generator_cpu = cpu_now() - began_cpu
    exported = time.perf_counter()
    result = export_site(site, args.export) if args.export else None
    export_seconds = time.perf_counter() - exported
    if args.profile_dir is not None:
        for name, profiler in timer.profiles.items():
            write_profile(profiler, args.profile_dir / f"{args.profile_prefix}{name}.txt")
    kinds = Counter(_kind(f.path) for f in site)
    return {
        "imports": imported - start,
        "stages": timer.seconds,
        "stages_cpu": timer.cpu,
        "generator": generator_seconds,
        "generator_cpu": generator_cpu,
        "files": len(site),
        "bytes": sum(len(f.content) for f in site),
        "kinds": dict(sorted(kinds.items())),
        "export_seconds": export_seconds if result else None,
        "written": result.written if result else None,
        "unchanged": result.unchanged if result else None,
        "removed": result.removed if result else None,
    }


def _kind(path: str) -> str:
    if path.endswith(".md"):
        return "pages"
    if path.endswith(".vl.json"):
        return "chart specs"
    if path.endswith(".svg") and path.startswith("charts/"):
        return "chart SVGs"
    return "downloads and assets" if path.startswith(("data/", "assets/")) else "other"


# --- timing an MkDocs build (runs in a worker process) ----------------------------------


class CountingHandler(logging.Handler):
    """Counts MkDocs warnings; prints the first few on stderr."""

    def __init__(self, shown: int = 10) -> None:
        super().__init__(logging.WARNING)
        self.count = 0
        self.shown = shown

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1
        if self.count <= self.shown:
            sys.stderr.write(f"{record.levelname}: {record.getMessage()}\n")


def time_plugin_events(plugins: Any, seconds: dict[str, list[float]]) -> None:
    """Wrap every plugin event method: its wall and CPU time add to ``seconds[plugin.event]``."""
    for methods in plugins.events.values():
        for i, method in enumerate(methods):
            origin = plugins._event_origins.get(method, "<unknown>")
            methods[i] = _timed_event(method, origin, seconds)
            plugins._event_origins[methods[i]] = origin


def _timed_event(
    method: Callable[..., Any], origin: str, seconds: dict[str, list[float]]
) -> Callable[..., Any]:
    key = f"{origin}.{getattr(method, '__name__', '?')}"

    def timed(*args: Any, **kwargs: Any) -> Any:
        start, start_cpu = time.perf_counter(), cpu_now()
        try:
            return method(*args, **kwargs)
        finally:
            spent = seconds.setdefault(key, [0.0, 0.0])
            spent[0] += time.perf_counter() - start
            spent[1] += cpu_now() - start_cpu

    return timed


def worker_mkdocs(args: argparse.Namespace) -> JSON:
    """``mkdocs build -f CONFIG`` in-process, as MkDocs' own command does it, timed."""
    start = time.perf_counter()
    # Imported before the clock starts, for our build and the floor alike.
    import material.plugins.search.plugin  # noqa: F401
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    import generator.plugin

    imported = time.perf_counter()
    handler = CountingHandler()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    events: dict[str, list[float]] = {}
    profiler = cProfile.Profile() if args.profile_dir is not None else None
    began, began_cpu = time.perf_counter(), cpu_now()
    if profiler is not None:
        profiler.enable()
    config = load_config(str(args.config))
    time_plugin_events(config.plugins, events)
    pagefind = getattr(generator.plugin, SEARCH_HOOK, None)
    if pagefind is not None:  # the plugin runs Pagefind in on_post_build: time it apart
        setattr(generator.plugin, SEARCH_HOOK, _timed_event(pagefind, "pagefind", events))
    config.plugins.on_startup(command="build", dirty=False)
    try:
        mkdocs_build(config)
        if args.pagefind:  # the floor: the same search as our site, without the plugin
            from generator.search import build_search_index

            _timed_event(build_search_index, "pagefind", events)(Path(config.site_dir))
    finally:
        config.plugins.on_shutdown()
        if profiler is not None:
            profiler.disable()
    total, total_cpu = time.perf_counter() - began, cpu_now() - began_cpu
    if profiler is not None:
        write_profile(profiler, args.profile_dir / f"{args.profile_prefix}mkdocs.txt")
    return {
        "imports": imported - start,
        "total": total,
        "total_cpu": total_cpu,
        "events": events,
        "warnings": handler.count,
    }


def worker_live(args: argparse.Namespace) -> JSON:
    """``sunshine serve --dirty`` in-process: a first build, a one-row edit, the rebuild.

    As MkDocs' serve does it: one plugin instance, the config loaded again for the
    rebuild, dirty builds into one site folder. Timed: the rebuild, and its events.
    """
    import material.plugins.search.plugin  # noqa: F401
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    import generator.plugin  # noqa: F401

    def dirty_build(startup: bool) -> tuple[float, float, dict[str, list[float]]]:
        events: dict[str, list[float]] = {}
        config = load_config(str(args.config), site_dir=str(args.site))
        time_plugin_events(config.plugins, events)
        if startup:
            config.plugins.on_startup(command="serve", dirty=True)
        began, began_cpu = time.perf_counter(), cpu_now()
        mkdocs_build(config, dirty=True)
        return time.perf_counter() - began, cpu_now() - began_cpu, events

    first, _, _ = dirty_build(startup=True)
    rebuilds = []
    for place in LIVE_EDITS:
        before = snapshot(args.site)
        project = rename_one_project(args.edit, place)
        total, total_cpu, events = dirty_build(startup=False)
        after = snapshot(args.site)
        rewritten = sum(1 for path, mtime in after.items() if before.get(path) != mtime)
        rebuilds.append(
            {"total": total, "total_cpu": total_cpu, "events": events, "project": project,
             "files": len(after), "rewritten": rewritten}
        )  # fmt: skip
    return {"first": first, "rebuilds": rebuilds}


# Where the live preview's edits fall in projects.csv: three projects, one rebuild each.
LIVE_EDITS = (0.5, 0.25, 0.75)


def write_profile(profiler: cProfile.Profile, target: Path, top: int = 30) -> None:
    """The top functions by own time and by cumulative time, as text."""
    target.parent.mkdir(parents=True, exist_ok=True)
    out = io.StringIO()
    for order in ("tottime", "cumulative"):
        out.write(f"=== top {top} by {order} ===\n")
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(top)
    target.write_text(out.getvalue(), "utf-8")
    profiler.dump_stats(str(target.with_suffix(".prof")))


# --- running workers --------------------------------------------------------------------


@dataclass
class Outcome:
    """A worker's result, wall time, peak RSS and CPU time; ``error`` if it failed."""

    result: JSON
    wall: float
    max_rss: int  # bytes
    cpu: float
    error: str | None = None


def run_worker(kind: str, options: list[str], log: Path) -> Outcome:
    """Run ``run.py worker KIND ...`` in a new process; its rusage from ``os.wait4``."""
    result_file = log.with_suffix(".json")
    result_file.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), "worker", kind, *options]
    command += ["--result", str(result_file)]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONHASHSEED="0")
    log.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    with log.open("w") as stderr:
        process = subprocess.Popen(command, stdout=stderr, stderr=stderr, env=env, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    error = None
    if process.returncode != 0 or not result_file.is_file():
        tail = log.read_text("utf-8", errors="replace").strip().splitlines()[-15:]
        error = f"exit {process.returncode}: " + "\n".join(tail)
    result = json.loads(result_file.read_text("utf-8")) if error is None else {}
    return Outcome(result, wall, usage.ru_maxrss * 1024, usage.ru_utime + usage.ru_stime, error)


def main_worker(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="run.py worker")
    parser.add_argument("kind", choices=("generate", "mkdocs", "live"))
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--cache", type=Path)
    parser.add_argument("--export", type=Path)
    parser.add_argument("--profile-dir", type=Path)
    parser.add_argument("--profile-prefix", default="")
    parser.add_argument("--pagefind", action="store_true", help="index the built site too")
    parser.add_argument("--site", type=Path, help="live: the site folder")
    parser.add_argument("--edit", type=Path, help="live: the projects.csv to edit")
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args(argv)
    os.chdir(args.config.parent)  # relative paths of mkdocs.yml resolve from there anyway
    workers = {"generate": worker_generate, "mkdocs": worker_mkdocs, "live": worker_live}
    result = workers[args.kind](args)
    args.result.write_text(json.dumps(result, indent=1), "utf-8")
    return 0


# --- preparing data, configurations and the floor ---------------------------------------


class Layout:
    """Every path of one size's run, under OUT/nN."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.data = root / "data"
        self.site = root / "site"
        self.floor_site = root / "floor-site"
        self.floor_docs = root / "floor-docs"
        self.export = root / "export"
        self.cache_stages = root / "cache-stages"
        self.cache_build = root / "cache-build"
        self.cache_profile = root / "cache-profile"
        self.logs = root / "logs"
        self.config = root / "mkdocs.yml"
        self.floor_config = root / "mkdocs-floor.yml"
        self.live_site = root / "live-site"


@functools.cache
def base_config() -> JSON:
    """The repository's mkdocs.yml, read once: every size of a run uses the same."""
    config: JSON = yaml.safe_load(MKDOCS_YML.read_text("utf-8"))
    return config


def project_config(layout: Layout) -> JSON:
    """The repository's mkdocs.yml with absolute paths and the synthetic data."""
    base = base_config()
    config = copy.deepcopy(base)
    config["docs_dir"] = str((ROOT / base.get("docs_dir", "docs")).resolve())
    config["site_dir"] = str(layout.site)
    theme = config.get("theme")
    if isinstance(theme, dict) and theme.get("custom_dir"):
        theme["custom_dir"] = str((ROOT / theme["custom_dir"]).resolve())
    plugins = []
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and "sunshine" in entry:
            options = dict(entry["sunshine"] or {})
            options.update(data_dir=str(layout.data), cache_dir=str(layout.cache_build))
            entry = {"sunshine": options}
        elif entry == "sunshine":
            entry = {
                "sunshine": {"data_dir": str(layout.data), "cache_dir": str(layout.cache_build)}
            }
        plugins.append(entry)
    config["plugins"] = plugins
    return config


def floor_config(ours: JSON, layout: Layout) -> JSON:
    """Our configuration without the sunshine plugin, over the floor's docs folder."""
    config = copy.deepcopy(ours)
    config["docs_dir"] = str(layout.floor_docs)
    config["site_dir"] = str(layout.floor_site)
    config["plugins"] = [
        p
        for p in config["plugins"]
        if p != "sunshine" and not (isinstance(p, dict) and "sunshine" in p)
    ]
    # The plugin marks its generated pages not-in-nav; the floor's pages get the same.
    config["not_in_nav"] = f"/{FLOOR_FOLDER}/\n"
    return config


WORDS = (
    "village", "road", "water", "supply", "housing", "safety", "township", "county", "project",
    "fund", "budget", "allocated", "disbursed", "households", "benefit", "training", "irrigation",
    "drinking", "school", "clinic", "livestock", "tea", "walnut", "cooperative", "market",
    "bridge", "electricity", "relocation", "loan", "planned", "completed", "report", "public",
    "notice", "office", "program", "source", "year", "target", "achieved", "people",
)  # fmt: skip


def plain_page(title: str, rng: random.Random) -> str:
    """About 1.5 KB of plain Markdown: a title, two sections of sentences."""
    parts = [f"# {title}\n"]
    while sum(len(p) for p in parts) < PLAIN_PAGE_BYTES:
        if len(parts) in (1, 4):
            parts.append(f"## Section {len(parts)}\n")
        words = [rng.choice(WORDS) for _ in range(rng.randint(30, 50))]
        parts.append(" ".join(words).capitalize() + ".\n")
    return "\n".join(parts)


def write_floor_docs(layout: Layout, ours: JSON, generated: int, seed: int) -> int:
    """site_src and ``generated`` plain pages: one per nav entry it lacks, the rest in floor/.

    So the floor builds as many pages as our site (site_src plus the generated
    pages). Returns the number of pages put in ``floor/``.
    """
    from generator.plugin import nav_paths

    shutil.rmtree(layout.floor_docs, ignore_errors=True)
    shutil.copytree(ours["docs_dir"], layout.floor_docs)
    rng = random.Random(seed)
    stand_ins = 0
    for path in sorted(nav_paths(ours.get("nav"))):
        target = layout.floor_docs / path
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(plain_page(f"Section {path}", rng), "utf-8")
            stand_ins += 1
    folder = layout.floor_docs / FLOOR_FOLDER
    folder.mkdir()
    pages = max(0, generated - stand_ins)
    for n in range(1, pages + 1):
        (folder / f"p{n:06d}.md").write_text(plain_page(f"Plain page {n}", rng), "utf-8")
    return pages


def write_yaml(config: JSON, target: Path) -> None:
    target.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")


def rename_one_project(projects_csv: Path, place: float = 0.5) -> str:
    """Change the title of the project at ``place`` (0.5: the middle one) in place, only
    those bytes; return its id."""
    text = projects_csv.read_text("utf-8")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    row = rows[int(len(rows) * place)]
    record = text.index("\n" + row["id"] + ",") + 1
    at = text.index(row["title"], record)
    edited = text[:at] + row["title"] + EDIT_SUFFIX + text[at + len(row["title"]) :]
    projects_csv.write_text(edited, "utf-8")
    return row["id"]


# --- measuring outputs ------------------------------------------------------------------


def tree_stats(folder: Path) -> JSON:
    """Files, apparent bytes and allocated bytes of a folder."""
    files = size = blocks = 0
    for dirpath, _, names in os.walk(folder):
        for name in names:
            st = os.stat(os.path.join(dirpath, name))
            files += 1
            size += st.st_size
            blocks += st.st_blocks * 512
    return {"files": files, "bytes": size, "disk": blocks}


def page_sizes(site: Path, folder: str) -> JSON:
    """Largest and median HTML size of the pages of ``folder`` (its index left out)."""
    sizes = {p.name: p.stat().st_size for p in (site / folder).glob("*.html")}
    sizes.pop("index.html", None)
    if not sizes:
        return {}
    largest = max(sizes, key=lambda k: sizes[k])
    return {
        "count": len(sizes),
        "largest": sizes[largest],
        "largest_page": f"{folder}/{largest}",
        "median": statistics.median(sizes.values()),
    }


def search_index(site: Path) -> JSON:
    """Material's index (one file, all of it loaded by the first query) or Pagefind's folder."""
    found: JSON = {}
    index = site / "search" / "search_index.json"
    if index.is_file():
        raw = index.read_bytes()
        found["material"] = {"bytes": len(raw), "gzip": len(gzip.compress(raw, compresslevel=6))}
    if (site / PAGEFIND_DIR / "pagefind.js").is_file():
        found["pagefind"] = tree_stats(site / PAGEFIND_DIR)
    return found


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve ``folder`` over HTTP on localhost (no compression), yield its address."""
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()


RESULTS_READY = """() => {
  const out = document.getElementById("sunshine-search-results");
  return out && !out.hasAttribute("aria-busy") && out.children.length > 0;
}"""


def first_queries(site: Path, queries: list[str]) -> JSON:
    """Bytes a reader's first query downloads: search.html?q=QUERY in headless Chromium.

    Each query in a new browser context (empty cache). ``pagefind`` counts the files
    under pagefind/ (engine, index chunks, result fragments); ``page`` everything.
    """
    if not (site / PAGEFIND_DIR / "pagefind.js").is_file() or not (site / "search.html").is_file():
        return {}
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"error": "playwright is not installed"}
    if not CHROMIUM.is_file():
        return {"error": f"no browser at {CHROMIUM} (make browser-deps)"}
    found: JSON = {}
    try:
        with serve(site) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS)
            try:
                for query in queries:
                    found[query] = _one_query(browser, base, query)
            finally:
                browser.close()
    except Exception as exc:  # a measurement of the output: report it, keep the figures
        return {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0]}"}
    return found


def _one_query(browser: Any, base: str, query: str) -> JSON:
    context = browser.new_context()
    try:
        page = context.new_page()
        responses: list[Any] = []
        page.on("response", lambda response: responses.append(response))
        page.goto(f"{base}search.html?q={urllib.parse.quote(query)}")
        page.wait_for_function(RESULTS_READY, timeout=120_000)
        page.wait_for_load_state("networkidle")
        shown = page.locator("#sunshine-search-results li").count()
        sizes = [(r.url, len(r.body())) for r in responses if r.status == 200]
    finally:
        context.close()
    search = [size for url, size in sizes if f"/{PAGEFIND_DIR}/" in url]
    return {
        "pagefind": sum(search),
        "requests": len(search),
        "page": sum(size for _, size in sizes),
        "results_shown": shown,
    }


def snapshot(folder: Path) -> dict[str, int]:
    """mtime (ns) of every file under ``folder``, by relative path."""
    found = {}
    for dirpath, _, names in os.walk(folder):
        for name in names:
            path = Path(dirpath) / name
            found[path.relative_to(folder).as_posix()] = path.stat().st_mtime_ns
    return found


def manifest(folder: Path) -> dict[str, str]:
    """Path -> SHA-256 from export's manifest."""
    from generator.export import MANIFEST

    files: dict[str, str] = json.loads((folder / MANIFEST).read_text("utf-8"))["files"]
    return files


# --- one size ---------------------------------------------------------------------------


def say(message: str) -> None:
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {message}\n")
    sys.stderr.flush()


def step(label: str, kind: str, options: list[str], log: Path) -> Outcome:
    say(f"{label} ...")
    outcome = run_worker(kind, options, log)
    if outcome.error:
        say(f"{label}: FAILED ({log})\n{outcome.error}")
    else:
        say(f"{label}: {outcome.wall:.1f} s wall, peak RSS {outcome.max_rss / 1e6:.0f} MB")
    return outcome


def generate(layout: Layout, label: str, name: str, cache: Path, **extra: str | Path) -> Outcome:
    options = ["--config", str(layout.config), "--cache", str(cache)]
    for key, value in extra.items():
        options += [f"--{key.replace('_', '-')}", str(value)]
    return step(label, "generate", options, layout.logs / f"{name}.log")


def prepare(layout: Layout, n: int, seed: int) -> None:
    from generator.synth import write_synthetic_package

    shutil.rmtree(layout.root, ignore_errors=True)
    layout.root.mkdir(parents=True)
    write_synthetic_package(layout.data / PACKAGE, n, seed)
    ours = project_config(layout)
    write_yaml(ours, layout.config)
    write_yaml(floor_config(ours, layout), layout.floor_config)


def floor_pages(layout: Layout, cold: Outcome, n: int, seed: int) -> int:
    """Write the floor's docs with as many pages as the generator made (N if it failed)."""
    generated = n if cold.error else int(cold.result["kinds"].get("pages", n))
    written = write_floor_docs(layout, project_config(layout), generated, seed)
    say(f"floor: {generated:,} plain pages stand in for the generated ones")
    return written


def bench_size(n: int, seed: int, out: Path, profile: bool) -> JSON:
    layout = Layout(out / f"n{n}")
    say(f"N={n:,}: writing the synthetic package")
    prepare(layout, n, seed)
    runs: JSON = {"n": n, "rows": _rows(layout.data / PACKAGE)}
    cold = generate(layout, "generator, cold cache", "gen-cold", layout.cache_stages,
                    export=layout.export)  # fmt: skip
    warm = generate(layout, "generator, warm cache", "gen-warm", layout.cache_stages,
                    export=layout.export)  # fmt: skip
    plain = floor_pages(layout, cold, n, seed)
    build = step("mkdocs build with the plugin, cold cache", "mkdocs",
                 ["--config", str(layout.config)], layout.logs / "mkdocs.log")  # fmt: skip
    floor = step(f"floor: mkdocs build of {plain:,} plain pages and site_src", "mkdocs",
                 ["--config", str(layout.floor_config), *same_search(layout)],
                 layout.logs / "floor.log")  # fmt: skip
    runs.update(cold=cold, warm=warm, build=build, floor=floor)
    runs["site"] = measure_site(layout.site)
    say("first search queries in headless Chromium ...")
    runs["site"]["queries"] = first_queries(layout.site, query_words(layout.data / PACKAGE))
    runs["floor_site"] = measure_site(layout.floor_site)
    runs["edit"] = one_row_edit(layout)
    runs["live"] = step("live preview (serve --dirty): a first build, 3 edits, a rebuild each",
                        "live", ["--config", str(layout.config), "--site", str(layout.live_site),
                                 "--edit", str(layout.data / PACKAGE / "projects.csv")],
                        layout.logs / "live.log")  # fmt: skip
    if profile:
        run_profiles(layout, n)
    return runs


def same_search(layout: Layout) -> list[str]:
    """The floor's option giving it our site's search: Pagefind if our build made one."""
    return ["--pagefind"] if (layout.site / PAGEFIND_DIR / "pagefind.js").is_file() else []


def query_words(package: Path) -> list[str]:
    """A rare word (the middle project's village) and a common one (its project kind)."""
    with (package / "projects.csv").open(encoding="utf-8", newline="") as rows:
        projects = list(csv.DictReader(rows))
    title = projects[len(projects) // 2]["title"]
    parts = [p.strip() for p in title.split(",")]
    place = parts[1].split()[0] if len(parts) > 1 else parts[0].split()[-1]
    return [place, parts[0].split()[0].lower()]


def _rows(package: Path) -> int:
    return sum(max(0, len(p.read_bytes().splitlines()) - 1) for p in package.glob("*.csv"))


def measure_site(site: Path) -> JSON:
    if not site.is_dir():
        return {}
    return {
        "tree": tree_stats(site),
        "pages": sum(1 for p in site.rglob("*.html") if p.name != "404.html"),
        "projects": page_sizes(site, "projects"),
        "search": search_index(site),
    }


def one_row_edit(layout: Layout) -> JSON:
    """Rename one project, regenerate on the warm cache, export over the first export."""
    if not (layout.export / ".sunshine-export.json").is_file():
        return {"error": "no first export to compare with"}
    before_hashes, before_times = manifest(layout.export), snapshot(layout.export)
    project = rename_one_project(layout.data / PACKAGE / "projects.csv")
    outcome = generate(layout, f"one-row edit ({project} renamed), warm cache", "gen-edit",
                       layout.cache_stages, export=layout.export)  # fmt: skip
    if outcome.error:
        return {"outcome": outcome, "project": project}
    after_hashes, after_times = manifest(layout.export), snapshot(layout.export)
    changed = {p for p, h in after_hashes.items() if before_hashes.get(p) != h}
    touched = {p for p, t in after_times.items() if before_times.get(p) != t}
    touched.discard(".sunshine-export.json")
    written = set(outcome.result["written"])
    return {
        "outcome": outcome,
        "project": project,
        "changed": sorted(changed),
        "written": sorted(written),
        "touched": sorted(touched),
        "removed": outcome.result["removed"],
        "by_folder": dict(Counter(p.split("/")[0] for p in written).most_common()),
    }


def run_profiles(layout: Layout, n: int) -> None:
    """cProfile runs, after the timed ones: generator stages (cold cache) and both builds."""
    profiles = layout.root.parent / "profiles"
    for folder in (layout.cache_profile, layout.site, layout.floor_site):  # as the timed runs
        shutil.rmtree(folder, ignore_errors=True)
    prefix = ["--profile-dir", str(profiles), "--profile-prefix"]
    generate(layout, "profile: generator stages, cold cache", "prof-gen", layout.cache_profile,
             profile_dir=profiles, profile_prefix=f"n{n}-generator-")  # fmt: skip
    step("profile: mkdocs build with the plugin, warm cache", "mkdocs",
         ["--config", str(layout.config), *prefix, f"n{n}-build-"],
         layout.logs / "prof-mkdocs.log")  # fmt: skip
    step("profile: floor build", "mkdocs",
         ["--config", str(layout.floor_config), *same_search(layout), *prefix, f"n{n}-floor-"],
         layout.logs / "prof-floor.log")  # fmt: skip


# --- the table --------------------------------------------------------------------------


def seconds(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f} s" if value < 10 else f"{value:.1f} s"


def size(value: float | None) -> str:
    if value is None:
        return "—"
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
        if value >= scale:
            return f"{value / scale:.1f} {unit}"
    return f"{value:.0f} B"


def verdict(ok: bool | None) -> str:
    return "" if ok is None else " PASS" if ok else " MISS"


Cell = tuple[str, bool | None]
Figure = tuple[str, str, Callable[[JSON], Cell]]


def _ok(run: JSON, name: str) -> Outcome | None:
    outcome = run.get(name)
    return outcome if isinstance(outcome, Outcome) and outcome.error is None else None


def _either(run: JSON, name: str, text: Callable[[Outcome], str]) -> Cell:
    """``text(outcome)`` of a successful step; else a dash, or "crashed"."""
    outcome = run.get(name)
    if not isinstance(outcome, Outcome):
        return "—", None
    return ("crashed (see Failures)" if outcome.error else text(outcome)), None


# the figures of one step


def stage_seconds(outcome: Outcome, parts: tuple[str, ...], minus: str, key: str) -> float:
    stages: dict[str, float] = outcome.result[key]
    return sum(stages.get(p, 0.0) for p in parts) - stages.get(minus, 0.0)


def event(outcome: Outcome, prefixes: tuple[str, ...], cpu: bool = False) -> float:
    """Wall (or CPU) seconds of the plugin events whose key starts with one of ``prefixes``."""
    events: dict[str, list[float]] = outcome.result["events"]
    return sum(v[int(cpu)] for k, v in events.items() if k.startswith(prefixes))


GENERATOR_EVENT = ("sunshine.on_pre_build",)
SEARCH_EVENTS = ("material/search.", "search.", "pagefind.")


def render(outcome: Outcome, cpu: bool = False) -> float:
    """MkDocs render: the whole build less the generator (the plugin's on_pre_build)."""
    total = float(outcome.result["total_cpu" if cpu else "total"])
    return total - event(outcome, GENERATOR_EVENT, cpu)


def wall_cpu(wall: float, cpu: float) -> str:
    return f"{seconds(wall)} (CPU {seconds(cpu)})"


# the cells


def stage(*parts: str, minus: str = "") -> Callable[[JSON], Cell]:
    """Wall seconds of the stage functions ``parts`` (less ``minus``): cold / warm."""

    def cell(run: JSON) -> Cell:
        values = []
        for which in ("cold", "warm"):
            outcome = _ok(run, which)
            value = stage_seconds(outcome, parts, minus, "stages") if outcome else None
            values.append(seconds(value))
        return " / ".join(values), None

    return cell


def stage_cpu(*parts: str) -> Callable[[JSON], Cell]:
    """CPU seconds (all threads) of stage functions, cold / warm."""

    def cell(run: JSON) -> Cell:
        values = []
        for which in ("cold", "warm"):
            outcome = _ok(run, which)
            values.append(
                seconds(stage_seconds(outcome, parts, "", "stages_cpu") if outcome else None)
            )
        return " / ".join(values), None

    return cell


def generator_total(key: str) -> Callable[[JSON], Cell]:
    def cell(run: JSON) -> Cell:
        values = []
        for which in ("cold", "warm"):
            outcome = _ok(run, which)
            values.append(seconds(outcome.result[key] if outcome else None))
        return " / ".join(values), None

    return cell


def glue(run: JSON) -> Cell:
    values = []
    for which in ("cold", "warm"):
        outcome = _ok(run, which)
        glue_time = None
        if outcome is not None:
            glue_time = outcome.result["generator"] - stage_seconds(
                outcome, BUILD_STAGES + CACHE_STAGES, "", "stages"
            )
        values.append(seconds(glue_time))
    return " / ".join(values), None


def generated(run: JSON) -> Cell:
    def text(outcome: Outcome) -> str:
        listed = ", ".join(f"{v:,} {k}" for k, v in outcome.result["kinds"].items())
        return f"{outcome.result['files']:,} files, {size(outcome.result['bytes'])} ({listed})"

    return _either(run, "warm", text)


def build_total(name: str) -> Callable[[JSON], Cell]:
    return lambda run: _either(
        run, name, lambda o: wall_cpu(o.result["total"], o.result["total_cpu"])
    )


def build_generator(run: JSON) -> Cell:
    return _either(
        run, "build", lambda o: wall_cpu(event(o, GENERATOR_EVENT), event(o, GENERATOR_EVENT, True))
    )


def build_render(run: JSON) -> Cell:
    return _either(run, "build", lambda o: wall_cpu(render(o), render(o, cpu=True)))


def search_time(name: str) -> Callable[[JSON], Cell]:
    return lambda run: _either(
        run, name, lambda o: wall_cpu(event(o, SEARCH_EVENTS), event(o, SEARCH_EVENTS, True))
    )


def search_size(key: str) -> Callable[[JSON], Cell]:
    """Material: the index file (all loaded by the first query); Pagefind: its folder."""

    def cell(run: JSON) -> Cell:
        found = run.get(key, {}).get("search", {})
        texts = []
        if "material" in found:
            index = found["material"]
            texts.append(
                f"Material search_index.json {size(index['bytes'])} "
                f"({size(index['gzip'])} gzipped), all loaded by the first query"
            )
        if "pagefind" in found:
            folder = found["pagefind"]
            texts.append(f"Pagefind {size(folder['bytes'])} in {folder['files']:,} files")
        return ("; ".join(texts) or "none"), None

    return cell


def first_query(run: JSON) -> Cell:
    queries = run.get("site", {}).get("queries", {})
    if not queries:
        return "—", None
    if "error" in queries:
        return f"not measured: {queries['error']}", None
    texts = [
        f"“{q}”: {size(v['pagefind'])} in {v['requests']} requests "
        f"(whole page {size(v['page'])}; {v['results_shown']} results shown)"
        for q, v in queries.items()
    ]
    return "; ".join(texts), None


def rss(name: str) -> Callable[[JSON], Cell]:
    return lambda run: _either(run, name, lambda o: size(o.max_rss))


def process_cpu(name: str) -> Callable[[JSON], Cell]:
    return lambda run: _either(
        run, name, lambda o: f"{seconds(o.cpu)} CPU / {seconds(o.wall)} wall"
    )


def site_size(key: str) -> Callable[[JSON], Cell]:
    def cell(run: JSON) -> Cell:
        tree = run.get(key, {}).get("tree")
        if not tree:
            return "—", None
        files = f"{size(tree['bytes'])} in {tree['files']:,} files"
        return f"{size(tree['disk'])} on disk ({files})", None

    return cell


def project_html(run: JSON) -> Cell:
    found = run.get("site", {}).get("projects")
    if not found:
        return "—", None
    return (
        f"median {size(found['median'])}, largest {size(found['largest'])} "
        f"({found['largest_page']}; {found['count']:,} pages)",
        None,
    )


def warnings(run: JSON) -> Cell:
    return _either(run, "build", lambda o: f"{o.result['warnings']:,}")


def ratio_generator(which: str, target: bool) -> Callable[[JSON], Cell]:
    """Generator / MkDocs render, wall (the verdict) and CPU."""

    def cell(run: JSON) -> Cell:
        build, gen = _ok(run, "build"), _ok(run, which)
        if build is None or gen is None:
            return "—", None
        value = gen.result["generator"] / render(build)
        by_cpu = gen.result["generator_cpu"] / render(build, cpu=True)
        return f"{value:.2f} (CPU {by_cpu:.2f})", (
            value <= TARGET_GENERATOR_RATIO
        ) if target else None

    return cell


def per_page(run: JSON) -> Cell:
    """MkDocs render per built page, ours and the floor's."""
    build, floor = _ok(run, "build"), _ok(run, "floor")
    ours, plain = run.get("site", {}).get("pages"), run.get("floor_site", {}).get("pages")
    if build is None or floor is None or not ours or not plain:
        return "—", None
    mine = render(build) / ours * 1000
    theirs = float(floor.result["total"]) / plain * 1000
    return f"{mine:.0f} ms / {theirs:.0f} ms ({ours:,} / {plain:,} pages)", None


def ratio_floor(run: JSON) -> Cell:
    build, floor = _ok(run, "build"), _ok(run, "floor")
    if build is None or floor is None:
        return "—", None
    value = render(build) / float(floor.result["total"])
    by_cpu = render(build, cpu=True) / float(floor.result["total_cpu"])
    return f"{value:.2f} (CPU {by_cpu:.2f})", value <= TARGET_FLOOR_RATIO


def edit_generator(run: JSON) -> Cell:
    outcome = run.get("edit", {}).get("outcome")
    if not isinstance(outcome, Outcome) or outcome.error:
        return "—", None
    value = float(outcome.result["generator"])
    text = (
        f"{wall_cpu(value, outcome.result['generator_cpu'])}; whole process {seconds(outcome.wall)}"
    )
    return text, value <= TARGET_EDIT_SECONDS


def live_rebuilds(run: JSON) -> list[Outcome]:
    """The live preview's rebuilds, one per edit, each as an outcome of its own."""
    outcome = _ok(run, "live")
    if outcome is None:
        return []
    return [replace(outcome, result=rebuild) for rebuild in outcome.result["rebuilds"]]


def live_generator(run: JSON) -> Cell:
    """The generator's part of the live preview's rebuilds after the edits (its own process
    kept the last build: the warmest cache there is): the median, and the range."""
    rebuilds = live_rebuilds(run)
    if not rebuilds:
        return "—", None
    walls = [event(r, GENERATOR_EVENT) for r in rebuilds]
    cpus = [event(r, GENERATOR_EVENT, True) for r in rebuilds]
    value = statistics.median(walls)
    spread = f"{len(walls)} edits: {', '.join(seconds(w) for w in walls)}"
    return f"{wall_cpu(value, statistics.median(cpus))} ({spread})", value <= TARGET_EDIT_SECONDS


def live_rebuild(run: JSON) -> Cell:
    rebuilds = live_rebuilds(run)
    if not rebuilds:
        return "—", None
    middle = sorted(rebuilds, key=lambda r: float(r.result["total"]))[len(rebuilds) // 2]
    result = middle.result
    first = _ok(run, "live")
    assert first is not None
    return (
        f"{seconds(result['total'])} (median of {len(rebuilds)}): generator "
        f"{seconds(event(middle, GENERATOR_EVENT))}, MkDocs {seconds(render(middle))}; "
        f"{result['rewritten']:,} of {result['files']:,} files rewritten (first build "
        f"{seconds(first.result['first'])})"
    ), None


def edit_files(run: JSON) -> Cell:
    edit = run.get("edit", {})
    if "written" not in edit:
        return "—", None
    written, changed, touched = set(edit["written"]), set(edit["changed"]), set(edit["touched"])
    folders = ", ".join(f"{k} {v}" for k, v in edit["by_folder"].items())
    ok = written == changed == touched and not edit["removed"]
    counts = f"{len(written):,} rewritten, {len(changed):,} changed, {len(touched):,} mtimes moved"
    return f"{counts} ({folders})", ok


def unchanged_rebuild(run: JSON) -> Cell:
    outcome = _ok(run, "warm")
    if outcome is None or outcome.result["written"] is None:
        return "—", None
    written = len(outcome.result["written"])
    return f"{written:,} rewritten, {outcome.result['unchanged']:,} untouched", written == 0


def export_time(run: JSON) -> Cell:
    return _either(run, "cold", lambda o: seconds(o.result["export_seconds"]))


def data_rows(run: JSON) -> Cell:
    return f"{run['rows']:,}", None


def heading(run: JSON) -> Cell:
    return "", None


FIGURES: list[Figure] = [
    ("Data rows (all 8 CSV files)", "", data_rows),
    ("Generated files (in memory)", "", generated),
    ("**Generator stages**, wall: cold / warm cache", "", heading),
    ("validate: load + frictionless + rules", "", stage("validate_data", minus="build_model")),
    ("↳ load (CSV into raw tables)", "", stage("load_packages")),
    ("↳ frictionless (schemas, keys)", "", stage("validate_tables")),
    ("↳ package rules (ids, privacy, formats)", "", stage("validate_packages")),
    ("↳ domain rules (on the model)", "", stage("validate_rules")),
    ("model", "", stage("build_model")),
    ("pages + chart specs", "", stage("build_pages")),
    ("chart SVG fallbacks", "", stage("render_chart_fallbacks")),
    ("↳ CPU, all threads", "", stage_cpu("render_chart_fallbacks")),
    ("downloads", "", stage("build_downloads")),
    ("assets (Vega bundle)", "", stage("build_assets")),
    ("cache prune (entries the build did not use)", "", stage("prune")),
    ("chart SVG cache prune (SVGs the build did not use)", "", stage("prune_svg_cache")),
    ("orchestrator glue (Site.add)", "", glue),
    ("**generator total**", "", generator_total("generator")),
    ("↳ CPU", "", generator_total("generator_cpu")),
    ("first export to a folder (all files)", "", export_time),
    ("**MkDocs build with the plugin** (cold cache)", "", build_total("build")),
    ("↳ generator inside it (on_pre_build)", "", build_generator),
    ("↳ **MkDocs render** (build − generator)", "", build_render),
    ("↳ search indexing (Pagefind or search plugin)", "", search_time("build")),
    ("search index", "", search_size("site")),
    ("first query's download (search.html?q=…, empty cache)", "", first_query),
    ("MkDocs warnings", "", warnings),
    ("peak RSS, whole build", "", rss("build")),
    ("whole build process", "", process_cpu("build")),
    ("peak RSS, generator alone (cold)", "", rss("cold")),
    ("site on disk", "", site_size("site")),
    ("project page HTML", "", project_html),
    ("**floor**: plain 1.5 KB pages, as many as ours, same mkdocs.yml", "", build_total("floor")),
    ("↳ floor search indexing", "", search_time("floor")),
    ("↳ floor search index", "", search_size("floor_site")),
    ("↳ floor peak RSS", "", rss("floor")),
    ("↳ floor site on disk", "", site_size("floor_site")),
    ("**generator (warm) / MkDocs render**", f"≤ {TARGET_GENERATOR_RATIO}",
     ratio_generator("warm", True)),
    ("generator (cold) / MkDocs render", "", ratio_generator("cold", False)),
    ("**MkDocs render / floor**", f"≤ {TARGET_FLOOR_RATIO}", ratio_floor),
    ("↳ render per page: ours / floor", "", per_page),
    ("**one-row edit: generator, live preview** (`serve --dirty`)",
     f"≤ {TARGET_EDIT_SECONDS:.0f} s", live_generator),
    ("↳ the live preview's whole rebuild", "", live_rebuild),
    ("**one-row edit: generator, new process**, warm disk cache",
     f"≤ {TARGET_EDIT_SECONDS:.0f} s", edit_generator),
    ("**one-row edit: export**", "only changed files rewritten", edit_files),
    ("unchanged rebuild: export", "0 rewritten", unchanged_rebuild),
]  # fmt: skip


def render_table(runs: list[JSON]) -> str:
    head = ["Figure", "Target", *(f"N = {run['n']:,}" for run in runs)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for label, target, cell in FIGURES:
        cells = []
        for run in runs:
            text, ok = cell(run)
            cells.append((text + verdict(ok)).strip())
        lines.append("| " + " | ".join([label, target, *cells]) + " |")
    return "\n".join(lines) + "\n"


def environment() -> str:
    def version(name: str) -> str:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return "?"

    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    ).stdout.strip()
    status = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT, capture_output=True, text=True,
    ).stdout.splitlines()  # fmt: skip
    if status:
        commit += f" + {len(status)} modified files"
    packages = ("mkdocs", "mkdocs-material", "frictionless", "pandas", "vl-convert-python")
    return (
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, commit {commit or '?'}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, "
        + ", ".join(f"{p} {version(p)}" for p in packages)
    )


def failures(runs: list[JSON]) -> str:
    found = []
    for run in runs:
        for name in ("cold", "warm", "build", "floor", "live"):
            outcome = run.get(name)
            if isinstance(outcome, Outcome) and outcome.error:
                found.append(f"N={run['n']:,} {name}:\n```\n{outcome.error}\n```")
        edited = run.get("edit", {}).get("outcome")
        if isinstance(edited, Outcome) and edited.error:
            found.append(f"N={run['n']:,} edit:\n```\n{edited.error}\n```")
    return ("\n## Failures\n\n" + "\n\n".join(found) + "\n") if found else ""


def as_json(value: Any) -> Any:
    if isinstance(value, Outcome):
        return {"result": value.result, "wall": value.wall, "max_rss": value.max_rss,
                "cpu": value.cpu, "error": value.error}  # fmt: skip
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["worker"]:
        return main_worker(argv[1:])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--profile", action="store_true", help="add cProfile runs (OUT/profiles)")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    started = environment()  # the commit measured is the one checked out at the start
    runs = []
    for n in args.sizes:
        runs.append(bench_size(n, args.seed, out, args.profile))
        write_results(out, runs, started)  # after each size: a later crash keeps these
    print(write_results(out, runs, started), end="")
    return 0 if not failures(runs) else 1


def write_results(out: Path, runs: list[JSON], started: str) -> str:
    text = f"Run started {started}\n\n{render_table(runs)}{failures(runs)}"
    (out / "results.md").write_text(text, "utf-8")
    (out / "results.json").write_text(json.dumps(as_json(runs), indent=1), "utf-8")
    return text


if __name__ == "__main__":
    sys.exit(main())

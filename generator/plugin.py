"""The MkDocs adapter: the only module that imports mkdocs.

``SunshinePlugin`` runs the pure core (``build_site``) and hands every generated
file to MkDocs in memory (``File.generated``); nothing is ever written into the
docs folder. ``run_mkdocs_build`` and ``run_mkdocs_serve`` are how the ``sunshine``
command drives MkDocs in-process.

Order matters. MkDocs empties the site folder right after ``on_pre_build`` and
before ``on_files`` (``mkdocs/commands/build.py``: ``on_config``, ``on_pre_build``,
``clean_directory(site_dir)``, ``get_files``, ``on_files``). So the data is
validated and the site generated in ``on_pre_build``: bad data stops plain
``mkdocs build`` while the last good site is still in place.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import os
import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from markdown.extensions.toc import nest_toc_tokens, strip_tags
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.commands.serve import serve as mkdocs_serve
from mkdocs.config import config_options as c
from mkdocs.config import load_config
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from generator.build import build_site
from generator.config import SiteConfig
from generator.export import source_date_epoch
from generator.markdown import page_headings, page_ids
from generator.problems import DataError
from generator.search import SearchIndexError, build_search_index
from generator.site import Site
from generator.validate import paused_gc, prepare_for_edits
from generator.validate.report import render_text

log = logging.getLogger("mkdocs.plugins.sunshine")

CONTACTS_MARKER = "<!-- sunshine:feedback-contacts -->"
_SITE_DEFAULTS = SiteConfig(data_dir=Path("data"))


class SunshinePluginConfig(Config):  # type: ignore[no-untyped-call]
    """Options of the ``sunshine`` plugin in ``mkdocs.yml``; paths are relative to it."""

    data_dir = c.Type(str, default="data")
    strict = c.Type(bool, default=False)  # data warnings stop the build too
    cache_dir = c.Optional(c.Type(str))  # default: .cache/sunshine next to mkdocs.yml
    language = c.Type(str, default=_SITE_DEFAULTS.language)
    license_id = c.Type(str, default=_SITE_DEFAULTS.license_id)
    license_title = c.Type(str, default=_SITE_DEFAULTS.license_title)
    license_path = c.Type(str, default=_SITE_DEFAULTS.license_path)
    feedback_contact = c.Type(str, default="")  # the office's own channel, if any
    reproducible = c.Type(bool, default=True)  # SOURCE_DATE_EPOCH from the data
    search = c.Choice(("pagefind", "none"), default="pagefind")  # the site's search index


@dataclass(frozen=True)
class Overrides:
    """Settings the ``sunshine`` command gives a build, over ``mkdocs.yml``."""

    data_dir: Path | None = None
    strict: bool | None = None
    raise_data_errors: bool = False  # let DataError through for the CLI to print


_overrides = Overrides()


class SunshinePlugin(BasePlugin[SunshinePluginConfig]):  # type: ignore[no-untyped-call]
    """Validate the data and generate the site's pages, charts and downloads in memory."""

    def __init__(self) -> None:
        self.site_config: SiteConfig | None = None
        self.site: Site | None = None
        self._saved_epoch: str | None = None
        self._html_bodies: dict[str, str] = {}
        self._set_epoch = False
        self._dirty = False  # ``serve --dirty``: each rebuild writes only what changed
        self._built: Site | None = None  # the files of the last build, if dirty

    # Having on_startup keeps one plugin instance across ``mkdocs serve`` rebuilds.
    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.site = None
        self._dirty = dirty and command == "serve"
        self._built = None
        if self._dirty:
            prepare_for_edits()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig | None:
        self.site_config = site_config_from(self.config, config, _overrides)
        docs_dir = Path(config.docs_dir).resolve()
        data_dir = self.site_config.data_dir.resolve()
        if data_dir == docs_dir or docs_dir in data_dir.parents:
            raise PluginError(f"sunshine: data_dir {data_dir} must not be inside docs_dir")
        if self.config.reproducible:
            self._set_source_date_epoch(self.site_config.data_dir)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        assert self.site_config is not None
        self.site = None
        try:
            # A live preview's process holds the last build and MkDocs' own structures:
            # collecting garbage midway walks millions of objects that all live on.
            with paused_gc() if self._dirty else contextlib.nullcontext():
                self.site = build_site(self.site_config)
        except DataError as exc:
            if _overrides.raise_data_errors:
                raise
            raise PluginError(
                "The data cannot be published; nothing was built and the site folder "
                "was left as it was:\n" + render_text(exc.problems)
            ) from None

    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        if self.site is None:  # on_pre_build failed
            raise PluginError("sunshine: no generated site (the data step did not run)")
        unchanged: set[str] = set()
        if self._dirty and self._built is not None:
            mark_contact_pages_modified(files)
            remove_dropped_files(self._built, self.site, config)
            unchanged = same_files(self._built, self.site)
        return add_generated_files(files, self.site, config, unchanged)

    def on_page_markdown(
        self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        if self._has_html_body(page):
            self._html_bodies[page.file.src_uri] = markdown
            return ""  # nothing for Python-Markdown to do: on_page_content puts the body in
        if CONTACTS_MARKER not in markdown or self.site is None:
            return markdown
        assert self.site_config is not None
        listed = contacts_markdown(self.site, self.site_config.feedback_contact)
        return markdown.replace(CONTACTS_MARKER, listed)

    def on_page_content(
        self, html: str, *, page: Page, config: MkDocsConfig, files: Files
    ) -> str | None:
        body = self._html_bodies.pop(page.file.src_uri, None)
        if body is None:
            return html
        set_toc_and_anchors(page, body)
        return body.strip()

    def _has_html_body(self, page: Page) -> bool:
        """Whether the page is a generated one whose body is ready HTML."""
        uri = page.file.src_uri
        return self.site is not None and uri in self.site and self.site[uri].html_body

    def on_serve(
        self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        assert self.site_config is not None
        server.watch(str(self.site_config.data_dir))
        return server

    def on_post_build(self, *, config: MkDocsConfig) -> None:
        self._restore_source_date_epoch()
        rebuilt = self._built is not None
        if self._dirty:
            self._built = self.site
        if self.config.search != "pagefind" or not Path(config.site_dir).is_dir():
            return
        if rebuilt:  # a dirty rebuild: Pagefind would read every page again (seconds at scale)
            log.info("sunshine: search index kept from the first build (serve --dirty)")
            return
        try:
            build_search_index(Path(config.site_dir))
        except SearchIndexError as exc:
            raise PluginError(str(exc)) from None

    def on_build_error(self, *, error: Exception) -> None:
        self._restore_source_date_epoch()

    def _set_source_date_epoch(self, data_dir: Path) -> None:
        """Date the build by the data (sitemap dates, gzip mtime) unless the caller did."""
        if "SOURCE_DATE_EPOCH" in os.environ and not self._set_epoch:
            return
        epoch = source_date_epoch(data_dir)
        if epoch is None:
            return
        if not self._set_epoch:
            self._saved_epoch = os.environ.get("SOURCE_DATE_EPOCH")
            self._set_epoch = True
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)

    def _restore_source_date_epoch(self) -> None:
        if not self._set_epoch:
            return
        if self._saved_epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = self._saved_epoch
        self._set_epoch = False


def set_toc_and_anchors(page: Page, body: str) -> None:
    """What ``Page.render`` would have found in the page: its table of contents and ids.

    The tokens are those of Python-Markdown's ``toc`` extension, so the theme's "On
    this page" is as before; the ids let MkDocs check links to anchors of the page.
    """
    tokens = [
        {
            "level": h.level,
            "id": h.anchor,
            "name": strip_tags(h.inner),
            "html": h.inner,
            "data-toc-label": "",
            "children": [],
        }
        for h in page_headings(body)
    ]
    page.toc = get_toc(nest_toc_tokens(tokens))
    page.present_anchor_ids = page_ids(body)


def site_config_from(
    options: SunshinePluginConfig, config: MkDocsConfig, overrides: Overrides
) -> SiteConfig:
    """The core's SiteConfig from the plugin options, mkdocs.yml and the command's overrides."""
    base = Path(config.config_file_path or ".").resolve().parent
    data_dir = overrides.data_dir or base / options.data_dir
    cache = base / options.cache_dir if options.cache_dir else base / ".cache" / "sunshine"
    return SiteConfig(
        data_dir=Path(data_dir),
        site_name=config.site_name,
        site_url=config.site_url or "",
        language=options.language,
        license_id=options.license_id,
        license_title=options.license_title,
        license_path=options.license_path,
        feedback_contact=options.feedback_contact,
        strict=options.strict if overrides.strict is None else overrides.strict,
        cache_dir=cache,
    )


def add_generated_files(
    files: Files, site: Site, config: MkDocsConfig, unchanged: Collection[str] = ()
) -> Files:
    """Add every generated file; a generated path taken by a hand-written file is an error.

    Pages outside the ``nav`` are marked not-in-nav, so thousands of them build
    quietly and never enter the menu. ``unchanged``: the paths whose bytes are those of
    the last build into the same folder, which a dirty build skips.
    """
    collisions = [f.path for f in site if files.get_file_from_path(f.path) is not None]
    if collisions:
        raise PluginError(collision_message(collisions, files, config))
    in_nav = nav_paths(config.nav)
    for item in site:
        level = InclusionLevel.UNDEFINED
        if item.path.endswith(".md") and item.path not in in_nav:
            level = InclusionLevel.NOT_IN_NAV
        kind = UnchangedFile if item.path in unchanged else File
        files.append(kind.generated(config, item.path, content=item.content, inclusion=level))
    return files


class UnchangedFile(File):
    """A generated file with the bytes it had in the last build into the same site folder.

    MkDocs' dirty build skips a file that is not modified; it counts every generated
    file as modified, which would render all of them again.
    """

    def is_modified(self) -> bool:
        return not os.path.isfile(self.abs_dest_path)


class _RebuiltPage(File):
    def is_modified(self) -> bool:
        return True


def same_files(built: Site, site: Site) -> set[str]:
    """Paths of ``site`` whose bytes are those ``built`` had (most are the same objects:
    the cache keeps pages and slices in memory)."""
    found = set()
    for file in site:
        if file.path in built:
            old = built[file.path].content
            if old is file.content or old == file.content:
                found.add(file.path)
    return found


def remove_dropped_files(built: Site, site: Site, config: MkDocsConfig) -> None:
    """Remove from the site folder what the last build generated and this one does not
    (a project taken out of the data): a dirty build leaves files it does not know of."""
    for path in sorted(set(built.paths()) - set(site.paths())):
        dropped = File(path, config.docs_dir, config.site_dir, config.use_directory_urls)
        Path(dropped.abs_dest_path).unlink(missing_ok=True)


def mark_contact_pages_modified(files: Files) -> None:
    """Hand-written pages that list the feedback contacts (from the data) are built again."""
    for file in files.documentation_pages():
        source = file.abs_src_path
        if source and CONTACTS_MARKER in Path(source).read_text("utf-8", errors="replace"):
            file.__class__ = _RebuiltPage


def collision_message(collisions: list[str], files: Files, config: MkDocsConfig) -> str:
    """Name each generated path that a hand-written (or theme) file already has."""
    lines = ["sunshine: these paths are generated from the data but already exist:"]
    for path in collisions:
        existing = files.get_file_from_path(path)
        where = existing.abs_src_path if existing is not None else None
        origin = "a file of the docs folder" if where else "another plugin's file"
        if where and not Path(where).resolve().is_relative_to(Path(config.docs_dir).resolve()):
            origin = "a theme file"
        lines.append(f"  {path}: {origin} ({where or 'generated'}); rename or remove it")
    return "\n".join(lines)


def nav_paths(nav: Any) -> set[str]:
    """Every page path named in a ``nav`` configuration (nested lists and dicts)."""
    found: set[str] = set()
    if isinstance(nav, str):
        found.add(nav)
    elif isinstance(nav, list):
        for item in nav:
            found |= nav_paths(item)
    elif isinstance(nav, dict):
        for value in nav.values():
            found |= nav_paths(value)
    return found


def contacts_markdown(site: Site, configured: str) -> str:
    """The feedback channels: the office's configured one and each notice's contact.

    Notice contacts are read from the published announcements tables in the site's
    ``latest`` downloads, so the page shows exactly what the open data says.
    """
    seen: dict[tuple[str, str], None] = {}
    for path in site.paths():
        if re.fullmatch(r"data/[^/]+/latest/announcements\.csv", path):
            for row in csv.DictReader(io.StringIO(site[path].content.decode("utf-8-sig"))):
                contact = (row.get("contact") or "").strip()
                url = (row.get("contact_url") or "").strip()
                if contact or url:
                    seen[(contact, url)] = None
    lines = [f"- {_md_text(configured)}"] if configured.strip() else []
    for contact, url in seen:
        lines.append("- " + _contact_line(contact, url))
    if not lines:
        return "*No contact is recorded in the data; ask at the office that published it.*\n"
    return "\n".join(lines) + "\n"


def _contact_line(contact: str, url: str) -> str:
    text = _md_text(contact)
    if not url:
        return text
    if url.startswith(("mailto:", "https://", "http://", "tel:")):
        shown = _md_text(url.removeprefix("mailto:").removeprefix("tel:"))
        link = f"[{shown}](<{url.replace('>', '%3E')}>)"
        return f"{text}: {link}" if text else link
    return f"{text} ({_md_text(url)})" if text else _md_text(url)


def _md_text(value: str) -> str:
    """Text from data, safe in Markdown: HTML and Markdown syntax characters escaped."""
    escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return re.sub(r"([\\`*_\[\]{}()#+!|~])", r"\\\1", " ".join(escaped.split()))


# --- driving MkDocs in-process (for the sunshine command) -------------------------------


def load_site_config(
    config_file: Path | None, *, data_dir: Path | None = None, strict: bool = False
) -> tuple[SiteConfig, Path]:
    """The SiteConfig a build of ``config_file`` would use, and its docs folder.

    Without a config file: the defaults, ``data`` and ``site_src``.
    """
    if config_file is None:
        return SiteConfig(data_dir=data_dir or Path("data"), strict=strict), Path("site_src")
    config = load_config(str(config_file))
    plugin = config.plugins.get("sunshine")
    if not isinstance(plugin, SunshinePlugin):
        raise PluginError(f"{config_file} does not use the sunshine plugin")
    found = site_config_from(plugin.config, config, Overrides(data_dir=data_dir))
    return replace(found, strict=found.strict or strict), Path(config.docs_dir)


@contextlib.contextmanager
def overrides(**settings: Any) -> Iterator[None]:
    """Apply command-line settings to the plugin for the duration of a build or serve."""
    global _overrides
    saved = _overrides
    _overrides = replace(saved, **settings)
    try:
        yield
    finally:
        _overrides = saved


@contextlib.contextmanager
def mkdocs_logging(verbose: bool = False) -> Iterator[None]:
    """Print MkDocs' warnings and errors on stderr (everything with ``verbose``)."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    saved = logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.WARNING)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved)


class BuildFailed(Exception):
    """MkDocs aborted the build (its messages were logged)."""


def run_mkdocs_build(
    config_file: Path | str,
    site_dir: Path | str,
    *,
    data_dir: Path | None = None,
    strict_data: bool = False,
    strict_links: bool = True,
    verbose: bool = False,
) -> None:
    """Build the site with MkDocs into ``site_dir``.

    ``strict_data`` makes data warnings stop the build; ``strict_links`` is MkDocs'
    strict mode (any MkDocs warning, such as a broken link, stops it). Raises
    ``DataError`` when the data may not be published, ``BuildFailed`` when MkDocs
    aborts for another reason.
    """
    with (
        overrides(data_dir=data_dir, strict=strict_data or None, raise_data_errors=True),
        mkdocs_logging(verbose),
    ):
        config = load_config(str(config_file), site_dir=str(site_dir), strict=strict_links)
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        except Abort as exc:
            raise BuildFailed(str(exc)) from None
        finally:
            config.plugins.on_shutdown()


def run_mkdocs_serve(
    config_file: Path | str,
    *,
    data_dir: Path | None = None,
    dev_addr: str | None = None,
    open_in_browser: bool = False,
    verbose: bool = False,
    dirty: bool = False,
) -> None:
    """Preview the site with ``mkdocs serve``: rebuilds when docs, config or data change.

    ``dirty``: a rebuild renders and writes only the generated files whose bytes changed
    (and pages MkDocs finds modified), and keeps the first build's search index.
    """
    extra: dict[str, Any] = {"dev_addr": dev_addr} if dev_addr else {}
    if dirty:
        extra["build_type"] = "dirty"
    with overrides(data_dir=data_dir), mkdocs_logging(verbose):
        try:
            mkdocs_serve(str(config_file), open_in_browser=open_in_browser, **extra)
        except Abort as exc:
            raise BuildFailed(str(exc)) from None

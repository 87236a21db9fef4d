"""The ``sunshine build``, ``serve`` and ``export`` subcommands.

``build`` validates the data and builds the whole site with MkDocs (in strict mode:
a broken link stops it) into a new folder beside the target, then swaps it in: a
failed build leaves the previous site as it was. ``serve`` previews
the site and rebuilds when the docs, ``mkdocs.yml`` or the data change. ``export``
writes only the generated files (pages as Markdown, charts, downloads) to a
folder, for another static-site tool.

Data problems raise ``DataError``; the ``sunshine`` command prints them. MkDocs and
the site generator are imported only when a command runs, so ``sunshine validate``
starts fast.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from generator.export import ExportRefused, export_site, swap_in_new_site

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_CONFIG = Path("mkdocs.yml")


def _add_config_arguments(parser: argparse.ArgumentParser, *, data_required: bool = False) -> None:
    parser.add_argument(
        "--data", type=Path, default=None, metavar="DIR",
        help="folder holding the data packages (default: data_dir of the sunshine plugin "
        "in mkdocs.yml, normally data)",
    )  # fmt: skip
    parser.add_argument(
        "-f", "--config-file", type=Path, default=DEFAULT_CONFIG, metavar="FILE",
        help="the MkDocs configuration (default: mkdocs.yml)",
    )  # fmt: skip
    parser.add_argument("-v", "--verbose", action="store_true", help="show MkDocs' debug messages")


# --- build ------------------------------------------------------------------------------


def add_build_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``sunshine build``."""
    _add_config_arguments(parser)
    parser.add_argument(
        "-d", "--site-dir", type=Path, default=Path("site"), metavar="DIR",
        help="where the built site goes (default: site); replaced only when the build succeeds",
    )  # fmt: skip
    parser.add_argument(
        "--strict", action="store_true",
        help="stop on data warnings too, not only on errors (MkDocs warnings, such as a "
        "broken link, always stop the build)",
    )  # fmt: skip


def run_build(args: argparse.Namespace) -> int:
    """Validate and build the site; swap it in only if everything succeeded."""
    from generator.plugin import BuildFailed, load_site_config, run_mkdocs_build

    config_file: Path = args.config_file
    if not config_file.is_file():
        return _usage(f"build: no MkDocs configuration at {config_file}")
    if args.data is not None and not args.data.is_dir():
        return _usage(f"build: {args.data} is not a folder")
    config, docs_dir = load_site_config(config_file, data_dir=args.data)
    protected = [docs_dir, config.data_dir]
    start = time.monotonic()

    def build(into: Path) -> None:
        run_mkdocs_build(
            config_file, into, data_dir=args.data, strict_data=args.strict, verbose=args.verbose
        )

    try:
        swap_in_new_site(args.site_dir, build, protected=protected, keep=[config_file])
    except ExportRefused as exc:
        return _usage(str(exc))
    except BuildFailed as exc:
        sys.stderr.write(f"sunshine build: {exc}; {args.site_dir} was left as it was\n")
        return EXIT_FAILED
    seconds = time.monotonic() - start
    print(f"Built the site into {args.site_dir} in {seconds:.1f} s")
    return EXIT_OK


# --- serve ------------------------------------------------------------------------------


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``sunshine serve``."""
    _add_config_arguments(parser)
    parser.add_argument(
        "-a", "--dev-addr", default=None, metavar="IP:PORT",
        help="address to serve on (default: MkDocs' dev_addr, 127.0.0.1:8000)",
    )  # fmt: skip
    parser.add_argument("--open", action="store_true", help="open the preview in a browser")
    parser.add_argument(
        "--dirty", action="store_true",
        help="a rebuild renders only the pages whose content changed (fast at province "
        "scale); the search index stays the first build's, and a change to the theme "
        "or mkdocs.yml needs a restart",
    )  # fmt: skip


def run_serve(args: argparse.Namespace) -> int:
    """Preview the site; rebuild on every change to the docs, the config or the data."""
    from generator.plugin import BuildFailed, run_mkdocs_serve

    if not args.config_file.is_file():
        return _usage(f"serve: no MkDocs configuration at {args.config_file}")
    try:
        run_mkdocs_serve(
            args.config_file,
            data_dir=args.data,
            dev_addr=args.dev_addr,
            open_in_browser=args.open,
            verbose=args.verbose,
            dirty=args.dirty,
        )
    except BuildFailed as exc:
        sys.stderr.write(f"sunshine serve: {exc}\n")
        return EXIT_FAILED
    return EXIT_OK


# --- export -----------------------------------------------------------------------------


def add_export_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``sunshine export``."""
    _add_config_arguments(parser)
    parser.add_argument(
        "out_dir", type=Path, metavar="OUT_DIR",
        help="folder to write the generated files into (new, empty, or made by export)",
    )  # fmt: skip
    parser.add_argument("--strict", action="store_true", help="stop on data warnings too")


def run_export(args: argparse.Namespace) -> int:
    """Write the generated files to OUT_DIR, changing only what changed."""
    from generator.build import build_site
    from generator.plugin import load_site_config

    if args.data is not None and not args.data.is_dir():
        return _usage(f"export: {args.data} is not a folder")
    config_file: Path | None = args.config_file if args.config_file.is_file() else None
    if config_file is None and args.config_file != DEFAULT_CONFIG:
        return _usage(f"export: no MkDocs configuration at {args.config_file}")
    config, docs_dir = load_site_config(config_file, data_dir=args.data, strict=args.strict)
    protected = [config.data_dir, docs_dir]
    keep = [config_file] if config_file is not None else []
    try:
        result = export_site(build_site(config), args.out_dir, protected=protected, keep=keep)
    except ExportRefused as exc:
        return _usage(str(exc))
    print(
        f"Exported to {args.out_dir}: {len(result.written)} written, "
        f"{result.unchanged} unchanged, {len(result.removed)} removed"
    )
    return EXIT_OK


def _usage(message: str) -> int:
    sys.stderr.write(f"sunshine {message}\n")
    return EXIT_USAGE

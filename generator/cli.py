"""The ``sunshine`` command: one small function per subcommand, registered in one table.

Exit codes: 0 when the data may be published, 1 when problems stop it, 2 on
usage errors. Bad data never shows a traceback: problems are printed as
problems; an unexpected exception becomes one ``internal-error`` problem here,
at the boundary, and nowhere else.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.problems import DataError, Problem, error
from generator.site_commands import (
    add_build_arguments,
    add_export_arguments,
    add_serve_arguments,
    run_build,
    run_export,
    run_serve,
)
from generator.synth import add_synth_arguments, run_synth
from generator.validate import validate_data
from generator.validate.report import render_json, render_text

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True)
class Command:
    """A subcommand: its help line, its arguments, and what it runs."""

    help: str
    add_arguments: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


# validate


def add_validate_arguments(parser: argparse.ArgumentParser) -> None:
    """Arguments of ``sunshine validate``."""
    parser.add_argument(
        "data_dir", nargs="?", default="data", metavar="DATA_DIR", type=Path,
        help="folder holding the data packages (default: data)",
    )  # fmt: skip
    parser.add_argument(
        "--strict", action="store_true", help="fail on warnings too, not only on errors"
    )
    add_format_argument(parser)


def add_format_argument(parser: argparse.ArgumentParser) -> None:
    """The ``--format text|json`` option shared by commands that print problems."""
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format (default: text)"
    )


def run_validate(args: argparse.Namespace) -> int:
    """Check the data folder and print every problem; exit 1 if publication must stop."""
    data_dir: Path = args.data_dir
    if not data_dir.is_dir():
        return usage_error(f"validate: {data_dir} is not a folder")
    validation = validate_data(data_dir)
    ok = validation.ok(args.strict)
    print_problems(validation.problems, args.format, ok=ok)
    return EXIT_OK if ok else EXIT_PROBLEMS


COMMANDS: dict[str, Command] = {
    "validate": Command(
        "check the data packages and list every problem", add_validate_arguments, run_validate
    ),
    "synth": Command(
        "write a synthetic province data package for scale tests", add_synth_arguments, run_synth
    ),
    "build": Command(
        "validate the data and build the site (the old site stays if anything fails)",
        add_build_arguments,
        run_build,
    ),
    "serve": Command(
        "preview the site; rebuild when the docs, mkdocs.yml or the data change",
        add_serve_arguments,
        run_serve,
    ),
    "export": Command(
        "write the generated pages, charts and downloads to a folder (changed files only)",
        add_export_arguments,
        run_export,
    ),
}


# The boundary


def main(argv: list[str] | None = None) -> int:
    """Run ``sunshine``; return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse: --help (0) or a usage error (2)
        return int(exit_.code or 0)
    try:
        return int(args.run(args))
    except DataError as exc:
        print_problems(exc.problems, getattr(args, "format", "text"), ok=False)
    except Exception as exc:  # noqa: BLE001 - the one place unexpected errors become a problem
        print_problems([internal_error(exc)], getattr(args, "format", "text"), ok=False)
    return EXIT_PROBLEMS


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every registered subcommand."""
    parser = argparse.ArgumentParser(
        prog="sunshine", description="Public-transparency website generator."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, command in COMMANDS.items():
        sub = subparsers.add_parser(name, help=command.help, description=command.help)
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
    return parser


def print_problems(problems: list[Problem], output: str, *, ok: bool) -> None:
    """Print problems on stdout, as text grouped by file or as JSON."""
    if output == "json":
        sys.stdout.write(render_json(problems, ok=ok))
    else:
        sys.stdout.write(render_text(problems))


def internal_error(exc: Exception) -> Problem:
    """An unexpected exception, as a problem asking to report it."""
    return error(
        "internal-error",
        f"Sunshine failed unexpectedly ({type(exc).__name__}: {exc}). This is a bug in "
        "Sunshine, not in your data: please report it with this message and the data folder",
        path="-",
    )


def usage_error(message: str) -> int:
    """Print a usage error the way argparse does and return exit code 2."""
    sys.stderr.write(f"sunshine {message}\n")
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())

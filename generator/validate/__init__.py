"""Validation: load every package, check it at schema level, then against the domain rules.

Every finding is a ``Problem``; nothing here raises for bad data. The domain
rules run on the model, which is built only when no error was found before.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from generator.cache import Cache, make_key
from generator.load import DataPackage, load_packages
from generator.model import Model, build_model
from generator.pages.inputs import fingerprints_of
from generator.problems import Problem, has_errors, sort_problems
from generator.validate.privacy import redact_problem
from generator.validate.rules import validate_packages, validate_rules
from generator.validate.tables import validate_tables

__all__ = [
    "Validation",
    "prepare_for_edits",
    "validate_data",
    "validate_rules",
    "validate_tables",
]


@dataclass(frozen=True)
class Validation:
    """The outcome of validating a data folder: packages, model (when built), problems."""

    packages: list[DataPackage]
    model: Model | None
    problems: list[Problem]

    def ok(self, strict: bool = False) -> bool:
        """Tell whether the data may be published (no errors; no warnings either if strict)."""
        return not has_errors(self.problems, strict=strict)

    @property
    def errors(self) -> list[Problem]:
        """The error-level problems."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The warning-level problems."""
        return [p for p in self.problems if p.severity == "warning"]


def validate_data(data_dir: Path, cache: Cache | Path | None = None) -> Validation:
    """Load and check every package of ``data_dir``: files, schemas, then domain rules.

    With a ``cache`` (or a cache folder), work that depends on one file only is kept
    there, keyed by the file's bytes, so a rebuild redoes it only for the files that
    changed. The problems are the same with or without it.
    """
    cache = cache if isinstance(cache, Cache) else Cache(cache)
    with paused_gc():
        packages, problems = load_packages(data_dir, cache)
        problems += validate_tables(packages, cache)
        problems += validate_packages(packages, cache)
        model = None
        if packages and not has_errors(problems):
            model = build_model(packages)
            problems += _domain_problems(packages, model, cache)
    # the report is public (CI logs): no problem may repeat a personal number it quotes
    return Validation(packages, model, sort_problems(map(redact_problem, problems)))


def _domain_problems(packages: list[DataPackage], model: Model, cache: Cache) -> list[Problem]:
    # the model is made of the tables alone: their keys say whether the rules could differ
    if not all(t.key for p in packages for t in p.tables.values()):
        return validate_rules(model)
    # No rule reads a project's title or description (tested), so a corrected title
    # reuses the findings; the pages of figures share this fingerprint.
    key = make_key("domain-rules", fingerprints_of(model).all_but_project_text())
    return cache.memo("domain-rules", key, lambda: validate_rules(model))


def prepare_for_edits() -> None:
    """Import what checking an edited file needs, ahead of the first edit.

    A build from the cache never imports frictionless (about 0.25 s); a live preview
    imports it at startup, so its first edit does not wait for it.
    """
    import frictionless  # noqa: F401


@contextmanager
def paused_gc() -> Iterator[None]:
    """Run the block without cyclic garbage collection, then restore it.

    Loading makes hundreds of thousands of objects that all live on (rows, then
    entities); each collection would walk them again, for nothing. Afterwards
    they go straight to the oldest generation (freeze, then unfreeze), where the
    next young collection does not walk them either.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if was_enabled:
            gc.enable()

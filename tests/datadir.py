"""Test helpers: a data folder built from the minimal valid package plus one change."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator.problems import Problem
from generator.validate import Validation, validate_data

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "valid" / "minimal"


class DataDir:
    """A data folder in a temporary directory, with packages copied from the fixtures."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def add_package(self, name: str = "minimal", overlay: str | None = None) -> Path:
        """Copy the minimal package as ``name``, then lay ``fixtures/<overlay>`` over it."""
        folder = self.root / name
        shutil.copytree(MINIMAL, folder)
        if overlay is not None:
            shutil.copytree(FIXTURES / overlay, folder, dirs_exist_ok=True)
        if name != "minimal":
            self.edit_descriptor(name, lambda d: d.update(name=name))
        return folder

    def replace(self, path: str, old: str, new: str) -> None:
        """Replace text in a file of the data folder; ``old`` must be there."""
        file = self.root / path
        text = file.read_text("utf-8")
        assert old in text, f"{old!r} not in {path}"
        file.write_text(text.replace(old, new, 1), "utf-8")

    def edit_descriptor(self, package: str, edit: Callable[[dict[str, Any]], Any]) -> None:
        """Change a package's datapackage.json with ``edit(descriptor)``."""
        file = self.root / package / "datapackage.json"
        descriptor = json.loads(file.read_text("utf-8"))
        edit(descriptor)
        file.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False), "utf-8")

    def validate(self) -> Validation:
        """Validate the whole data folder."""
        return validate_data(self.root)


def resource_of(descriptor: dict[str, Any], name: str) -> dict[str, Any]:
    """The entry of resource ``name`` in a descriptor."""
    return next(r for r in descriptor["resources"] if r["name"] == name)


def find(problems: list[Problem], code: str, **where: Any) -> list[Problem]:
    """Problems with ``code`` whose attributes equal every ``where`` item."""
    return [
        p
        for p in problems
        if p.code == code and all(getattr(p, key) == value for key, value in where.items())
    ]


def codes(problems: list[Problem]) -> set[str]:
    """The codes of the problems."""
    return {p.code for p in problems}


def errors(problems: list[Problem]) -> list[Problem]:
    """Only the errors."""
    return [p for p in problems if p.severity == "error"]

"""Keep the README honest: every rule, command and resource it names must exist, and
every one that exists must be named."""

from __future__ import annotations

import re
from pathlib import Path

from generator import cli
from generator.model import RESOURCES
from generator.validate.rules import PACKAGE_RULES, RULES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


def _table_codes(text: str) -> set[str]:
    return {code for row in re.findall(r"^\| (`.+?) \|", text, re.M)
            for code in re.findall(r"`([a-z_-]+)`", row)}  # fmt: skip


def test_readme_lists_every_validation_rule() -> None:
    codes = {rule.code for rule in (*RULES, *PACKAGE_RULES)}
    assert codes <= _table_codes(README)


def test_readme_lists_every_command() -> None:
    documented = set(re.findall(r"^\| `sunshine (\w+)", README, re.M))
    assert documented == set(cli.COMMANDS)


def test_readme_lists_every_resource() -> None:
    assert set(RESOURCES) <= _table_codes(README)


def test_the_two_setup_commands_are_make_targets() -> None:
    makefile = (Path(__file__).resolve().parents[1] / "Makefile").read_text("utf-8")
    for target in ("site", "test"):
        assert f"make {target}" in README
        assert re.search(rf"^{target}:", makefile, re.M)

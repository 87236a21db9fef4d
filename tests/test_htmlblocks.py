"""Stashing raw HTML blocks around Markdown changes nothing in the output."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
import yaml

from generator.build import build_site
from generator.config import SiteConfig
from generator.htmlblocks import restore_html_blocks, stash_html_blocks

ROOT = Path(__file__).resolve().parents[1]


def _extensions() -> tuple[list[str], dict[str, dict[str, object]]]:
    config = yaml.load((ROOT / "mkdocs.yml").read_text("utf-8"), Loader=yaml.BaseLoader)
    names: list[str] = []
    options: dict[str, dict[str, object]] = {}
    for entry in config["markdown_extensions"]:
        name, settings = next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        names.append(name)
        options[name] = dict(settings or {})
    options.get("tables", {}).update(use_align_attribute=True)
    return names, options


def _render(text: str) -> str:
    names, options = _extensions()
    return markdown.markdown(text, extensions=names, extension_configs=options)


def _lines(html: str) -> str:
    # Markdown leaves a blank line after a raw block and not after a paragraph:
    # whitespace between blocks, insignificant in HTML.
    return re.sub(r"\n+", "\n", html)


def _body(text: str) -> str:
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    site = build_site(SiteConfig(data_dir=ROOT / "data"))
    return {f.path: _body(f.content.decode("utf-8")) for f in site if f.path.endswith(".md")}


def test_every_generated_page_renders_the_same_with_blocks_stashed(pages: dict[str, str]) -> None:
    stashed_any = False
    for path, text in pages.items():
        stashed, blocks = stash_html_blocks(text)
        stashed_any = stashed_any or bool(blocks)
        assert _lines(restore_html_blocks(_render(stashed), blocks)) == _lines(_render(text)), path
    assert stashed_any


def test_blocks_of_a_project_page_are_stashed(pages: dict[str, str]) -> None:
    path = next(p for p in sorted(pages) if p.startswith("projects/") and p != "projects/index.md")
    stashed, blocks = stash_html_blocks(pages[path])
    assert blocks and all(b.startswith("<") for b in blocks)
    assert "<table" not in stashed


def test_a_token_from_the_data_cannot_be_spelled() -> None:
    from generator.markdown import text

    assert "sunshine-html-block-0" not in text("sunshine-html-block-0")


def test_a_lost_block_is_an_error() -> None:
    _, blocks = stash_html_blocks("<table><tr><td>1</td></tr></table>")
    with pytest.raises(ValueError):
        restore_html_blocks("<p>nothing</p>", blocks)

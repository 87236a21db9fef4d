"""Raw HTML blocks of generated pages bypass Python-Markdown.

Generated pages carry their tables, charts and source lists as raw HTML blocks,
already escaped by ``generator.markdown``. Python-Markdown passes such blocks
through unchanged, but only after parsing them with ``html.parser``: about half of
MkDocs' time on a project page. The plugin swaps each block for a one-line token
before Markdown runs and puts the block back into the HTML afterwards, so the
output is the same and the parsing is skipped.

The token holds hyphens, which ``generator.markdown.text`` always writes as
``&#45;``, so no value from the data can ever spell a token.
"""

from __future__ import annotations

import re

TOKEN = "sunshine-html-block-{}"
_BLOCK = re.compile(r"\A<(table|details|figure|ol|ul|div)\b[^>]*>.*</\1>\Z", re.S)
_TOKEN_PARAGRAPH = re.compile(r"<p>sunshine-html-block-(\d+)</p>")


def stash_html_blocks(markdown: str) -> tuple[str, list[str]]:
    """Replace each top-level raw HTML block by a token; return the text and the blocks."""
    blocks: list[str] = []
    parts = markdown.split("\n\n")
    for index, part in enumerate(parts):
        block = part.rstrip("\n")
        if _BLOCK.match(block):
            parts[index] = TOKEN.format(len(blocks)) + part[len(block) :]
            blocks.append(block)
    return "\n\n".join(parts), blocks


def restore_html_blocks(html: str, blocks: list[str]) -> str:
    """Put the stashed blocks back where Markdown left their tokens."""
    found: list[int] = []

    def block_for(match: re.Match[str]) -> str:
        found.append(int(match.group(1)))
        return blocks[int(match.group(1))]

    restored = _TOKEN_PARAGRAPH.sub(block_for, html)
    if sorted(found) != list(range(len(blocks))):
        raise ValueError("a raw HTML block of a generated page was lost by Markdown")
    return restored

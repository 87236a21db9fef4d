"""The search index: Pagefind run over a tiny built site (two pages)."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

from generator import search
from generator.search import SearchIndexError, build_search_index

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><nav>Menu Home Projects</nav>
<article><h1>{title}<a class="headerlink" href="#t">¶</a></h1>
<p><span lang="zh">{chinese}</span></p><p>{text}</p>
<details class="sunshine-chart__data"><table><tr><td>chartonlyword</td></tr></table></details>
<table class="sunshine-table" data-filterable><tr><td>listonlyword</td></tr></table>
</article><footer>Footer words</footer></body></html>
"""


def tiny_site(root: Path) -> Path:
    (root / "projects").mkdir(parents=True)
    (root / "projects" / "songping.html").write_text(
        PAGE.format(
            title="Songping Township promotion pilot",
            chinese="永胜县松坪乡整乡推进试点",
            text="Roads and drinking water for the township.",
        ),
        encoding="utf-8",
    )
    (root / "index.html").write_text(
        PAGE.format(title="Home", chinese="丽江市扶贫", text="Where the money went."),
        encoding="utf-8",
    )
    return root


def fragments(site: Path) -> dict[str, dict[str, object]]:
    """Each indexed page's stored record (gzipped JSON after a signature), by URL."""
    found: dict[str, dict[str, object]] = {}
    for path in (site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))
        found[data["url"]] = data
    return found


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def test_index_is_written_into_the_site(tmp_path: Path) -> None:
    site = tiny_site(tmp_path / "site")
    build_search_index(site)
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert (bundle / "pagefind-entry.json").is_file()
    assert list(bundle.glob("index/*.pf_index"))
    assert list(bundle.glob("*.pf_meta"))
    entry = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))
    assert list(entry["languages"]) == ["zh"]  # --force-language zh: Chinese is segmented
    pages = fragments(site)
    assert set(pages) == {"/index.html", "/projects/songping.html"}  # index.html kept
    project = pages["/projects/songping.html"]
    assert project["meta"] == {"title": "Songping Township promotion pilot"}  # no ¶
    content = str(project["content"])
    assert "Songping" in content and "松坪" in content.replace("\u200b", "")
    assert "\u200b" in content  # words cut apart, Chinese included
    for left_out in ("Menu", "Footer", "chartonlyword", "listonlyword", "¶"):
        assert left_out not in content, left_out


BLOCKS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Blocks</title></head><body>
<article><h1 id="b">Blocks page</h1>
<p>Paragraphword</p>
<dl>
<dt>Where</dt>
<dd><a href="v.html">Factword Village</a></dd>
</dl>
<h2 data-pagefind-ignore id="s">Headingword</h2>
<p data-pagefind-ignore>Boilerplateword</p>
<ul data-pagefind-ignore><li>Downloadword</li></ul>
<details class="note"><summary>Summaryword</summary>
<table><tr><td>rowword</td></tr></table></details>
<figure>
<figcaption>Captionword</figcaption>
<details class="sunshine-chart__data"><summary>Chartsummaryword</summary></details></figure>
<div class="admonition"><p>Noteword</p><table><tr><td>nestedtableword</td></tr></table>
<form><input name="q"> nestedformword</form><p data-pagefind-ignore>nestedignoredword</p></div>
<script type="application/ld+json">{"name": "scriptword"}</script>
<form class="sunshine-filter"><label>Labelword</label></form>
<p id="sunshine-search-fallback">Fallbackword</p>
</article></body></html>
"""


def test_only_the_content_blocks_that_matter_are_indexed(tmp_path: Path) -> None:
    """Pagefind reads the direct children of <article> less the left-out blocks (which
    it then does not parse into nodes at all), and leaves out the same kinds of element
    deeper down; a page marks the blocks it repeats on every page data-pagefind-ignore."""
    assert "," not in search.ROOT_SELECTOR  # Pagefind appends " *" and the exclusions
    site = tmp_path / "site"
    site.mkdir()
    (site / "blocks.html").write_text(BLOCKS, encoding="utf-8")
    build_search_index(site)
    page = fragments(site)["/blocks.html"]
    assert page["meta"] == {"title": "Blocks page"}
    words = set(str(page["content"]).replace("\u200b", "").replace(".", " ").split())
    kept = {"Blocks", "Paragraphword", "Where", "Factword", "Village", "Captionword", "Noteword"}
    assert kept <= words, kept - words
    left_out = {
        "Headingword", "Boilerplateword", "Downloadword", "Summaryword", "rowword",
        "Chartsummaryword", "nestedtableword", "nestedformword", "nestedignoredword",
        "scriptword", "Labelword", "Fallbackword",
    }  # fmt: skip
    assert not left_out & words, left_out & words
    assert [a["id"] for a in page["anchors"]] == ["b"]  # no anchor for the ignored heading


def test_two_runs_write_identical_bytes(tmp_path: Path) -> None:
    first = tiny_site(tmp_path / "one")
    second = tiny_site(tmp_path / "two")
    build_search_index(first)
    build_search_index(second)
    assert tree(first / "pagefind") == tree(second / "pagefind")
    build_search_index(first)  # again over its own output: nothing changes
    assert tree(first / "pagefind") == tree(second / "pagefind")


def test_a_folder_without_pages_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(SearchIndexError, match=r"Pagefind failed on .*empty.*\n.*index"):
        build_search_index(tmp_path / "empty")


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SearchIndexError, match="no site folder"):
        build_search_index(tmp_path / "nowhere")


def test_pagefind_not_installed_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = tiny_site(tmp_path / "site")
    command = search.pagefind_command(site)
    assert command[:3] == [sys.executable, "-m", "pagefind"]
    monkeypatch.setattr(
        search, "pagefind_command", lambda d: [sys.executable, "-m", "no_such_module_pagefind"]
    )
    with pytest.raises(SearchIndexError, match=r"(?s)No module named.*pip install .pagefind"):
        build_search_index(site)

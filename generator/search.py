"""The site's search index: Pagefind, run over the built site.

Pagefind (the ``pagefind[extended]`` package, whose wheel carries the binary) reads
the built HTML and writes ``pagefind/`` into the site: a small script, a WebAssembly
search engine and an index cut into chunks. A reader's browser fetches only the
chunks its query needs, so the first query costs a few hundred KB whatever the
number of pages, instead of one index file of many MB.

Indexing choices:

- ``--force-language zh``: every page is indexed as Chinese, so Chinese titles and
  names are segmented into words (the pages say ``lang="en"``, and Pagefind only
  segments pages it believes Chinese). English words are still found, unstemmed.
  Segmenting costs little: on the site of 10,000 projects it adds 1-3 s of CPU and
  about 350 MB of peak memory (the dictionary), and without it "松川村" in
  "2019年龙窝县松川村产业扶贫项目" could not be found.
- ``--root-selector``: the blocks of the page's content, the children of
  ``article`` (not the menus and footer), less ``LEFT_OUT_BLOCKS``: tables (a row
  names a project, fund or benefit that has its own page or its own row on the
  project page; the projects index alone made one 250 KB download that nearly every
  query fetched), ``details`` (the fund rows, the figures behind the home page),
  forms, scripts (the data page's JSON-LD), the search page's note for readers
  without search (site_src/search.md), and any block marked
  ``data-pagefind-ignore``. Pagefind makes a node of every element under its root
  and collects its text, also in an excluded element, which it drops only at its
  end tag; a block that is not under the root costs only the HTML tokenizer and
  selector matching. A project page's ``article`` holds about 240 elements, 175 of
  them in its tables and ``details`` (a floor page of the benchmark: 12).
- The root is one compound selector, no comma: Pagefind reads ``root, root *`` and
  puts the root in front of each exclusion, so with ``a, b`` the exclusions would
  apply to all of ``a``. Its ``:not()`` are few: Pagefind compiles its selectors
  again for every page, the root in front of each of its 14 exclusions (ours and its
  own), and with 14 ``:not()`` indexing the floor's plain pages took 20 % more CPU;
  with these 6 no change was measurable. So only blocks our pages have at the top
  level are listed.
- ``--exclude-selectors``: below the top level, the heading permalinks (the pilcrow
  would enter result titles), the data behind each chart and any table; Pagefind
  itself drops scripts, forms, SVG, ``nav`` and the like there.
- A block a generator marks ``data-pagefind-ignore`` is left out at no cost, the way
  to keep out of the index what every page of a kind repeats: project and place pages
  mark their section headings, set sentences and download lists
  (``pages.common.NOT_INDEXED``).
- ``--keep-index-url``: results link to ``.../index.html`` like the rest of the
  site, so they also work on hosts without directory indexes.

Titles, Chinese titles, descriptions and the facts of each page (place, program,
implementer) stay in the index, and the sources' passages.

Measured on the site of 10,000 projects (17,795 pages; Pagefind 1.5.2, 2 cores, the
site's HTML in memory, three runs): the old options (root ``article``, tables
excluded) took 17.2-18.2 s (CPU 25.4-26.6 s, peak 1.75 GB), these take 14.1-17.6 s
(CPU 20.2-25.1 s, 1.73 GB) for the same index less the ``details`` summaries ("Every
fund row"); the benchmark's floor of plain pages takes 11.0-11.7 s with either (CPU
15.2-16.5 s, 1.11 GB). What makes our pages dearer is not their bytes (cutting
everything outside ``article`` from every page changed nothing measurable) nor their
amount of text (a project page gives 1.1 KB and about 210 words, a floor page 1.9 KB
and 220): it was the tables, and it is the blocks each generated page repeats
(section headings, the same explanations, the download list): marked
``data-pagefind-ignore`` in a copy of the site, they took indexing to 12.0-14.3 s
(CPU 17.1-18.4 s) and the floor's 1.1 GB, and the pages now mark them so.

Two runs over the same site write the same bytes (checked in tests/test_search.py).
This module runs Pagefind in a subprocess and imports nothing from MkDocs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

OUTPUT_DIR = "pagefind"
CONTENT = "article"
# The blocks of the page's content Pagefind does not read at all. Pagefind drops
# scripts and forms itself, but only below its root, so the top-level ones are listed.
LEFT_OUT_BLOCKS = (
    "table",
    "details",
    "form",
    "script",
    "#sunshine-search-fallback",
    "[data-pagefind-ignore]",
)
# One compound selector, no comma: Pagefind appends " *" and each exclusion to it.
ROOT_SELECTOR = CONTENT + " > " + "".join(f":not({block})" for block in LEFT_OUT_BLOCKS)
# Left out below the top level too (Pagefind adds its own: script, form, svg, nav, ...).
EXCLUDE_SELECTORS = (".headerlink", ".sunshine-chart__data", "table")
LANGUAGE = "zh"


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site."""


def pagefind_command(site_dir: Path) -> list[str]:
    """The Pagefind command line that indexes ``site_dir`` into ``site_dir/pagefind``."""
    return [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(site_dir),
        "--output-subdir",
        OUTPUT_DIR,
        "--root-selector",
        ROOT_SELECTOR,
        "--exclude-selectors",
        ", ".join(EXCLUDE_SELECTORS),
        "--force-language",
        LANGUAGE,
        "--keep-index-url",
        "--quiet",
    ]


def build_search_index(site_dir: Path) -> None:
    """Index the built site in ``site_dir`` with Pagefind; raise SearchIndexError if it fails."""
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise SearchIndexError(f"search index: no site folder at {site_dir}")
    try:
        subprocess.run(pagefind_command(site_dir), check=True, capture_output=True, text=True)
    except subprocess.CalledProcessError as exc:
        output = "\n".join(p.strip() for p in (exc.stderr, exc.stdout) if p and p.strip())
        hint = ""
        if "No module named" in output:
            hint = "\nInstall it with: pip install 'pagefind[extended]~=1.5'"
        raise SearchIndexError(
            f"search index: Pagefind failed on {site_dir} (exit code {exc.returncode}):\n"
            f"{output or '(no output)'}{hint}"
        ) from None
    except OSError as exc:
        raise SearchIndexError(f"search index: could not run Pagefind: {exc}") from None
    if not (site_dir / OUTPUT_DIR / "pagefind.js").is_file():
        raise SearchIndexError(
            f"search index: Pagefind ran but wrote no {OUTPUT_DIR}/pagefind.js in {site_dir}"
        )

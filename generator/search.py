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
- ``--root-selector article``: only the page's content, not the menus and footer.
- ``--exclude-selectors``: the heading permalinks (the pilcrow would enter result
  titles), the tables behind each chart, every table (a table row names a project,
  fund or benefit that has its own page or its own row on the project page: the
  projects index alone made one 250 KB download that nearly every query fetched at
  10,000 projects, and leaving tables out took indexing of that site from 34 s and
  2.7 GB to 25 s and 1.8 GB), forms, and the search page's note for readers without
  search (site_src/search.md). Titles, descriptions and the facts of each page
  (place, program, implementer) stay in the index.
- ``--keep-index-url``: results link to ``.../index.html`` like the rest of the
  site, so they also work on hosts without directory indexes.

Two runs over the same site write the same bytes (checked in tests/test_search.py).
This module runs Pagefind in a subprocess and imports nothing from MkDocs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

OUTPUT_DIR = "pagefind"
ROOT_SELECTOR = "article"
EXCLUDE_SELECTORS = (
    ".headerlink",
    ".sunshine-chart__data",
    "table",
    "form",
    "#sunshine-search-fallback",
)
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

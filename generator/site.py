"""The in-memory site: an ordered, deterministic set of files (path -> bytes)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class SiteFile:
    """One generated file; ``path`` is POSIX, relative to the docs root.

    ``html_body`` marks a page (``*.md``) whose body, after its front matter, is
    ready HTML: MkDocs shows it as it is instead of converting it from Markdown.
    """

    path: str
    content: bytes
    html_body: bool = False

    @classmethod
    def text(cls, path: str, text: str) -> SiteFile:
        """Make a file from text, encoded as UTF-8 with Unix newlines."""
        return cls(path, text.encode("utf-8"))

    @classmethod
    def html_page(cls, path: str, text: str) -> SiteFile:
        """Make a page whose body (after the front matter) is HTML."""
        return cls(path, text.encode("utf-8"), html_body=True)

    def sha256(self) -> str:
        """Return the hex SHA-256 of the content."""
        return hashlib.sha256(self.content).hexdigest()


class Site:
    """Ordered collection of generated files; iteration is sorted by path."""

    def __init__(self, files: Iterable[SiteFile] = ()) -> None:
        self._files: dict[str, SiteFile] = {}
        self.add_all(files)

    def add(self, file: SiteFile) -> None:
        """Add a file; a second file at the same path is a programming error."""
        path = file.path
        if path not in _safe_paths:
            _check_path(path)
            _safe_paths.add(path)
        if path in self._files:
            raise ValueError(f"two generated files at {path}")
        self._files[path] = file

    def add_all(self, files: Iterable[SiteFile]) -> None:
        """Add every file of ``files``."""
        if len(_safe_paths) > _SAFE_PATHS_KEPT:
            _safe_paths.clear()
        for file in files:
            self.add(file)

    def __iter__(self) -> Iterator[SiteFile]:
        return iter(self._files[p] for p in sorted(self._files))

    def __len__(self) -> int:
        return len(self._files)

    def __contains__(self, path: object) -> bool:
        return path in self._files

    def __getitem__(self, path: str) -> SiteFile:
        return self._files[path]

    def ending_with(self, suffix: str) -> list[SiteFile]:
        """The files whose path ends with ``suffix``, sorted by path (without sorting all)."""
        found = [f for f in self._files.values() if f.path.endswith(suffix)]
        return sorted(found, key=lambda f: f.path)

    def paths(self) -> list[str]:
        """Return every path, sorted."""
        return sorted(self._files)


# Paths found safe: a process that builds again (the live preview) checks each path once.
_safe_paths: set[str] = set()
_SAFE_PATHS_KEPT = 500_000  # more than a province's site holds; beyond, checked afresh


def _check_path(path: str) -> None:
    parts = path.split("/")
    if path.startswith("/") or "" in parts or "." in parts or ".." in parts or "\\" in path:
        raise ValueError(f"unsafe generated path: {path!r}")

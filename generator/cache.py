"""A content-addressed memo on disk, so a rebuild only redoes work whose inputs changed.

A value is stored under a key made from everything it was computed from: the
bytes (or hashes) of its inputs and the fingerprint of the generator's own code
and schemas, so a changed file, a changed setting or a new version of Sunshine
never reuses an old result. The cache changes speed, never output: a build with
an empty cache, a warm cache or no cache at all gives the same bytes (tested).

Values are pickled (the cache is the build's own, on the builder's disk, never
read from the data or the web) and written atomically, so an interrupted build
leaves no half-written entry, and a cache folder that cannot be written only
makes the build slower. ``Cache(None)`` caches nothing.

Entries are never updated, only added, so a cache would grow with every data
version. A build that succeeded calls ``prune``: once the entries it did not use
are more than a tenth of those it used, they are removed, so the cache holds about
one build's worth. A process walks the folder for its entries once, then counts those
it writes: entries another process adds meanwhile wait for a later process's prune.

Entries of the kinds whose values nobody changes (pages, pieces of pages, chart
templates, the lines and plans of download slices, the files of download tables:
``IN_MEMORY``) are kept in memory too, for one cache folder at a time and as many as
the last build used, so a process that builds again (the live preview) finds them
without reading the disk.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

_PACKAGE_DIR = Path(__file__).resolve().parent


# Kinds of entries whose values nobody changes (tuples of bytes, strings): kept in memory
# too, so a process that builds again (the live preview) finds them without the disk.
IN_MEMORY = (
    "pages-",
    "fragments-",
    "chart-templates",
    "downloads-lines",
    "downloads-slices",
    "downloads-table",
)
Entry = tuple[Any, tuple[str, ...]]
_memory: dict[str, dict[str, Entry]] = {}  # one cache folder's entries at a time
# The entry files of that folder, as the process's first ``prune`` found them, with those
# it wrote since: a process that builds again walks the folder once, not every build.
_on_disk: dict[str, set[str]] = {}


class Cache:
    """Memoised results under ``root/<namespace>/``; ``root=None`` disables caching."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.hits = 0
        self.misses = 0
        self.used: set[str] = set()  # entries read or written (relative names), for ``prune``
        self._computing: list[set[str]] = []  # entries each unfinished ``compute`` used
        self._memory: dict[str, Entry] = {}
        if root is not None:
            if os.fspath(root) not in _memory:
                _memory.clear()  # another folder: one folder's values are kept at a time
                _on_disk.clear()
            self._memory = _memory.setdefault(os.fspath(root), {})

    def memo(self, namespace: str, key: str, compute: Callable[[], T]) -> T:
        """The value stored under ``key``, or ``compute()`` stored there first."""
        if self.root is None:
            return compute()
        name = f"{namespace}/{key[:2]}/{key[2:]}.pickle"
        kept = namespace.startswith(IN_MEMORY)
        found = self._memory.get(name) if kept else None
        file = "" if found else os.path.join(self.root, name)
        if found is None:
            found = _read(file)
            if found is not None and kept:
                self._memory[name] = found
        self._use([name, *(found[1] if found else ())])
        if found is not None:
            self.hits += 1
            return found[0]  # type: ignore[no-any-return]
        self.misses += 1
        self._computing.append(set())
        try:
            value = compute()
        finally:
            inner = self._computing.pop()
        self._use(inner)
        # An entry names the entries its computation used: a hit keeps them from ``prune``,
        # so the finer results inside it are still there when its inputs next change.
        entry = (value, tuple(sorted(inner)))
        write_atomic(file, pickle.dumps(entry, protocol=pickle.HIGHEST_PROTOCOL))
        _on_disk.get(os.fspath(self.root), set()).add(name)
        if kept:
            self._memory[name] = entry
        return value

    def keep(self, namespace: str, key: str) -> None:
        """Count the entry under ``key`` as used, as reading it would, without reading it.

        For a value the caller still holds from an earlier build of the process: ``prune``
        leaves its entry (the same value) for a later process.
        """
        if self.root is not None:
            self._use([f"{namespace}/{key[:2]}/{key[2:]}.pickle"])

    def prune(self, slack: float = 0.0) -> int:
        """Remove the entries this cache did not use (directly or inside another); return how many.

        Nothing is removed while the unused entries are no more than ``slack`` times
        the used ones: removing files is slow on some disks, so the few an edit
        leaves behind wait until there are enough to be worth it. Only entry files
        (``<namespace>/<xx>/<key>.pickle``) and left-over temporary files are
        removed; other files in the folder are not the memo's.
        """
        for name in [n for n in self._memory if n not in self.used]:
            del self._memory[name]  # memory holds one build, whatever the slack
        if self.root is None:
            return 0
        root = os.fspath(self.root)
        found = self._entries_on_disk(root)
        unused = [name for name in found if name not in self.used]
        if len(unused) <= slack * len(self.used):
            return 0
        found.difference_update(unused)
        return sum(_unlink(os.path.join(root, name)) for name in unused)

    def _entries_on_disk(self, root: str) -> set[str]:
        if not os.path.isdir(root):
            _on_disk.pop(root, None)
            return set()
        if root not in _on_disk:
            _on_disk[root] = _walk_entries(root)
        return _on_disk[root]

    def _use(self, names: Iterable[str]) -> None:
        self.used.update(names)
        if self._computing:
            self._computing[-1].update(names)


_ACTIVE: ContextVar[Cache | None] = ContextVar("active_cache", default=None)


@contextmanager
def active(cache: Cache) -> Iterator[None]:
    """Make ``cache`` the one ``memo_active`` uses while the block runs (a page being built)."""
    token = _ACTIVE.set(cache)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def memo_active(namespace: str, parts: Sequence[str], compute: Callable[[], T]) -> T:
    """``compute()``, kept in the active cache (``active``) under ``parts``, if one is active.

    For finer results inside a memoised one (a piece of a page, a chart template), so the
    functions making them need not be handed the cache.
    """
    cache = _ACTIVE.get()
    if cache is None:
        return compute()
    return cache.memo(namespace, make_key(namespace, *parts), compute)


def make_key(*parts: bytes | str) -> str:
    """A key for inputs ``parts``, bound to this version of the generator's code."""
    digest = _code_digest().copy()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))  # no two part lists hash alike
        digest.update(data)
    return digest.hexdigest()


@cache
def _code_digest() -> hashlib._Hash:
    return hashlib.sha256(code_fingerprint().encode("ascii"))


@cache
def code_fingerprint() -> str:
    """SHA-256 of the generator's Python sources and schemas: a new version misses."""
    digest = hashlib.sha256()
    for file in sorted(_PACKAGE_DIR.rglob("*")):
        if file.suffix in (".py", ".json") and "__pycache__" not in file.parts:
            digest.update(file.relative_to(_PACKAGE_DIR).as_posix().encode("utf-8") + b"\0")
            digest.update(file.read_bytes())
    return digest.hexdigest()


def _walk_entries(root: str) -> set[str]:
    """The entry files under ``root``, by their names relative to it (as ``Cache.used``)."""
    found: set[str] = set()
    for folder, _, names in os.walk(root):
        inside = folder[len(root) + 1 :].replace(os.sep, "/")  # the namespace/xx part
        found.update(f"{inside}/{name}" if inside else name for name in names if _is_entry(name))
    return found


def _is_entry(name: str) -> bool:
    return name.endswith(".pickle") or (name.startswith(".") and name.endswith(".tmp"))


def _unlink(file: str) -> bool:
    try:
        os.unlink(file)
    except OSError:  # gone already, or not ours to remove: only space is lost
        return False
    return True


def _read(file: str) -> tuple[Any, tuple[str, ...]] | None:
    try:
        with open(file, "rb", buffering=0) as entry:
            raw = entry.readall()
    except OSError:
        return None
    try:
        loaded = pickle.loads(raw)
    except Exception:  # a damaged entry is a miss, recomputed and rewritten
        return None
    return loaded if isinstance(loaded, tuple) and len(loaded) == 2 else None


def write_atomic(file: str | Path, data: bytes) -> None:
    """Write a cache entry so a reader never sees half a file; a failure only loses the entry."""
    folder, name = os.path.split(file)
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, file)
    except OSError:
        Path(tmp).unlink(missing_ok=True)

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
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

_PACKAGE_DIR = Path(__file__).resolve().parent


class Cache:
    """Memoised results under ``root/<namespace>/``; ``root=None`` disables caching."""

    def __init__(self, root: Path | None) -> None:
        self.root = root
        self.hits = 0
        self.misses = 0

    def memo(self, namespace: str, key: str, compute: Callable[[], T]) -> T:
        """The value stored under ``key``, or ``compute()`` stored there first."""
        if self.root is None:
            return compute()
        file = self._file(namespace, key)
        found = _read(file)
        if found is not None:
            self.hits += 1
            return found[0]  # type: ignore[no-any-return]
        self.misses += 1
        value = compute()
        write_atomic(file, pickle.dumps((value,), protocol=pickle.HIGHEST_PROTOCOL))
        return value

    def _file(self, namespace: str, key: str) -> Path:
        assert self.root is not None
        return self.root / namespace / key[:2] / f"{key[2:]}.pickle"


def make_key(*parts: bytes | str) -> str:
    """A key for inputs ``parts``, bound to this version of the generator's code."""
    digest = hashlib.sha256(code_fingerprint().encode("ascii"))
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big"))  # no two part lists hash alike
        digest.update(data)
    return digest.hexdigest()


@cache
def code_fingerprint() -> str:
    """SHA-256 of the generator's Python sources and schemas: a new version misses."""
    digest = hashlib.sha256()
    for file in sorted(_PACKAGE_DIR.rglob("*")):
        if file.suffix in (".py", ".json") and "__pycache__" not in file.parts:
            digest.update(file.relative_to(_PACKAGE_DIR).as_posix().encode("utf-8") + b"\0")
            digest.update(file.read_bytes())
    return digest.hexdigest()


def _read(file: Path) -> tuple[Any] | None:
    try:
        raw = file.read_bytes()
    except OSError:
        return None
    try:
        loaded = pickle.loads(raw)
    except Exception:  # a damaged entry is a miss, recomputed and rewritten
        return None
    return loaded if isinstance(loaded, tuple) and len(loaded) == 1 else None


def write_atomic(file: Path, data: bytes) -> None:
    """Write a cache entry so a reader never sees half a file; a failure only loses the entry."""
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=file.parent, prefix=f".{file.name}.", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, file)
    except OSError:
        Path(tmp).unlink(missing_ok=True)

"""Writing generated files to disk safely: ``sunshine export`` and the site swap of ``build``.

``export_site`` writes the in-memory Site into a folder that only export owns (it
keeps a manifest there): a file whose bytes did not change is not touched, so
its mtime stays and rsync-style tools see nothing to do; files a previous export
wrote that are no longer generated are removed. ``swap_in_new_site`` builds into
a new folder beside the target and swaps it in, so a failed build leaves the
previous site untouched. No mkdocs import here.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path, PurePosixPath

from generator.load import find_packages
from generator.site import Site

MANIFEST = ".sunshine-export.json"
MANIFEST_KIND = "sunshine-export"


class ExportRefused(Exception):
    """The target folder is not one export may write into."""


@dataclass
class ExportResult:
    """What an export changed."""

    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def export_site(
    site: Site, out_dir: Path, *, protected: Iterable[Path] = (), keep: Iterable[Path] = ()
) -> ExportResult:
    """Write every file of ``site`` under ``out_dir``, write-if-changed; remove stale ones.

    Refuses ``out_dir`` when it is, holds or lies inside a ``protected`` folder
    (the docs folder, the data folder), when it is or holds a ``keep`` path (the
    project's ``mkdocs.yml``), and when it is a non-empty folder without export's
    manifest (so it was not made by export).
    """
    out_dir = out_dir.resolve()
    made_by_us = (out_dir / MANIFEST).is_file()
    check_target(out_dir, protected, keep, kind="export", made_by_us=made_by_us)
    previous = read_manifest(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = ExportResult()
    for file in site:
        target = out_dir / file.path
        if not _inside(target, out_dir):  # a symlinked folder leading out of out_dir
            raise ExportRefused(f"export: {target} leads outside {out_dir}")
        if _same_bytes(target, file.content):
            result.unchanged += 1
            continue
        write_atomic(target, file.content)
        result.written.append(file.path)
    current = set(site.paths())
    for stale in sorted(set(previous) - current):
        target = out_dir / stale
        if _inside(target, out_dir) and target.is_file():
            target.unlink()
            result.removed.append(stale)
            _remove_empty_parents(target.parent, out_dir)
    manifest = manifest_bytes(site)
    if not _same_bytes(out_dir / MANIFEST, manifest):
        write_atomic(out_dir / MANIFEST, manifest)
    return result


def manifest_bytes(site: Site) -> bytes:
    """The manifest: every exported path with its SHA-256, sorted (deterministic)."""
    document = {"kind": MANIFEST_KIND, "files": {f.path: f.sha256() for f in site}}
    return (json.dumps(document, indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def read_manifest(out_dir: Path) -> list[str]:
    """Paths a previous export wrote (none when there is no readable manifest)."""
    try:
        document = json.loads((out_dir / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(document, dict) or document.get("kind") != MANIFEST_KIND:
        return []
    files = document.get("files")
    return [p for p in files if _safe_relative(p)] if isinstance(files, dict) else []


def check_target(
    target: Path, protected: Iterable[Path], keep: Iterable[Path], *, kind: str, made_by_us: bool
) -> None:
    """Refuse a target that would overwrite sources, or a foreign non-empty folder."""
    target = target.resolve()
    for folder in protected:
        folder = folder.resolve()
        if target == folder or folder in target.parents or target in folder.parents:
            raise ExportRefused(
                f"{kind}: refusing to write into {target}: it is, holds or lies inside {folder}"
            )
    for path in keep:
        path = path.resolve()
        if target == path or target in path.parents:
            raise ExportRefused(f"{kind}: refusing to write into {target}: it holds {path}")
    if target.exists() and not target.is_dir():
        raise ExportRefused(f"{kind}: {target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not made_by_us:
        raise ExportRefused(
            f"{kind}: refusing to write into {target}: the folder is not empty and was not "
            f"made by {kind}; choose a new or empty folder"
        )


def write_atomic(target: Path, content: bytes) -> None:
    """Write a file via a temporary file in the same folder, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- building a site beside the old one, then swapping ----------------------------------


def looks_like_built_site(folder: Path) -> bool:
    """A folder ``build`` may replace: absent, empty, or holding a built ``index.html``."""
    return not folder.exists() or not any(folder.iterdir()) or (folder / "index.html").is_file()


def swap_in_new_site(
    site_dir: Path,
    build: Callable[[Path], None],
    *,
    protected: Iterable[Path] = (),
    keep: Iterable[Path] = (),
) -> None:
    """Run ``build(new_folder)`` beside ``site_dir``; on success swap the new folder in.

    The old site is renamed to a backup, the new one renamed to ``site_dir``, the
    backup deleted. If ``build`` raises, the new folder is deleted and the old site
    is untouched.
    """
    site_dir = site_dir.resolve()
    made_by_us = looks_like_built_site(site_dir)
    check_target(site_dir, protected, keep, kind="build", made_by_us=made_by_us)
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    new = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.new-", dir=site_dir.parent))
    os.chmod(new, 0o777 & ~_umask())  # mkdtemp makes 0700; a web server must read the site
    try:
        build(new)
    except BaseException:
        shutil.rmtree(new, ignore_errors=True)
        raise
    backup: Path | None = None
    if site_dir.exists():
        backup = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}.old-", dir=site_dir.parent))
        os.replace(site_dir, backup / "site")
    os.replace(new, site_dir)
    if backup is not None:
        shutil.rmtree(backup, ignore_errors=True)


# --- reproducible dates -----------------------------------------------------------------


def source_date_epoch(data_dir: Path) -> int | None:
    """Seconds since 1970 of the newest ``created`` among the data packages (UTC).

    Used as ``SOURCE_DATE_EPOCH`` so a build's dates (sitemap, gzip headers)
    depend on the data, not on the clock. ``None`` when no package states one.
    """
    newest: datetime | None = None
    for descriptor in find_packages(data_dir):
        try:
            created = json.loads(descriptor.read_text("utf-8")).get("created")
        except (OSError, ValueError, AttributeError):
            continue
        moment = _parse_moment(created)
        if moment is not None and (newest is None or moment > newest):
            newest = moment
    return int(newest.timestamp()) if newest is not None else None


def _parse_moment(value: object) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip().replace("Z", "+00:00")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            day = date.fromisoformat(text[:10])
        except ValueError:
            return None
        moment = datetime(day.year, day.month, day.day)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# --- helpers ----------------------------------------------------------------------------


def _same_bytes(file: Path, content: bytes) -> bool:
    try:
        if file.stat().st_size != len(content):
            return False
        return file.read_bytes() == content
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    return folder in path.resolve().parents


def _safe_relative(path: object) -> bool:
    if not isinstance(path, str) or not path or "\\" in path:
        return False
    pure = PurePosixPath(path)
    return not pure.is_absolute() and all(p not in ("", ".", "..") for p in path.split("/"))


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and _inside(folder, root):
        try:
            folder.rmdir()
        except OSError:
            return
        folder = folder.parent


@functools.cache
def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

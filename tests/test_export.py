"""Writing generated files safely: write-if-changed export, stale files, the site swap."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from generator.export import (
    MANIFEST,
    ExportRefused,
    export_site,
    read_manifest,
    source_date_epoch,
    swap_in_new_site,
)
from generator.site import Site, SiteFile

OLD = 1_000_000_000  # 2001-09-09: an mtime no export would set


def site(files: dict[str, str]) -> Site:
    return Site(SiteFile.text(path, text) for path, text in files.items())


def test_export_writes_every_file_and_a_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = export_site(site({"index.md": "# Home\n", "charts/a/b.svg": "<svg/>"}), out)
    assert sorted(result.written) == ["charts/a/b.svg", "index.md"]
    assert (out / "index.md").read_text() == "# Home\n"
    assert (out / "charts/a/b.svg").read_text() == "<svg/>"
    assert read_manifest(out) == ["charts/a/b.svg", "index.md"]


def test_unchanged_files_keep_their_mtime(tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_site(site({"a.md": "same\n", "b.md": "before\n"}), out)
    for name in ("a.md", "b.md", MANIFEST):
        os.utime(out / name, (OLD, OLD))
    result = export_site(site({"a.md": "same\n", "b.md": "after\n"}), out)
    assert result.written == ["b.md"] and result.unchanged == 1
    assert (out / "a.md").stat().st_mtime == OLD
    assert (out / "b.md").stat().st_mtime != OLD
    assert (out / MANIFEST).stat().st_mtime != OLD  # b.md's hash changed


def test_a_second_identical_export_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    files = site({"a.md": "a\n", "d/e/f.csv": "x\n"})
    export_site(files, out)
    for path in [*out.rglob("*")]:
        if path.is_file():
            os.utime(path, (OLD, OLD))
    result = export_site(files, out)
    assert result.written == [] and result.removed == [] and result.unchanged == 2
    assert all(p.stat().st_mtime == OLD for p in out.rglob("*") if p.is_file())


def test_files_no_longer_generated_are_removed(tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_site(site({"a.md": "a\n", "old/deep/x.md": "x\n"}), out)
    (out / "notes.txt").write_text("mine")  # not made by export: left alone
    result = export_site(site({"a.md": "a\n"}), out)
    assert result.removed == ["old/deep/x.md"]
    assert not (out / "old").exists()  # emptied folders go too
    assert (out / "notes.txt").read_text() == "mine"
    assert read_manifest(out) == ["a.md"]


def test_refuses_the_docs_folder_and_folders_around_it(tmp_path: Path) -> None:
    docs = tmp_path / "site_src"
    (docs / "about").mkdir(parents=True)
    (docs / "about" / "index.md").write_text("# About\n")
    for target in (docs, docs / "generated", tmp_path):
        with pytest.raises(ExportRefused, match="refusing"):
            export_site(site({"a.md": "a\n"}), target, protected=[docs])
    assert sorted(p.name for p in docs.rglob("*")) == ["about", "index.md"]


def test_refuses_a_folder_holding_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n")
    with pytest.raises(ExportRefused, match="holds"):
        export_site(site({"a.md": "a\n"}), tmp_path, keep=[tmp_path / "mkdocs.yml"])


def test_refuses_a_non_empty_folder_not_made_by_export(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "precious.txt").write_text("keep me")
    with pytest.raises(ExportRefused, match="not made by export"):
        export_site(site({"a.md": "a\n"}), out)
    assert sorted(p.name for p in out.iterdir()) == ["precious.txt"]


def test_an_empty_folder_is_fine(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    assert export_site(site({"a.md": "a\n"}), out).written == ["a.md"]


def test_a_manifest_cannot_remove_files_outside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    export_site(site({"a.md": "a\n"}), out)
    victim = tmp_path / "victim.txt"
    victim.write_text("safe")
    manifest = {"kind": "sunshine-export", "files": {"../victim.txt": "0", "/etc/hosts": "0"}}
    (out / MANIFEST).write_text(json.dumps(manifest))
    export_site(site({"a.md": "a\n"}), out)
    assert victim.read_text() == "safe"


def test_the_swap_replaces_the_site_only_when_the_build_succeeds(tmp_path: Path) -> None:
    target = tmp_path / "site"

    def good(version: str):  # type: ignore[no-untyped-def]
        def build(into: Path) -> None:
            (into / "index.html").write_text(version)

        return build

    swap_in_new_site(target, good("one"))
    assert (target / "index.html").read_text() == "one"
    mode = stat.S_IMODE(target.stat().st_mode)
    assert mode & 0o055 == 0o055 & ~_umask()  # readable by a web server, not 0700

    def bad(into: Path) -> None:
        (into / "index.html").write_text("half")
        raise RuntimeError("broken")

    with pytest.raises(RuntimeError):
        swap_in_new_site(target, bad)
    assert (target / "index.html").read_text() == "one"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]  # no leftovers

    swap_in_new_site(target, good("two"))
    assert (target / "index.html").read_text() == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_swap_refuses_a_folder_that_is_not_a_built_site(tmp_path: Path) -> None:
    target = tmp_path / "docs"
    target.mkdir()
    (target / "thesis.tex").write_text("years of work")
    with pytest.raises(ExportRefused):
        swap_in_new_site(target, lambda into: None)
    assert (target / "thesis.tex").exists()


def test_source_date_epoch_is_the_newest_created(tmp_path: Path) -> None:
    for name, created in (("a", "2019-12-31T00:00:00Z"), ("b", "2020-01-02"), ("c", None)):
        (tmp_path / name).mkdir()
        descriptor = {"name": name, "resources": []}
        if created:
            descriptor["created"] = created
        (tmp_path / name / "datapackage.json").write_text(json.dumps(descriptor))
    assert source_date_epoch(tmp_path) == 1577923200  # 2020-01-02T00:00:00Z
    assert source_date_epoch(tmp_path / "c") is None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask

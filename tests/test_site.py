"""The in-memory site: ordered, and safe paths only."""

from __future__ import annotations

import pytest

from generator import site as site_module
from generator.site import Site, SiteFile


def test_files_are_listed_by_path_whatever_order_they_came_in() -> None:
    site = Site([SiteFile.text("b.md", "b"), SiteFile.text("a/c.vl.json", "{}")])
    site.add(SiteFile.text("a/b.vl.json", "{}"))
    assert [f.path for f in site] == ["a/b.vl.json", "a/c.vl.json", "b.md"]
    assert [f.path for f in site.ending_with(".vl.json")] == ["a/b.vl.json", "a/c.vl.json"]


@pytest.mark.parametrize("path", ["/a.md", "a//b.md", "./a.md", "a/../b.md", "a\\b.md"])
def test_an_unsafe_path_is_refused(path: str) -> None:
    with pytest.raises(ValueError, match="unsafe"):
        Site([SiteFile.text(path, "x")])


def test_two_files_at_one_path_are_refused() -> None:
    with pytest.raises(ValueError, match="two generated files"):
        Site([SiteFile.text("a.md", "x"), SiteFile.text("a.md", "y")])


def test_a_path_is_checked_once_a_process_and_an_unsafe_one_every_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    checked: list[str] = []
    real = site_module._check_path
    monkeypatch.setattr(site_module, "_check_path", lambda p: checked.append(p) or real(p))
    for _ in range(2):
        Site([SiteFile.text("once/a.md", "x")])
        with pytest.raises(ValueError, match="unsafe"):
            Site([SiteFile.text("once/../a.md", "x")])
    assert checked == ["once/a.md", "once/../a.md", "once/../a.md"]

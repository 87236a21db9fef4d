"""The MkDocs plugin: generated files in memory, collisions, data errors as plugin errors."""

from __future__ import annotations

import gc
import os
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from generator import markdown as md
from generator import plugin
from generator.config import SiteConfig
from generator.problems import DataError, error
from generator.site import Site, SiteFile
from generator.validate.report import render_text

SITE = Site(
    [
        SiteFile.text("index.md", "# Home\n"),
        SiteFile.text("projects/index.md", "# Projects\n"),
        SiteFile.text("projects/p1.md", "# P1\n"),
        SiteFile.text("charts/projects/p1/funds.svg", "<svg/>"),
        SiteFile.text(
            "data/demo/latest/announcements.csv",
            "id,title,contact,contact_url\n"
            "n1,A,County office; telephone 0888-1,mailto:office@example.org\n"
            "n2,B,County office; telephone 0888-1,mailto:office@example.org\n"
            "n3,C,Township <b>office</b>,\n",
        ),
    ]
)


def make_config(tmp_path: Path, docs: dict[str, str] | None = None, **options: Any) -> MkDocsConfig:
    docs_dir = tmp_path / "docs"
    docs_dir.mkdir(exist_ok=True)
    for name, text in (docs or {}).items():
        (docs_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (docs_dir / name).write_text(text)
    (tmp_path / "data").mkdir(exist_ok=True)
    option_lines = "".join(f"      {k}: {v}\n" for k, v in options.items())
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: Test\n"
        "docs_dir: docs\n"
        "use_directory_urls: false\n"
        "theme: mkdocs\n"
        "nav:\n  - Home: index.md\n  - Projects: projects/index.md\n"
        "plugins:\n  - sunshine:\n" + (option_lines or "      data_dir: data\n")
    )
    return load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site"))


def the_plugin(config: MkDocsConfig) -> plugin.SunshinePlugin:
    found = config.plugins["sunshine"]
    assert isinstance(found, plugin.SunshinePlugin)
    return found


def docs_files(config: MkDocsConfig) -> Files:
    from mkdocs.structure.files import get_files

    return get_files(config)


def run_on_files(config: MkDocsConfig, site: Site) -> Files:
    """Run the on_files event as MkDocs does (it records which plugin made each file)."""
    sunshine = the_plugin(config)
    sunshine.on_config(config)
    sunshine.site = site
    return config.plugins.on_files(docs_files(config), config=config)


def test_generated_files_are_added_in_memory(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"about/index.md": "# About\n"})
    files = run_on_files(config, SITE)
    page = files.get_file_from_path("projects/p1.md")
    assert page is not None and page.content_string == "# P1\n"
    assert page.inclusion == InclusionLevel.NOT_IN_NAV  # not in the nav: never in the menu
    home = files.get_file_from_path("index.md")
    assert home is not None and home.inclusion != InclusionLevel.NOT_IN_NAV
    svg = files.get_file_from_path("charts/projects/p1/funds.svg")
    assert svg is not None and svg.content_bytes == b"<svg/>"
    assert files.get_file_from_path("about/index.md") is not None  # hand-written kept
    assert not any((tmp_path / "docs").glob("projects*"))  # nothing written to docs
    assert page.generated_by == "sunshine"


def test_a_generated_path_taken_by_a_hand_written_file_is_an_error(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"index.md": "# My own home\n"})
    with pytest.raises(PluginError) as caught:
        run_on_files(config, SITE)
    assert "index.md" in str(caught.value) and "docs folder" in str(caught.value)


def test_data_errors_become_a_plugin_error_with_the_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    problems = [error("bad-number", "budget is not a number", path="demo/projects.csv", row=3)]

    def failing(config: object) -> Site:
        raise DataError(problems)

    monkeypatch.setattr(plugin, "build_site", failing)
    config = make_config(tmp_path)
    sunshine = the_plugin(config)
    sunshine.on_config(config)
    with pytest.raises(PluginError) as caught:
        sunshine.on_pre_build(config=config)
    message = str(caught.value)
    assert render_text(problems) in message
    assert "demo/projects.csv:3: budget is not a number [bad-number]" in message
    assert caught.value.__cause__ is None and caught.value.__suppress_context__  # no traceback
    with pytest.raises(PluginError):  # and on_files does not go on without a site
        sunshine.on_files(docs_files(config), config=config)


def test_the_command_gets_the_data_error_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def failing(config: object) -> Site:
        raise DataError([])

    monkeypatch.setattr(plugin, "build_site", failing)
    config = make_config(tmp_path)
    sunshine = the_plugin(config)
    with plugin.overrides(raise_data_errors=True):
        sunshine.on_config(config)
        with pytest.raises(DataError):
            sunshine.on_pre_build(config=config)


def test_the_site_is_built_before_mkdocs_cleans_the_site_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    def build_site(config: SiteConfig) -> Site:
        calls.append("build")
        return SITE

    monkeypatch.setattr(plugin, "build_site", build_site)
    config = make_config(tmp_path)
    sunshine = the_plugin(config)
    sunshine.on_config(config)
    sunshine.on_pre_build(config=config)  # MkDocs cleans site_dir only after this event
    assert calls == ["build"] and sunshine.site is SITE


def test_site_config_comes_from_the_plugin_options(tmp_path: Path) -> None:
    config = make_config(
        tmp_path, data_dir="data", strict="true", language="en", feedback_contact="'Hotline 1'"
    )
    site_config = plugin.site_config_from(the_plugin(config).config, config, plugin.Overrides())
    assert site_config.data_dir == (tmp_path / "data").resolve()
    assert site_config.strict is True and site_config.site_name == "Test"
    assert site_config.feedback_contact == "Hotline 1"
    assert site_config.cache_dir == (tmp_path / ".cache" / "sunshine").resolve()
    other = tmp_path / "elsewhere"
    overridden = plugin.site_config_from(
        the_plugin(config).config, config, plugin.Overrides(data_dir=other, strict=False)
    )
    assert overridden.data_dir == other and overridden.strict is False


def test_serve_watches_the_data_folder(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    sunshine = the_plugin(config)
    sunshine.on_config(config)

    class Server:
        watched: list[str] = []

        def watch(self, path: str) -> None:
            self.watched.append(path)

    server = Server()
    served: object = sunshine.on_serve(server, config=config, builder=None)  # type: ignore[arg-type]
    assert served is server
    assert server.watched == [str((tmp_path / "data").resolve())]


def test_source_date_epoch_is_set_for_the_build_and_restored(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    (tmp_path / "data" / "p").mkdir()
    (tmp_path / "data" / "p" / "datapackage.json").write_text('{"created": "2019-12-31"}')
    saved = os.environ.pop("SOURCE_DATE_EPOCH", None)
    try:
        sunshine = the_plugin(config)
        sunshine.on_config(config)
        assert os.environ["SOURCE_DATE_EPOCH"] == "1577750400"
        sunshine.on_post_build(config=config)
        assert "SOURCE_DATE_EPOCH" not in os.environ
    finally:
        if saved is not None:
            os.environ["SOURCE_DATE_EPOCH"] = saved


def test_feedback_contacts_come_from_the_published_notices() -> None:
    listed = plugin.contacts_markdown(SITE, "City hotline 12345")
    lines = listed.splitlines()
    assert lines[0] == "- City hotline 12345"
    assert len(lines) == 3  # the two identical contacts are listed once
    assert "[office@example.org](<mailto:office@example.org>)" in lines[1]
    assert "&lt;b&gt;office&lt;/b&gt;" in lines[2]  # data is escaped, never HTML
    empty = plugin.contacts_markdown(Site(), "")
    assert "No contact" in empty


def test_the_marker_is_replaced_on_the_feedback_page(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    sunshine = the_plugin(config)
    sunshine.on_config(config)
    sunshine.site = SITE
    page_text = f"# Feedback\n\n{plugin.CONTACTS_MARKER}\n"
    file = File("about/feedback.md", config.docs_dir, config.site_dir, False)
    page = Page(None, file, config)
    out = sunshine.on_page_markdown(page_text, page=page, config=config, files=Files([file]))
    assert out is not None and plugin.CONTACTS_MARKER not in out and "0888-1" in out


def test_html_pages_skip_markdown_and_keep_their_toc(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    sunshine = the_plugin(config)
    sunshine.on_config(config)
    body = md.page_text(
        [
            md.html_heading(1, "P1"),
            md.html_heading(2, "Money"),
            md.html_heading(3, "By source"),
            '<ol><li id="source-1">x</li></ol>\n',
            md.html_heading(2, "Money"),
        ]
    )
    sunshine.site = Site([SiteFile.html_page("projects/p1.md", '---\ntitle: "P1"\n---\n\n' + body)])
    page = Page(None, File("projects/p1.md", config.docs_dir, config.site_dir, False), config)
    assert sunshine.on_page_markdown(body, page=page, config=config, files=Files([])) == ""
    html = sunshine.on_page_content("", page=page, config=config, files=Files([]))
    assert html == body.strip()
    [title] = page.toc
    assert (title.id, title.level, title.title) == ("p1", 1, "P1")
    assert [(c.id, c.level) for c in title.children] == [("money", 2), ("money_1", 2)]
    assert [c.id for c in title.children[0].children] == ["by-source"]
    assert page.present_anchor_ids == {"p1", "money", "by-source", "source-1", "money_1"}


def test_markdown_pages_are_left_to_markdown(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    sunshine = the_plugin(config)
    sunshine.on_config(config)
    sunshine.site = Site([SiteFile.text("data/index.md", "# Data\n")])
    page = Page(None, File("data/index.md", config.docs_dir, config.site_dir, False), config)
    assert sunshine.on_page_markdown("# Data\n", page=page, config=config, files=Files([])) == (
        "# Data\n"
    )
    html = "<h1>Data</h1>"
    assert sunshine.on_page_content(html, page=page, config=config, files=Files([])) == html


def test_nav_paths_reads_nested_nav() -> None:
    nav = ["index.md", {"Open data": ["data/index.md", {"Dictionary": "data/dictionary.md"}]}]
    assert plugin.nav_paths(nav) == {"index.md", "data/index.md", "data/dictionary.md"}


def test_a_dirty_build_skips_generated_files_whose_bytes_it_already_wrote(tmp_path: Path) -> None:
    config = make_config(tmp_path, {"notes.md": "# Notes\n"}, data_dir="data", search="none")
    sunshine = the_plugin(config)
    sunshine.on_startup(command="serve", dirty=True)
    first = run_on_files(config, SITE)
    assert all(type(f) is File for f in first)  # the first build writes everything
    sunshine.on_post_build(config=config)
    changed = [f for f in SITE if f.path != "projects/p1.md"] + [
        SiteFile.text("projects/p1.md", "# P1 v2\n")
    ]
    files = run_on_files(config, Site([*changed, SiteFile.text("projects/p2.md", "# P2\n")]))
    kinds = {f.src_uri: type(f) for f in files}
    assert kinds["index.md"] is plugin.UnchangedFile and kinds["notes.md"] is File
    assert kinds["projects/p1.md"] is File and kinds["projects/p2.md"] is File
    unchanged = files.get_file_from_path("index.md")
    assert unchanged is not None and unchanged.is_modified()  # not in the site folder yet
    Path(unchanged.abs_dest_path).parent.mkdir(parents=True, exist_ok=True)
    Path(unchanged.abs_dest_path).write_text("<html/>")
    assert not unchanged.is_modified()
    sunshine.on_startup(command="serve", dirty=False)
    sunshine.on_post_build(config=config)
    assert all(type(f) is File for f in run_on_files(config, SITE))  # not dirty: all written


def test_a_dirty_rebuild_removes_what_is_no_longer_generated(tmp_path: Path) -> None:
    config = make_config(tmp_path, data_dir="data", search="none")
    sunshine = the_plugin(config)
    sunshine.on_startup(command="serve", dirty=True)
    run_on_files(config, SITE)
    sunshine.on_post_build(config=config)
    written = [tmp_path / "site" / "projects" / "p1.html", tmp_path / "site" / "index.html"]
    for page in written:
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text("<html/>")
    run_on_files(config, Site(f for f in SITE if f.path != "projects/p1.md"))
    assert [p.exists() for p in written] == [False, True]


def test_a_dirty_rebuild_renders_again_the_pages_listing_contacts(tmp_path: Path) -> None:
    docs = {"feedback.md": f"# Feedback\n{plugin.CONTACTS_MARKER}\n", "about.md": "# About\n"}
    config = make_config(tmp_path, docs)
    files = Files(
        [File(name, str(tmp_path / "docs"), str(tmp_path / "site"), False) for name in docs]
    )
    for file in files:
        Path(file.abs_dest_path).parent.mkdir(parents=True, exist_ok=True)
        Path(file.abs_dest_path).write_text("<html/>")  # newer than its source
    assert not any(f.is_modified() for f in files)
    plugin.mark_contact_pages_modified(files)
    assert [f.src_uri for f in files if f.is_modified()] == ["feedback.md"]
    assert config.site_name == "Test"


@pytest.mark.parametrize("dirty", [False, True])
def test_a_live_rebuild_generates_with_garbage_collection_paused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dirty: bool
) -> None:
    config = make_config(tmp_path)
    sunshine = the_plugin(config)
    sunshine.on_startup(command="serve", dirty=dirty)
    sunshine.on_config(config)
    collecting: list[bool] = []

    def build(config: Any) -> Site:
        collecting.append(gc.isenabled())
        return SITE

    monkeypatch.setattr(plugin, "build_site", build)
    assert gc.isenabled()
    sunshine.on_pre_build(config=config)
    assert collecting == [not dirty] and gc.isenabled()


@pytest.mark.parametrize(("command", "dirty", "prepared"), [
    ("serve", True, 1), ("serve", False, 0), ("build", True, 0),
])  # fmt: skip
def test_a_live_preview_prepares_for_edits_at_startup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: Any, dirty: bool, prepared: int
) -> None:
    calls: list[None] = []
    monkeypatch.setattr(plugin, "prepare_for_edits", lambda: calls.append(None))
    the_plugin(make_config(tmp_path)).on_startup(command=command, dirty=dirty)
    assert len(calls) == prepared

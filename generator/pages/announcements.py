"""Public notices (公示): one page each and the list of all, open or closed.

"Open" is computed against the data's own as-of date, never the clock, and marked
up so the site's script can re-evaluate it against the reader's date.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import partial

from generator import fmt, paths
from generator import markdown as md
from generator.markdown import Cell, Column, Markup
from generator.model import Announcement, Model
from generator.pages import Memo, page_builder
from generator.pages.common import data_as_of, notice_status, page_file, w
from generator.pages.inputs import fingerprints_of
from generator.site import SiteFile


@page_builder("announcement")
def build_announcement_pages(model: Model) -> Iterator[Memo]:
    """One page per notice."""
    as_of = data_as_of(model)
    prints = fingerprints_of(model)
    for notice in model.announcements.values():
        inputs = prints.notice_page(notice, as_of)
        yield Memo(inputs, partial(_notice_files, model, notice, as_of))


def _notice_files(model: Model, notice: Announcement, as_of: date | None) -> list[SiteFile]:
    return [build_announcement_page(model, notice, as_of)]


def build_announcement_page(model: Model, notice: Announcement, as_of: date | None) -> SiteFile:
    """Date, notice period and state, text, projects named, and where to object."""
    page = paths.announcement_page(notice.id)
    period = (
        fmt.date_range(notice.date, notice.notice_end) if notice.notice_end else w("notice.no_end")
    )
    facts = md.html_definition_list(
        [
            (w("notice.date"), fmt.iso_date(notice.date)),
            (w("notice.period"), period),
            (w("notice.status"), notice_status(notice, as_of)),
            (w("notice.contact"), render_contact(notice)),
        ]
    )
    parts = [
        md.page_start(notice.title, md.lang(notice.title_local, "zh") or None),
        render_flag(notice.illustrative),
        facts,
        md.html_heading(2, w("notice.text")),
        md.html_block("sunshine-notice-body", md.html_paragraphs(notice.body)),
        md.html_heading(2, w("notice.projects")),
        render_projects(model, notice, page),
        md.html_heading(2, w("common.sources_title")),
        md.html_definition_list([(w("common.source"), notice.source)]),
    ]
    return page_file(page, parts)


def render_flag(illustrative: bool) -> str:
    """A visible word for an illustrative notice."""
    if not illustrative:
        return ""
    return md.admonition(
        "warning", w("common.illustrative"), md.html_paragraph(w("common.illustrative_note"))
    )


def render_contact(notice: Announcement) -> Markup:
    """Contact text, and a link only for http(s) or mailto addresses."""
    parts: list[object] = []
    if notice.contact:
        parts.append(notice.contact)
    if notice.contact_url:
        if parts:
            parts.append(" ")
        parts.append(md.link(notice.contact_url.removeprefix("mailto:"), notice.contact_url))
    return md.join(parts)


def render_projects(model: Model, notice: Announcement, page: str) -> str:
    """Links to the projects the notice names (unknown ids shown as text)."""
    items: list[object] = []
    for pid in notice.projects:
        project = model.projects.get(pid)
        if project is None:
            items.append(pid)
        else:
            items.append(md.html_link(project.title, page, paths.project_page(pid)))
    return md.html_bullets(items) if items else md.html_paragraph(w("common.none"))


@page_builder("announcements-index", reads="figures")
def build_announcements_index(model: Model) -> Iterator[SiteFile]:
    """Every notice, newest first, with its period and open/closed state."""
    page = paths.ANNOUNCEMENTS_INDEX
    as_of = data_as_of(model)
    columns = [
        Column(w("col.date"), "date"),
        Column(w("col.title")),
        Column(w("col.notice_period")),
        Column(w("col.notice_status")),
        Column(w("col.projects"), "number"),
    ]
    rows = [
        [
            Cell(fmt.iso_date(n.date), n.date.isoformat()),
            md.html_link(n.title, page, paths.announcement_page(n.id)),
            fmt.date_range(n.date, n.notice_end) if n.notice_end else w("notice.no_end"),
            notice_status(n, as_of),
            Cell(fmt.count(len(n.projects)), len(n.projects)),
        ]
        for n in model.announcements.values()
    ]
    intro = w("notices.intro", date=fmt.iso_date(as_of))
    parts = [
        md.page_start(w("notices.title")),
        md.html_paragraph(intro),
        md.html_table(columns, rows, table_id="notices-table", sortable=True)
        if rows
        else md.html_paragraph(w("common.none")),
    ]
    yield page_file(page, parts)

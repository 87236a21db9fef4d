"""Project pages (the public notice of each project) and the projects index.

No charts here: money and benefits are HTML tables with CSS bars, so ten thousand
projects cost no chart rendering. Every figure names the rows it comes from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from decimal import Decimal
from functools import partial

from generator import fmt, paths
from generator import markdown as md
from generator.figures import funds_by_source
from generator.markdown import Cell, Column, Markup
from generator.model import Benefit, Fund, Model, Project
from generator.pages import Memo, memo_fragment, page_builder
from generator.pages.common import (
    INDICATOR_RANK,
    MONEY_COLUMNS,
    NOT_INDEXED,
    Places,
    breadcrumb,
    data_as_of,
    lbl,
    money_cells,
    notice_line,
    page_file,
    project_money,
    section_heading,
    slice_links,
    source_sorted,
    w,
    with_local,
)
from generator.pages.inputs import fingerprints_of
from generator.site import SiteFile


@page_builder("project")
def build_project_pages(model: Model) -> Iterator[Memo]:
    """One page per project."""
    as_of = data_as_of(model)
    prints = fingerprints_of(model)
    for project in model.projects.values():
        yield Memo(
            prints.project_page(project, as_of),
            partial(_one_page, model, project, as_of),
        )


def _one_page(model: Model, project: Project, as_of: date | None) -> list[SiteFile]:
    return [build_project_page(model, project, as_of)]


def build_project_page(model: Model, project: Project, as_of: date | None = None) -> SiteFile:
    """The public notice of one project."""
    page = paths.project_page(project.id)
    passages = Passages()
    passages.number(project.source)
    parts = [
        md.page_start(project.title, md.lang(project.title_local, "zh") or None),
        render_illustrative(project.illustrative),
        md.html_paragraph(project.description),
        render_facts(model, project, page),
        section_heading(w("project.money")),
        render_money(model, project, page, passages),
        section_heading(w("project.benefits")),
        render_benefits(model, project, passages),
        section_heading(w("project.notices")),
        render_notices(model, project, page, as_of),
        section_heading(w("common.sources_title")),
        md.html_paragraph(w("project.sources_text"), NOT_INDEXED),
        passages.render(),
        section_heading(w("project.downloads")),
        slice_links("projects", project.id, page, ("funds", "benefits")),
    ]
    return page_file(page, parts)


class Passages:
    """The published passages a page's rows come from, numbered once each like footnotes."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def number(self, passage: str) -> int:
        """The passage's number (a new one the first time it is seen)."""
        return self._numbers.setdefault(passage, len(self._numbers) + 1)

    def cell(self, passage: str) -> Markup:
        """A table cell linking the passage's entry below the tables."""
        n = self.number(passage)
        return Markup(f'<a href="#source-{n}">[{n}]</a>')

    def render(self) -> str:
        """The numbered list of passages, as raw HTML so each has an anchor."""
        items = "".join(
            f'<li id="source-{n}">{md.text(passage)}</li>\n' for passage, n in self._numbers.items()
        )
        return f'<ol class="sunshine-sources">\n{items}</ol>\n'


def render_illustrative(illustrative: bool) -> str:
    """A visible warning for rows that are an illustrative split of a published total."""
    if not illustrative:
        return ""
    return md.admonition(
        "warning", w("common.illustrative"), md.html_paragraph(w("common.illustrative_project"))
    )


def render_facts(model: Model, project: Project, page: str) -> str:
    """What, where, who, when and how much, as a definition list."""
    program = model.programs.get(project.program)
    implementer = model.organizations.get(project.implementer)
    subsidy: object = None
    if project.subsidy_standard is not None:
        subsidy = w(
            "project.subsidy_per",
            amount=fmt.yuan(project.subsidy_standard),
            unit=project.subsidy_unit or "—",
        )
    location: object = None
    if project.latitude is not None and project.longitude is not None:
        location = f"{project.latitude}, {project.longitude}"
    items: list[tuple[object, object]] = [
        (w("project.where"), breadcrumb(model, project.region, page)),
        (
            w("project.program"),
            md.html_link(program.name, page, paths.program_page(program.id))
            if program
            else project.program,
        ),
        (
            w("project.implementer"),
            with_local(implementer.name, implementer.name_local)
            if implementer
            else project.implementer,
        ),
        (w("project.status"), lbl("status", project.status)),
        (w("project.year"), md.html_link(project.year, page, paths.year_page(project.year))),
        (w("project.planned_dates"), fmt.date_range(project.planned_start, project.planned_end)),
        (w("project.actual_dates"), fmt.date_range(project.actual_start, project.actual_end)),
        (w("project.budget"), fmt.yuan(project.budget)),
        (w("project.subsidy"), subsidy),
        (w("project.location"), location),
    ]
    return md.html_definition_list(items)


def render_money(model: Model, project: Project, page: str, passages: Passages) -> str:
    """Allocated and disbursed per funding source (bars), then every fund row."""
    funds = model.funds_of(project.id)
    if not funds:
        return md.html_paragraph(w("common.none"))
    allocated = funds_by_source(funds, "allocation")
    disbursed = funds_by_source(funds, "disbursement")
    money = project_money(model, project.id)
    rows = [
        [
            md.html_link(lbl("source", s), page, paths.source_page(s)),
            *money_cells(allocated.get(s, ZERO), disbursed.get(s, ZERO)),
        ]
        for s in source_sorted([*allocated, *disbursed])
    ]
    rows.append([md.strong(w("common.total")), *money_cells(money.allocated, money.disbursed)])
    table = md.html_table(SOURCE_MONEY_COLUMNS, rows)
    intro = md.html_paragraph(w("project.money_text", budget=fmt.yuan(project.budget)), NOT_INDEXED)
    return intro + table + render_fund_rows(funds, passages)


ZERO = Decimal(0)
SOURCE_MONEY_COLUMNS = (Column(w("col.source")), *MONEY_COLUMNS)
FUND_ROW_COLUMNS = (
    Column(w("col.type")),
    Column(w("col.source")),
    Column(w("col.amount"), "number"),
    Column(w("col.date"), "date"),
    Column(w("col.document")),
    Column(w("col.note")),
    Column(w("common.source")),
)
BENEFIT_COLUMNS = (
    Column(w("col.indicator")),
    Column(w("col.planned"), "number"),
    Column(w("col.achieved"), "number"),
    Column(w("col.achieved_share"), "number"),
    Column(w("col.unit")),
    Column(w("col.as_of"), "date"),
    Column(w("col.note")),
    Column(w("common.source")),
)


def render_fund_rows(funds: Sequence[Fund], passages: Passages) -> str:
    """Every fund row with its document, flag and the passage it comes from."""
    rows = [
        [
            lbl("transaction", f.transaction_type),
            lbl("source", f.source_type),
            Cell(fmt.money(f.amount), fmt.plain(f.amount)),
            Cell(fmt.iso_date(f.date), f.date.isoformat() if f.date else None),
            f.document,
            _note(f.illustrative),
            passages.cell(f.source),
        ]
        for f in funds
    ]
    return md.details(w("project.fund_rows"), md.html_table(FUND_ROW_COLUMNS, rows))


def render_benefits(model: Model, project: Project, passages: Passages) -> str:
    """Every benefit row: planned, achieved, % achieved with a bar, flag and passage."""
    benefits = model.benefits_of(project.id)
    if not benefits:
        return md.html_paragraph(w("common.none"))
    rows = []
    for b in sorted(benefits, key=_benefit_order):
        share = fmt.share(b.achieved, b.planned)
        what = lbl("indicator", b.indicator)
        rows.append(
            [
                md.join([what, ": ", b.label]) if b.label else what,
                Cell(fmt.number(b.planned), fmt.plain(b.planned)),
                Cell(fmt.number(b.achieved), fmt.plain(b.achieved)),
                Cell(Markup(md.bar(share) + fmt.percent(share)), fmt.plain_share(share)),
                b.unit,
                Cell(fmt.iso_date(b.as_of), b.as_of.isoformat() if b.as_of else None),
                _note(b.illustrative),
                passages.cell(b.source),
            ]
        )
    return md.html_table(BENEFIT_COLUMNS, rows)


def _benefit_order(benefit: Benefit) -> tuple[int, str]:
    return (INDICATOR_RANK.get(benefit.indicator, len(INDICATOR_RANK)), benefit.id)


_ILLUSTRATIVE = md.strong(w("common.illustrative"))
_PUBLISHED = md.text(w("common.published"))


def _note(illustrative: bool) -> Markup:
    return _ILLUSTRATIVE if illustrative else _PUBLISHED


def render_notices(model: Model, project: Project, page: str, as_of: date | None) -> str:
    """Notices naming the project: date, link and open/closed."""
    notices = model.announcements_of(project.id)
    if not notices:
        return md.html_paragraph(w("project.no_notices"), NOT_INDEXED)
    items = [notice_line(n, page, as_of) for n in notices]
    return md.html_bullets(items)


# --- index ------------------------------------------------------------------------------


@page_builder("projects-index", reads="model")
def build_projects_index(model: Model) -> Iterator[SiteFile]:
    """One sortable, filterable table of every project; works without JavaScript."""
    page = paths.PROJECTS_INDEX
    places = Places(model)
    parts = [
        md.page_start(w("projects.title")),
        md.html_paragraph(w("projects.intro", count=fmt.count(len(model.projects)))),
        md.html_paragraph(
            md.join(
                [
                    md.html_link(w("nav.data"), page, paths.DATA_INDEX),
                    " · ",
                    md.html_link(w("nav.dictionary"), page, paths.DATA_DICTIONARY),
                ]
            )
        ),
        render_projects_table(model, model.projects.values(), page, places),
    ]
    yield page_file(page, parts)


PROJECT_INDEX_COLUMNS = (
    Column(w("col.id")),
    Column(w("col.title")),
    Column(w("col.program")),
    Column(w("col.county")),
    Column(w("col.status")),
    Column(w("col.year"), "number"),
    Column(w("col.allocated"), "number"),
    Column(w("col.disbursed"), "number"),
)


# Projects per memoised piece of the index table: an edited project rebuilds its piece.
INDEX_PIECE = 250


def render_projects_table(
    model: Model, projects: Iterable[Project], page: str, places: Places
) -> str:
    """The projects index table: short cells, no bars, one link per row."""
    prints = fingerprints_of(model)
    listed = list(projects)
    pieces = []
    # The rows read their projects, and the names of places and programs (hashed once).
    names = hashlib.sha256(prints.places_and_programs().encode("utf-8")).hexdigest()
    for start in range(0, len(listed), INDEX_PIECE):
        piece = listed[start : start + INDEX_PIECE]
        inputs = (page, names, "\n".join(map(prints.project, piece)))
        build = partial(render_index_rows, model, piece, page, places)
        pieces.append(memo_fragment("projects-index", inputs, build))
    return md.html_table(
        PROJECT_INDEX_COLUMNS,
        Markup("\n".join(piece for piece in pieces if piece)),
        table_id="projects-table",
        caption=w("projects.caption"),
        sortable=True,
        filterable=True,
    )


def render_index_rows(model: Model, projects: Sequence[Project], page: str, places: Places) -> str:
    """The index table's rows of ``projects``, as ``<tr>`` lines."""
    rows = []
    for p in projects:
        money = project_money(model, p.id)
        county = places.county_of(p.region)
        program = model.programs.get(p.program)
        title = md.html_link(p.title, page, paths.project_page(p.id))
        if p.title_local:
            title = Markup(f"{title}<br>{md.lang(p.title_local, 'zh')}")
        rows.append(
            [
                p.id,
                title,
                program.name if program else p.program,
                county.name if county else "",
                lbl("status", p.status),
                Cell(p.year, p.year),
                Cell(fmt.money(money.allocated), fmt.plain(money.allocated)),
                Cell(fmt.money(money.disbursed), fmt.plain(money.disbursed)),
            ]
        )
    return str(md.html_table_rows(rows))

"""Funding-source pages (one per source type present) and the sources index."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from generator import fmt, paths
from generator import markdown as md
from generator.figures import sum_funds
from generator.markdown import Cell, Column
from generator.model import Fund, Model
from generator.pages import page_builder
from generator.pages.common import (
    MONEY_COLUMNS,
    ChartSet,
    Places,
    amount_chart,
    lbl,
    money_cells,
    page_file,
    slice_links,
    source_sorted,
    w,
)
from generator.site import SiteFile

PROJECT_LIMIT = 200


def funds_by_source_type(model: Model) -> dict[str, list[Fund]]:
    """Fund rows grouped by source type, types in schema order."""
    grouped: dict[str, list[Fund]] = {
        s: [] for s in source_sorted(f.source_type for f in model.funds)
    }
    for fund in model.funds:
        grouped[fund.source_type].append(fund)
    return grouped


@page_builder("source", reads="model")
def build_source_pages(model: Model) -> Iterator[SiteFile]:
    """One page per funding source present in the fund rows."""
    places = Places(model)
    for source, funds in funds_by_source_type(model).items():
        yield from build_source_page(model, source, funds, places)


def build_source_page(
    model: Model, source: str, funds: Sequence[Fund], places: Places
) -> list[SiteFile]:
    """Total allocated and disbursed of one source, by program, by county, and projects."""
    page = paths.source_page(source)
    chart_set = ChartSet(page)
    name = lbl("source", source)
    allocated = sum_funds(funds, "allocation")
    disbursed = sum_funds(funds, "disbursement")
    project_ids = sorted({f.project for f in funds})
    parts = [
        md.page_start(name),
        md.html_paragraph(lbl("source_desc", source)),
        md.html_definition_list(
            [
                (w("fig.allocated"), fmt.yuan(allocated)),
                (
                    w("fig.disbursed"),
                    w(
                        "fig.disbursed_of",
                        amount=fmt.yuan(disbursed),
                        share=fmt.percent(fmt.share(disbursed, allocated)),
                    ),
                ),
                (w("fig.projects"), fmt.count(len(project_ids))),
            ]
        ),
        county_chart(model, source, funds, places, chart_set, name),
        md.html_heading(2, w("source.by_program")),
        by_program_table(model, funds, page),
        md.html_heading(2, w("source.projects")),
        source_projects_table(model, funds, page),
        md.html_heading(2, w("project.downloads")),
        slice_links("sources", source, page, ("funds",)),
    ]
    return [page_file(page, parts), *chart_set.files]


def county_chart(
    model: Model,
    source: str,
    funds: Sequence[Fund],
    places: Places,
    chart_set: ChartSet,
    name: str,
) -> str:
    """Allocations of this source by county."""
    by_county: dict[str, list[Fund]] = {}
    for fund in funds:
        project = model.projects.get(fund.project)
        county = places.county_of(project.region) if project else None
        if county is not None:
            by_county.setdefault(county.code, []).append(fund)
    items = [
        (model.regions[code].name, sum_funds(rows, "allocation"))
        for code, rows in sorted(by_county.items())
    ]
    if not items:
        return ""
    return amount_chart(
        chart_set,
        "funds-by-county",
        w("source.chart", name=name),
        items,
        w("col.county"),
        by_place=True,
    )


def by_program_table(model: Model, funds: Sequence[Fund], page: str) -> str:
    """Allocated and disbursed of this source per program."""
    by_program: dict[str, list[Fund]] = {}
    for fund in funds:
        project = model.projects.get(fund.project)
        if project is not None:
            by_program.setdefault(project.program, []).append(fund)
    rows = []
    for program_id, rows_of in sorted(by_program.items()):
        program = model.programs.get(program_id)
        label = program.name if program else program_id
        rows.append(
            [
                md.html_link(label, page, paths.program_page(program_id)) if program else label,
                *money_cells(sum_funds(rows_of, "allocation"), sum_funds(rows_of, "disbursement")),
            ]
        )
    return md.html_table([Column(w("col.program")), *MONEY_COLUMNS], rows)


def source_projects_table(model: Model, funds: Sequence[Fund], page: str) -> str:
    """Projects funded by this source, with the amounts from this source only."""
    per_project: dict[str, list[Fund]] = {}
    for fund in funds:
        per_project.setdefault(fund.project, []).append(fund)
    amounts = {
        pid: (sum_funds(rows, "allocation"), sum_funds(rows, "disbursement"))
        for pid, rows in per_project.items()
    }
    chosen = sorted(amounts, key=lambda pid: (-amounts[pid][0], pid))[:PROJECT_LIMIT]
    note = ""
    if len(amounts) > PROJECT_LIMIT:
        note = md.html_paragraph(
            w(
                "common.more_projects",
                shown=fmt.count(PROJECT_LIMIT),
                total=fmt.count(len(amounts)),
            )
        )
    rows = []
    for pid in chosen:
        project = model.projects.get(pid)
        title = project.title if project else pid
        rows.append(
            [
                md.html_link(title, page, paths.project_page(pid)) if project else title,
                Cell(project.year, project.year) if project else "",
                *money_cells(*amounts[pid]),
            ]
        )
    columns = [Column(w("col.project")), Column(w("col.year"), "number"), *MONEY_COLUMNS]
    return note + md.html_table(columns, rows)


@page_builder("sources-index", reads="model")
def build_sources_index(model: Model) -> Iterator[SiteFile]:
    """Every funding source with its money and number of projects."""
    page = paths.SOURCES_INDEX
    rows = []
    for source, funds in funds_by_source_type(model).items():
        projects = len({f.project for f in funds})
        rows.append(
            [
                md.html_link(lbl("source", source), page, paths.source_page(source)),
                Cell(fmt.count(projects), projects),
                *money_cells(sum_funds(funds, "allocation"), sum_funds(funds, "disbursement")),
            ]
        )
    funded = {f.project for f in model.funds}
    total = [
        md.strong(w("common.total")),
        Cell(fmt.count(len(funded)), len(funded)),
        *money_cells(sum_funds(model.funds, "allocation"), sum_funds(model.funds, "disbursement")),
    ]
    columns = [Column(w("col.source")), Column(w("col.projects"), "number"), *MONEY_COLUMNS]
    parts = [
        md.page_start(w("sources.title")),
        md.html_paragraph(w("sources.intro")),
        md.html_table(columns, [*rows, total]) if rows else md.html_paragraph(w("common.none")),
    ]
    yield page_file(page, parts)

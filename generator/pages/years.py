"""Year overview pages (plan against outcome per budget year) and the years index."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import partial

from generator import fmt, paths
from generator import markdown as md
from generator.figures import compute_totals
from generator.markdown import Cell, Column
from generator.model import Model, Project
from generator.pages import Memo, page_builder
from generator.pages.common import (
    MONEY_COLUMNS,
    ChartSet,
    alloc_disb_chart,
    benefit_sums,
    benefits_table,
    lbl,
    money_cells,
    page_file,
    projects_table,
    slice_links,
    w,
)
from generator.pages.inputs import fingerprints_of
from generator.site import SiteFile

STATUS_ORDER = ("planned", "in-progress", "completed", "suspended", "cancelled")


def projects_by_year(model: Model) -> dict[int, list[Project]]:
    """Projects grouped by budget year, years ascending, projects in id order."""
    grouped: dict[int, list[Project]] = {}
    for project in model.projects.values():
        grouped.setdefault(project.year, []).append(project)
    return dict(sorted(grouped.items()))


@page_builder("year")
def build_year_pages(model: Model) -> Iterator[Memo]:
    """One page per budget year."""
    prints = fingerprints_of(model)
    for year, projects in projects_by_year(model).items():
        inputs = prints.year_page(year, projects)
        yield Memo(inputs, partial(build_year_page, model, year, projects))


def build_year_page(model: Model, year: int, projects: Sequence[Project]) -> list[SiteFile]:
    """Budget vs allocated vs disbursed, benefits, statuses and projects of one year."""
    page = paths.year_page(year)
    chart_set = ChartSet(page)
    totals = compute_totals(model, projects)
    items = []
    for program in model.programs.values():
        of_program = [p for p in projects if p.program == program.id]
        if of_program:
            t = compute_totals(model, of_program)
            items.append((program.name, t.allocated, t.disbursed))
    plan = md.html_definition_list(
        [
            (w("fig.budget"), fmt.yuan(totals.budget)),
            (
                w("fig.allocated"),
                md.join(
                    [
                        fmt.yuan(totals.allocated),
                        " (",
                        w(
                            "common.share_of",
                            share=fmt.percent(fmt.share(totals.allocated, totals.budget)),
                            what=w("fig.budget").lower(),
                        ),
                        ")",
                    ]
                ),
            ),
            (
                w("fig.disbursed"),
                w(
                    "fig.disbursed_of",
                    amount=fmt.yuan(totals.disbursed),
                    share=fmt.percent(totals.disbursed_share),
                ),
            ),
        ]
    )
    parts = [
        md.page_start(w("year.title", year=year)),
        md.html_heading(2, w("year.plan")),
        plan,
        alloc_disb_chart(
            chart_set, "by-program", w("year.chart", year=year), items, w("col.program")
        )
        if items
        else "",
        md.html_heading(2, w("year.by_status")),
        status_table(projects),
        md.html_heading(2, w("year.benefits")),
        benefits_table(benefit_sums(model, projects)),
        md.html_heading(2, w("year.projects", year=year)),
        projects_table(model, projects, page),
        md.html_heading(2, w("project.downloads")),
        slice_links("years", str(year), page, ("projects", "funds", "benefits")),
    ]
    return [page_file(page, parts), *chart_set.files]


def status_table(projects: Sequence[Project]) -> str:
    """How many projects are in each status."""
    counts: dict[str, int] = {}
    for project in projects:
        counts[project.status] = counts.get(project.status, 0) + 1
    order = [s for s in STATUS_ORDER if s in counts] + sorted(set(counts) - set(STATUS_ORDER))
    rows = [[lbl("status", s), fmt.count(counts[s])] for s in order]
    return md.html_plain_table([w("col.status"), w("col.count")], rows, numeric_columns=[1])


@page_builder("years-index", reads="figures")
def build_years_index(model: Model) -> Iterator[SiteFile]:
    """Every budget year with budget, allocation, disbursement and completion."""
    page = paths.YEARS_INDEX
    columns = [
        Column(w("col.year"), "number"),
        Column(w("col.projects"), "number"),
        Column(w("col.budget"), "number"),
        *MONEY_COLUMNS,
        Column(w("col.completed"), "number"),
    ]
    rows = []
    for year, projects in projects_by_year(model).items():
        t = compute_totals(model, projects)
        rows.append(
            [
                md.html_link(year, page, paths.year_page(year)),
                Cell(fmt.count(t.projects), t.projects),
                Cell(fmt.money(t.budget), fmt.plain(t.budget)),
                *money_cells(t.allocated, t.disbursed),
                Cell(fmt.percent(t.completed_share), fmt.plain_share(t.completed_share)),
            ]
        )
    parts = [
        md.page_start(w("years.title")),
        md.html_paragraph(w("years.intro")),
        md.html_table(columns, rows) if rows else md.html_paragraph(w("common.none")),
    ]
    yield page_file(page, parts)

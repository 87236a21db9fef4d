"""Funding-source pages (one per source type present) and the sources index."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal
from functools import partial

from generator import fmt, paths
from generator import markdown as md
from generator.figures import ZERO, sum_funds
from generator.markdown import Cell, Column
from generator.model import Fund, Model
from generator.pages import Memo, page_builder
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
from generator.pages.inputs import fingerprints_of
from generator.pages.listing import shown_funded
from generator.reuse import Kept
from generator.site import SiteFile


def funds_by_source_type(model: Model) -> dict[str, tuple[Fund, ...]]:
    """Fund rows grouped by source type, types in schema order.

    Found again while the model's fund rows are the last build's (the live preview).
    """
    return _grouped.get("funds", model.funds, partial(_group_by_source_type, model.funds))


def _group_by_source_type(funds: Sequence[Fund]) -> dict[str, tuple[Fund, ...]]:
    grouped: dict[str, list[Fund]] = {s: [] for s in source_sorted(f.source_type for f in funds)}
    for fund in funds:
        grouped[fund.source_type].append(fund)
    return {source: tuple(rows) for source, rows in grouped.items()}


_grouped = Kept()  # one value: the last fund rows' groups


@page_builder("source")
def build_source_pages(model: Model) -> Iterator[Memo]:
    """One page per funding source present in the fund rows."""
    places = Places(model)
    prints = fingerprints_of(model)
    for source, funds in funds_by_source_type(model).items():
        inputs = prints.source_page(source, funds)
        yield Memo(inputs, partial(build_source_page, model, source, funds, places))


class SourceSums:
    """One source's allocated and disbursed per project, county and program, in one pass.

    Each sum adds its rows' amounts in row order, as ``figures.sum_funds`` does.
    """

    def __init__(self, model: Model, funds: Sequence[Fund], places: Places) -> None:
        self.funds = funds
        self.by_project: dict[str, list[Decimal]] = {}
        self.by_county: dict[str, list[Decimal]] = {}
        self.by_program: dict[str, list[Decimal]] = {}
        projects = model.projects
        for fund in funds:
            column = _COLUMN.get(fund.transaction_type)
            targets = [self.by_project.setdefault(fund.project, [ZERO, ZERO])]
            project = projects.get(fund.project)
            if project is not None:
                county = places.county_of(project.region)
                if county is not None:
                    targets.append(self.by_county.setdefault(county.code, [ZERO, ZERO]))
                targets.append(self.by_program.setdefault(project.program, [ZERO, ZERO]))
            if column is not None:
                for sums in targets:
                    sums[column] += fund.amount


_COLUMN = {"allocation": 0, "disbursement": 1}


def build_source_page(
    model: Model, source: str, funds: Sequence[Fund], places: Places
) -> list[SiteFile]:
    """Total allocated and disbursed of one source, by program, by county, and projects."""
    page = paths.source_page(source)
    chart_set = ChartSet(page)
    name = lbl("source", source)
    allocated = sum_funds(funds, "allocation")
    disbursed = sum_funds(funds, "disbursement")
    sums = SourceSums(model, funds, places)
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
                (w("fig.projects"), fmt.count(len(sums.by_project))),
            ]
        ),
        county_chart(model, sums, chart_set, name),
        md.html_heading(2, w("source.by_program")),
        by_program_table(model, sums, page),
        md.html_heading(2, w("source.projects")),
        source_projects_table(model, sums, page),
        md.html_heading(2, w("project.downloads")),
        slice_links("sources", source, page, ("funds",)),
    ]
    return [page_file(page, parts), *chart_set.files]


def county_chart(model: Model, sums: SourceSums, chart_set: ChartSet, name: str) -> str:
    """Allocations of this source by county."""
    items = [
        (model.regions[code].name, allocated)
        for code, (allocated, _) in sorted(sums.by_county.items())
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


def by_program_table(model: Model, sums: SourceSums, page: str) -> str:
    """Allocated and disbursed of this source per program."""
    rows = []
    for program_id, (allocated, disbursed) in sorted(sums.by_program.items()):
        program = model.programs.get(program_id)
        label = program.name if program else program_id
        rows.append(
            [
                md.html_link(label, page, paths.program_page(program_id)) if program else label,
                *money_cells(allocated, disbursed),
            ]
        )
    return md.html_table([Column(w("col.program")), *MONEY_COLUMNS], rows)


def source_projects_table(model: Model, sums: SourceSums, page: str) -> str:
    """Projects funded by this source, with the amounts from this source only."""
    amounts = sums.by_project
    chosen = shown_funded(sums.funds)
    note = ""
    if len(amounts) > len(chosen):
        note = md.html_paragraph(
            w(
                "common.more_projects",
                shown=fmt.count(len(chosen)),
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


@page_builder("sources-index", reads="figures")
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

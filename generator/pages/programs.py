"""Program pages (kinds of work) and the programs index."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from generator import fmt, paths
from generator import markdown as md
from generator.figures import compute_totals, funds_by_source
from generator.markdown import Cell, Column
from generator.model import Model, Program, Project, per_model
from generator.pages import Memo, page_builder
from generator.pages.common import (
    MONEY_COLUMNS,
    ChartSet,
    amount_chart,
    benefit_sums,
    benefits_table,
    lbl,
    money_cells,
    page_file,
    projects_table,
    slice_links,
    source_sorted,
    totals_list,
    w,
    with_local,
)
from generator.pages.inputs import fingerprints_of
from generator.site import SiteFile


def _projects_by_program(model: Model) -> dict[str, tuple[Project, ...]]:
    grouped: dict[str, list[Project]] = {}
    for project in model.projects.values():
        grouped.setdefault(project.program, []).append(project)
    return {program: tuple(projects) for program, projects in grouped.items()}


# ``Model.projects_of_program`` of every program, in one pass over the projects.
projects_by_program = per_model(_projects_by_program)


@page_builder("program")
def build_program_pages(model: Model) -> Iterator[Memo]:
    """One page per program."""
    prints = fingerprints_of(model)
    grouped = projects_by_program(model)
    for program in model.programs.values():
        inputs = prints.program_page(program, grouped.get(program.id, ()))
        yield Memo(inputs, partial(build_program_page, model, program))


def build_program_page(model: Model, program: Program) -> list[SiteFile]:
    """A program's page: what it is, its money by source, benefits and projects."""
    page = paths.program_page(program.id)
    chart_set = ChartSet(page)
    projects = model.projects_of_program(program.id)
    funds = [f for p in projects for f in model.funds_of(p.id)]
    allocated = funds_by_source(funds, "allocation")
    items = [(lbl("source", s), allocated[s]) for s in source_sorted(allocated)]
    parts = [
        md.page_start(program.name, md.lang(program.name_local, "zh") or None),
        md.html_paragraph(program.description),
        totals_list(compute_totals(model, projects)),
        amount_chart(
            chart_set,
            "funds-by-source",
            w("program.chart", name=program.name),
            items,
            w("col.source"),
        )
        if items
        else "",
        md.html_heading(2, w("program.benefits")),
        benefits_table(benefit_sums(model, projects)),
        md.html_heading(2, w("program.projects")),
        projects_table(model, projects, page),
        md.html_heading(2, w("project.downloads")),
        slice_links("programs", program.id, page, ("projects", "funds", "benefits")),
        md.html_heading(2, w("common.sources_title")),
        md.html_definition_list([(w("common.source"), program.source)]),
    ]
    return [page_file(page, parts), *chart_set.files]


@page_builder("programs-index", reads="figures")
def build_programs_index(model: Model) -> Iterator[SiteFile]:
    """Every program with its projects and money."""
    page = paths.PROGRAMS_INDEX
    columns = [Column(w("col.program")), Column(w("col.projects"), "number"), *MONEY_COLUMNS]
    rows = []
    for program in model.programs.values():
        totals = compute_totals(model, model.projects_of_program(program.id))
        rows.append(
            [
                md.html_link(
                    with_local(program.name, program.name_local),
                    page,
                    paths.program_page(program.id),
                ),
                Cell(fmt.count(totals.projects), totals.projects),
                *money_cells(totals.allocated, totals.disbursed),
            ]
        )
    parts = [
        md.page_start(w("programs.title")),
        md.html_paragraph(w("programs.intro")),
        md.html_table(columns, rows, sortable=True)
        if rows
        else md.html_paragraph(w("common.none")),
    ]
    yield page_file(page, parts)

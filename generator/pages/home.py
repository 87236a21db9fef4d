"""The home page: headline figures, charts, latest notices, how to read and complain,
and the office's stated totals set against what its own rows add up to."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal

from generator import charts, fmt, paths
from generator import markdown as md
from generator.figures import (
    BenefitSums,
    Totals,
    benefit_sums_of_rows,
    compute_totals,
    covered_values,
    funds_by_source,
    sum_indicator,
)
from generator.markdown import Cell, Column
from generator.model import Model, Project, ReportedTotal
from generator.pages import page_builder
from generator.pages.common import (
    MONEY_COLUMNS,
    ChartSet,
    alloc_disb_chart,
    alloc_disb_rows,
    alloc_disb_summary,
    amount_chart,
    benefit_sums,
    benefits_chart,
    benefits_table,
    counties,
    data_as_of,
    lbl,
    money_cells,
    notice_line,
    page_file,
    planned_achieved,
    source_sorted,
    totals_list,
    w,
)
from generator.site import SiteFile

LATEST_NOTICES = 5
ABOUT_HOW_TO_READ = "about/how-to-read.md"
ABOUT_FEEDBACK = "about/feedback.md"


@page_builder("home", reads="figures")
def build_home(model: Model) -> Iterator[SiteFile]:
    """The home page and its chart specs."""
    page = paths.HOME
    chart_set = ChartSet(page)
    as_of = data_as_of(model)
    parts = [
        md.page_start(w("site.title")),
        md.html_paragraph(w("home.intro")),
        md.html_paragraph(w("common.as_of", date=fmt.iso_date(as_of))) if as_of else "",
        render_packages(model),
        md.html_heading(2, w("home.headline")),
        render_headline(model),
        md.html_heading(2, w("home.by_year")),
        md.html_paragraph(w("home.by_year_text")),
        render_years_table(model, page),
        md.html_heading(2, w("home.by_source")),
        render_sources_table(model, page),
        md.html_heading(2, w("project.benefits")),
        benefits_table(every_benefit_sum(model)),
        md.html_heading(2, w("home.charts")),
        *render_charts(model, chart_set),
        md.html_heading(2, w("home.latest")),
        render_latest(model, page, as_of),
        md.html_heading(2, w("home.stated")),
        md.html_paragraph(w("home.stated_text")),
        render_stated(model),
        md.html_heading(2, w("home.read")),
        md.html_paragraph(w("home.read_text")),
        md.html_paragraph(md.html_link(w("nav.how_to_read"), page, ABOUT_HOW_TO_READ)),
        md.html_heading(2, w("home.feedback")),
        md.html_paragraph(w("home.feedback_text")),
        md.html_paragraph(md.html_link(w("nav.feedback"), page, ABOUT_FEEDBACK)),
        md.html_heading(2, w("common.explore")),
        render_explore(page),
    ]
    yield page_file(page, parts)
    yield from chart_set.files


def render_packages(model: Model) -> str:
    """The data packages published, each with its title and description."""
    items = [
        md.join([md.strong(p.title), " ", p.version, ": ", p.description]) for p in model.packages
    ]
    return md.html_bullets(items)


def render_headline(model: Model) -> str:
    """Totals of every project, from ``figures.compute_totals``."""
    totals = compute_totals(model, list(model.projects.values()))
    villages = (
        sum_indicator(model.benefits, "villages", "planned"),
        sum_indicator(model.benefits, "villages", "achieved"),
    )
    extra = [(w("fig.villages"), planned_achieved(*villages))] if any(villages) else []
    return totals_list(totals, extra)


def totals_by_year(model: Model) -> dict[int, Totals]:
    """Headline figures of each year's projects, years in order."""
    by_year: dict[int, list[Project]] = {}
    for project in model.projects.values():
        by_year.setdefault(project.year, []).append(project)
    return {year: compute_totals(model, by_year[year]) for year in sorted(by_year)}


def render_years_table(model: Model, page: str) -> str:
    """Projects, allocated and disbursed per year, each year linking its overview page."""
    rows = []
    for year, totals in totals_by_year(model).items():
        link = md.html_link(str(year), page, paths.year_page(year))
        rows.append([link, Cell(str(totals.projects), str(totals.projects)),
                     *money_cells(totals.allocated, totals.disbursed)])  # fmt: skip
    if not rows:
        return md.html_paragraph(w("common.none"))
    columns = [Column(w("col.year")), Column(w("col.projects"), "number"), *MONEY_COLUMNS]
    return md.html_table(columns, rows)


def source_amounts(model: Model) -> list[tuple[str, Decimal, Decimal]]:
    """(source type, allocated, disbursed) for each source present, in a fixed order."""
    allocated = funds_by_source(model.funds, "allocation")
    disbursed = funds_by_source(model.funds, "disbursement")
    present = source_sorted([*allocated, *disbursed])
    return [(s, allocated.get(s, Decimal(0)), disbursed.get(s, Decimal(0))) for s in present]


def render_sources_table(model: Model, page: str) -> str:
    """Allocated and disbursed by funding source, each linking its page."""
    rows = [
        [md.html_link(lbl("source", s), page, paths.source_page(s)), *money_cells(a, d)]
        for s, a, d in source_amounts(model)
    ]
    if not rows:
        return md.html_paragraph(w("common.none"))
    return md.html_table([Column(w("col.source")), *MONEY_COLUMNS], rows)


def render_charts(model: Model, chart_set: ChartSet) -> list[str]:
    """The five home charts: by source, by county, by program, benefits, by year."""
    return [
        chart_funds_by_source(model, chart_set),
        chart_funds_by_county(model, chart_set),
        chart_by_program(model, chart_set),
        chart_benefits(model, chart_set),
        chart_over_time(model, chart_set),
    ]


def chart_funds_by_source(model: Model, chart_set: ChartSet) -> str:
    items = [(lbl("source", s), a) for s, a, _ in source_amounts(model)]
    return amount_chart(
        chart_set, "funds-by-source", w("chart.funds_by_source"), items, w("col.source")
    )


def chart_funds_by_county(model: Model, chart_set: ChartSet) -> str:
    items = []
    for county in counties(model):
        totals = compute_totals(model, model.projects_in(county.code))
        if totals.projects:
            items.append((county.name, totals.allocated))
    return amount_chart(
        chart_set,
        "funds-by-county",
        w("chart.funds_by_county"),
        items,
        w("col.county"),
        by_place=True,
    )


def chart_by_program(model: Model, chart_set: ChartSet) -> str:
    items = []
    for program in model.programs.values():
        totals = compute_totals(model, model.projects_of_program(program.id))
        if totals.projects:
            items.append((program.name, totals.allocated, totals.disbursed))
    return alloc_disb_chart(
        chart_set, "allocated-vs-disbursed", w("chart.alloc_disb"), items, w("col.program")
    )


def chart_benefits(model: Model, chart_set: ChartSet) -> str:
    return benefits_chart(chart_set, "benefits", benefit_sums(model, model.projects.values()))


def every_benefit_sum(model: Model) -> BenefitSums:
    """Planned and achieved per indicator and unit over every benefit row."""
    of_projects = sum(len(model.benefits_of(pid)) for pid in model.projects)
    if of_projects == len(model.benefits):
        return benefit_sums(model, model.projects.values())
    return benefit_sums_of_rows(model.benefits)  # some rows name no known project


def chart_over_time(model: Model, chart_set: ChartSet) -> str:
    items = [(year, t.allocated, t.disbursed) for year, t in totals_by_year(model).items()]
    title = w("chart.over_time")
    spec = charts.investment_over_time_chart(
        items,
        title=title,
        description=w("chart.over_time.desc"),
        axis_title=w("chart.amount_axis"),
        series=(w("fig.allocated"), w("fig.disbursed")),
        year_title=w("chart.year_axis"),
    )
    allocated = sum((a for _, a, _ in items), Decimal(0))
    disbursed = sum((d for _, _, d in items), Decimal(0))
    return chart_set.block(
        "investment-over-time",
        spec,
        alloc_disb_summary(title, allocated, disbursed),
        [Column(w("col.year"), "number"), *MONEY_COLUMNS],
        alloc_disb_rows([(str(y), a, d) for y, a, d in items]),
    )


def render_latest(model: Model, page: str, as_of: date | None) -> str:
    """The newest notices with their open/closed state, and a link to all."""
    latest = list(model.announcements.values())[:LATEST_NOTICES]
    items = [notice_line(n, page, as_of) for n in latest]
    items.append(md.html_link(w("home.all_notices"), page, paths.ANNOUNCEMENTS_INDEX))
    return md.html_bullets(items)


def stated_value(total: ReportedTotal, value: Decimal) -> str:
    """A stated or summed figure in its measure's unit."""
    if total.basis == "count":
        return fmt.count(value)
    if total.measure == "amount":
        return fmt.yuan(value)
    return f"{fmt.number(value)} ({lbl('indicator', total.measure)}, {lbl('basis', total.basis)})"


def render_stated(model: Model) -> str:
    """Each figure the office stated against its rows: those that differ first, then all."""
    if not model.reported_totals:
        return md.html_paragraph(w("common.none"))
    ledger = covered_values(model, model.reported_totals)
    checked = list(zip(model.reported_totals, ledger, strict=True))
    differing = [(total, ledger) for total, ledger in checked if ledger != total.value]
    summary = md.html_paragraph(
        w("home.stated_count", differ=fmt.count(len(differing)), total=fmt.count(len(checked)))
    )
    parts = [summary]
    if differing:
        parts.append(stated_table(differing, "stated-differing"))
    parts.append(md.details(w("home.stated_all"), stated_table(checked, "stated-all")))
    return "".join(parts)


def stated_table(checked: Sequence[tuple[ReportedTotal, Decimal]], table_id: str) -> str:
    """Stated figure, the rows' sum, the difference and a word for the check."""
    columns = [
        Column(w("col.statement")),
        Column(w("col.stated"), "number"),
        Column(w("col.ledger"), "number"),
        Column(w("col.difference"), "number"),
        Column(w("col.check")),
    ]
    rows = []
    for total, ledger in checked:
        difference = ledger - total.value
        check = w("check.match") if difference == 0 else md.strong(w("check.differs"))
        rows.append(
            [
                total.statement,
                Cell(stated_value(total, total.value), fmt.plain(total.value)),
                Cell(stated_value(total, ledger), fmt.plain(ledger)),
                Cell(fmt.signed(difference), fmt.plain(difference)),
                check,
            ]
        )
    return md.html_table(columns, rows, table_id=table_id, sortable=True)


def render_explore(page: str) -> str:
    """Links to every section index and the data pages."""
    targets = [
        ("nav.projects", paths.PROJECTS_INDEX),
        ("nav.regions", paths.REGIONS_INDEX),
        ("nav.programs", paths.PROGRAMS_INDEX),
        ("nav.sources", paths.SOURCES_INDEX),
        ("nav.years", paths.YEARS_INDEX),
        ("nav.announcements", paths.ANNOUNCEMENTS_INDEX),
        ("nav.data", paths.DATA_INDEX),
        ("nav.dictionary", paths.DATA_DICTIONARY),
    ]
    return md.html_bullets(md.html_link(w(key), page, target) for key, target in targets)

"""Region pages (drill-down from the city to the village) and the places index."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from generator import fmt, paths
from generator import markdown as md
from generator.figures import Totals, compute_totals
from generator.markdown import Cell, Column
from generator.model import Model, Region, per_model
from generator.pages import Memo, page_builder
from generator.pages.common import (
    MONEY_COLUMNS,
    ChartSet,
    alloc_disb_chart,
    benefit_sums,
    benefits_table,
    breadcrumb,
    lbl,
    money_cells,
    page_file,
    planned_achieved,
    projects_table,
    region_label,
    section_heading,
    slice_links,
    totals_list,
    w,
)
from generator.pages.inputs import fingerprints_of
from generator.site import SiteFile

# Township pages list their villages in a table only: a province has ~1,500 townships,
# and a chart each would cost ~1,500 SVG renders for little gain over the table.
CHART_LEVELS = ("province", "city", "county")


@page_builder("region")
def build_region_pages(model: Model) -> Iterator[Memo]:
    """One page per region, with a chart for regions at county level and above."""
    totals = region_totals_of(model)
    prints = fingerprints_of(model)
    for region in model.regions.values():
        yield Memo(prints.region_page(region), partial(build_region_page, model, region, totals))


class RegionTotals(dict[str, Totals]):
    """Totals of each region, computed once per build (a region's page shows its own
    and its children's totals, so each would otherwise be computed twice)."""

    def __init__(self, model: Model) -> None:
        super().__init__()
        self.model = model

    def __missing__(self, code: str) -> Totals:
        totals = compute_totals(self.model, self.model.projects_in(code))
        self[code] = totals
        return totals


# Place pages and the places index share one set of totals per model.
region_totals_of = per_model(RegionTotals)


def build_region_page(
    model: Model, region: Region, region_totals: RegionTotals | None = None
) -> list[SiteFile]:
    """A region's page and its chart spec."""
    all_totals = region_totals if region_totals is not None else RegionTotals(model)
    page = paths.region_page(region.code)
    chart_set = ChartSet(page)
    projects = model.projects_in(region.code)
    totals = all_totals[region.code]
    up = breadcrumb(model, region.code, page, include_self=False)
    children = [(c, all_totals[c.code]) for c in model.children_of(region.code)]
    parts = [
        md.page_start(region.name, md.lang(region.name_local, "zh")),
        totals_list(
            totals, first=[(w("fig.part_of"), up), (w("fig.level"), lbl("level", region.level))]
        ),
        render_children(model, region, children, page, chart_set),
        section_heading(w("region.projects", name=region.name)),
        projects_table(model, projects, page),
        section_heading(w("project.benefits")),
        benefits_table(benefit_sums(model, projects)),
        section_heading(w("project.downloads")),
        slice_links("regions", region.code, page, ("projects", "funds", "benefits")),
    ]
    return [page_file(page, parts), *chart_set.files]


def render_children(
    model: Model,
    region: Region,
    children: list[tuple[Region, Totals]],
    page: str,
    chart_set: ChartSet,
) -> str:
    """The places directly below, with their totals, and a chart at county level and above."""
    if not children:
        return ""
    parts = [section_heading(w("region.children", name=region.name))]
    with_projects = [(c, t) for c, t in children if t.projects]
    if region.level in CHART_LEVELS and with_projects:
        items = [(c.name, t.allocated, t.disbursed) for c, t in with_projects]
        parts.append(
            alloc_disb_chart(
                chart_set, "places", w("region.chart", name=region.name), items, w("col.region")
            )
        )
    parts.append(regions_table(model, children, page))
    return "".join(parts)


def regions_table(model: Model, rows_in: list[tuple[Region, Totals]], page: str) -> str:
    """Places with level, projects, money and beneficiaries."""
    columns = [
        Column(w("col.region")),
        Column(w("col.level")),
        Column(w("col.projects"), "number"),
        *MONEY_COLUMNS,
        Column(w("col.households")),
    ]
    rows = [
        [
            md.html_link(region_label(r), page, paths.region_page(r.code)),
            lbl("level", r.level),
            Cell(fmt.count(t.projects), t.projects),
            *money_cells(t.allocated, t.disbursed),
            planned_achieved(t.households_planned, t.households_achieved),
        ]
        for r, t in rows_in
    ]
    return md.html_table(columns, rows)


@page_builder("regions-index", reads="figures")
def build_regions_index(model: Model) -> Iterator[SiteFile]:
    """Every place above village level, top down, with totals; villages on their pages."""
    page = paths.REGIONS_INDEX
    ordered: list[tuple[Region, Totals]] = []
    all_totals = region_totals_of(model)

    def walk(code: str | None) -> None:
        for child in model.children_of(code):
            if child.level != "village":
                ordered.append((child, all_totals[child.code]))
                walk(child.code)

    walk(None)
    parts = [
        md.page_start(w("regions.title")),
        md.html_paragraph(w("regions.intro")),
        regions_table(model, ordered, page) if ordered else md.html_paragraph(w("common.none")),
    ]
    yield page_file(page, parts)

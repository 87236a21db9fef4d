"""Pieces every page kind shares: names, breadcrumbs, figure lists, tables and charts.

All figures come from ``generator.figures``; all syntax from ``generator.markdown``;
all wording from ``generator.wording``. Pages are plain string building.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from generator import charts, fmt, paths
from generator import markdown as md
from generator.figures import BenefitSums, Totals, figures_of
from generator.markdown import Cell, Column, Markup
from generator.model import SOURCE_TYPES, Announcement, Model, Project, Region
from generator.pages import listing
from generator.site import SiteFile
from generator.wording import label, t

LANG = "en"
BENEFICIARY_INDICATORS = ("villages", "households", "people")


def w(key: str, **values: object) -> str:
    """The page wording for ``key`` in the site's language."""
    return t(key, LANG, **values) if values else _word(key)


@cache
def _word(key: str) -> str:
    return t(key, LANG)


@cache
def lbl(vocabulary: str, code: str) -> str:
    """The label of a vocabulary code in the site's language."""
    return label(vocabulary, code, LANG)


# --- dates ------------------------------------------------------------------------------


def data_as_of(model: Model) -> date | None:
    """The data's own "today": the newest package ``created`` date, else the newest date.

    Pages never read the clock, so the same data always gives the same pages.
    """
    created = [_parse_day(p.created) for p in model.packages]
    found = [d for d in created if d is not None]
    if found:
        return max(found)
    dates: list[date] = [a.date for a in model.announcements.values()]
    dates += [a.notice_end for a in model.announcements.values() if a.notice_end]
    dates += [f.date for f in model.funds if f.date]
    dates += [b.as_of for b in model.benefits if b.as_of]
    return max(dates) if dates else None


def _parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def notice_state(notice: Announcement, as_of: date | None) -> str:
    """``open``, ``closed`` or ``upcoming`` for a notice with an end date, as of ``as_of``."""
    if as_of is None or notice.notice_end is None:
        return "closed" if as_of is None else "open" if as_of >= notice.date else "upcoming"
    if as_of < notice.date:
        return "upcoming"
    return "open" if as_of <= notice.notice_end else "closed"


def notice_status(notice: Announcement, as_of: date | None) -> Markup:
    """The open/closed marker the site's script re-evaluates against the reader's date."""
    if notice.notice_end is None:
        return md.text(w("notice.no_end"))
    state = notice_state(notice, as_of)
    return md.span(
        w(f"notice.{state}"),
        "sunshine-notice-status",
        start=notice.date.isoformat(),
        end=notice.notice_end.isoformat(),
    )


def notice_line(notice: Announcement, page: str, as_of: date | None) -> Markup:
    """A notice in a list: its date, a link to its page and its open/closed marker."""
    link = md.html_link(notice.title, page, paths.announcement_page(notice.id))
    return md.join([fmt.iso_date(notice.date), " ", link, " (", notice_status(notice, as_of), ")"])


# --- names and places -------------------------------------------------------------------


def region_label(region: Region) -> Markup:
    """``Yongsheng County (永胜县)`` with the Chinese name marked as such."""
    return md.join([region.name, " (", md.lang(region.name_local, "zh"), ")"])


def with_local(name: str, local: str | None) -> Markup:
    """An English name followed by its Chinese name, when there is one."""
    if not local:
        return md.text(name)
    return md.join([name, " ", md.lang(local, "zh")])


def breadcrumb(model: Model, code: str, from_page: str, *, include_self: bool = True) -> Markup:
    """Links from the top region down to ``code``: City › County › Township › Village."""
    codes = model.region_path(code)
    if not include_self:
        codes = codes[:-1]
    links = [md.html_link(model.regions[c].name, from_page, paths.region_page(c)) for c in codes]
    return Markup(" › ".join(links))


@dataclass
class Places:
    """The county each region lies in, computed once per model."""

    model: Model
    _county: dict[str, str | None] = field(default_factory=dict)

    def county_of(self, code: str) -> Region | None:
        """The county-level region above (or at) ``code``, if any."""
        if code not in self._county:
            found = [
                c for c in self.model.region_path(code) if self.model.regions[c].level == "county"
            ]
            self._county[code] = found[0] if found else None
        hit = self._county[code]
        return self.model.regions[hit] if hit else None


def counties(model: Model) -> list[Region]:
    """County-level regions, else the children of the top regions, by code."""
    found = [r for r in model.regions.values() if r.level == "county"]
    if found:
        return found
    return [c for top in model.children_of(None) for c in model.children_of(top.code)]


# --- money and benefits -----------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    """Allocated and disbursed amounts of one project (from ``figures``)."""

    allocated: Decimal
    disbursed: Decimal


def project_money(model: Model, project_id: str) -> Money:
    """Allocated and disbursed of one project, summed by ``figures``."""
    figures = figures_of(model).of(project_id)
    return Money(figures.allocated, figures.disbursed)


def indicator_sums(
    sums: BenefitSums, *, additive_only: bool = False
) -> list[tuple[str, str, Decimal, Decimal]]:
    """(indicator, unit, planned, achieved) per indicator and unit, in schema order.

    Rows of one indicator in different units are never added together (``sums``
    come from ``figures``). With ``additive_only`` rates (income per head, anything
    "per" something) are left out: summing them across projects means nothing.
    """
    order = INDICATOR_RANK
    result = []
    for indicator, unit in sorted(sums, key=lambda k: (order.get(k[0], len(order)), k)):
        if additive_only and not is_additive(indicator, unit):
            continue
        planned, achieved = sums[(indicator, unit)]
        result.append((indicator, unit, planned, achieved))
    return result


def benefit_sums(model: Model, projects: Iterable[Project]) -> BenefitSums:
    """Planned and achieved per indicator and unit over the benefit rows of ``projects``."""
    return figures_of(model).benefit_sums(projects)


def is_additive(indicator: str, unit: str) -> bool:
    """Whether values of this indicator and unit may be added up across projects."""
    return indicator != "income-per-head" and " per " not in f" {unit.lower()} "


_INDICATOR_ORDER = (
    "villages",
    "households",
    "people",
    "trainees",
    "workers-transferred",
    "road-km",
    "bridges",
    "power-line-km",
    "transformers",
    "water-pipe-km",
    "water-tanks",
    "water-tank-m3",
    "biogas-digesters",
    "stoves",
    "toilets",
    "houses",
    "housing-m2",
    "farmland-mu",
    "irrigation-mu",
    "orchard-mu",
    "crop-mu",
    "livestock-head",
    "enterprises",
    "income-per-head",
    "income-total",
    "grain-kg",
    "other",
)
INDICATOR_RANK = {name: i for i, name in enumerate(_INDICATOR_ORDER)}


def planned_achieved(planned: Decimal, achieved: Decimal) -> str:
    """``56,031 planned, 30,000 achieved (54%)``."""
    return w(
        "fig.planned_achieved",
        planned=fmt.number(planned),
        achieved=fmt.number(achieved),
        share=fmt.percent(fmt.share(achieved, planned)),
    )


def totals_list(
    totals: Totals,
    extra: Sequence[tuple[str, object]] = (),
    first: Sequence[tuple[str, object]] = (),
) -> str:
    """The headline figures of a set of projects as a definition list (after ``first``)."""
    items: list[tuple[object, object]] = [
        *first,
        (w("fig.allocated"), fmt.yuan(totals.allocated)),
        (
            w("fig.disbursed"),
            w(
                "fig.disbursed_of",
                amount=fmt.yuan(totals.disbursed),
                share=fmt.percent(totals.disbursed_share),
            ),
        ),
        (w("fig.budget"), fmt.yuan(totals.budget)),
        (w("fig.projects"), fmt.count(totals.projects)),
        (
            w("fig.completed"),
            w(
                "fig.completed_of",
                count=fmt.count(totals.completed),
                total=fmt.count(totals.projects),
                share=fmt.percent(totals.completed_share),
            ),
        ),
        (
            w("fig.households"),
            planned_achieved(totals.households_planned, totals.households_achieved),
        ),
        (w("fig.people"), planned_achieved(totals.people_planned, totals.people_achieved)),
        *extra,
    ]
    return md.html_definition_list(items)


def money_cells(allocated: Decimal, disbursed: Decimal) -> list[object]:
    """Allocated, disbursed and disbursed share (with a bar) as HTML table cells."""
    share = fmt.share(disbursed, allocated)
    return [
        Cell(fmt.money(allocated), fmt.plain(allocated)),
        Cell(fmt.money(disbursed), fmt.plain(disbursed)),
        Cell(Markup(md.bar(share) + md.text(fmt.percent(share))), fmt.plain_share(share)),
    ]


MONEY_COLUMNS = (
    Column(w("col.allocated"), "number"),
    Column(w("col.disbursed"), "number"),
    Column(w("col.disbursed_share"), "number"),
)


def benefits_table(benefits: BenefitSums) -> str:
    """Benefits summed by indicator: planned, achieved and % achieved (with bars).

    Rates are not added up across projects; a note says so when some were left out.
    """
    rows = []
    sums = indicator_sums(benefits, additive_only=True)
    rates = len(benefits) > len(sums)
    for indicator, unit, planned, achieved in sums:
        share = fmt.share(achieved, planned)
        rows.append(
            [
                lbl("indicator", indicator),
                Cell(fmt.number(planned), fmt.plain(planned)),
                Cell(fmt.number(achieved), fmt.plain(achieved)),
                Cell(Markup(md.bar(share) + md.text(fmt.percent(share))), fmt.plain_share(share)),
                unit,
            ]
        )
    note = md.html_paragraph(w("common.rates_note")) if rates else ""
    if not rows:
        return note or md.html_paragraph(w("common.none"))
    return md.html_table(BENEFIT_SUM_COLUMNS, rows) + note


BENEFIT_SUM_COLUMNS = (
    Column(w("col.indicator")),
    Column(w("col.planned"), "number"),
    Column(w("col.achieved"), "number"),
    Column(w("col.achieved_share"), "number"),
    Column(w("col.unit")),
)


# --- project lists ----------------------------------------------------------------------


def projects_table(model: Model, projects: Sequence[Project], from_page: str) -> str:
    """Projects with status, year and money; the largest (``listing``) when there are more."""
    if not projects:
        return md.html_paragraph(w("region.no_projects"))
    chosen = listing.shown_projects(model, projects)
    money = {p.id: project_money(model, p.id) for p in chosen}
    note = ""
    if len(chosen) < len(projects):
        note = md.html_paragraph(
            w("common.more_projects", shown=fmt.count(len(chosen)), total=fmt.count(len(projects)))
        )
    columns = [
        Column(w("col.project")),
        Column(w("col.status")),
        Column(w("col.year"), "number"),
        *MONEY_COLUMNS,
    ]
    rows = [
        [
            md.html_link(p.title, from_page, paths.project_page(p.id)),
            lbl("status", p.status),
            Cell(p.year, p.year),
            *money_cells(money[p.id].allocated, money[p.id].disbursed),
        ]
        for p in chosen
    ]
    return note + md.html_table(columns, rows)


# --- charts -----------------------------------------------------------------------------


@dataclass
class ChartSet:
    """Chart blocks of one page, and the spec files they need."""

    page: str
    files: list[SiteFile] = field(default_factory=list)

    def block(
        self,
        name: str,
        spec: dict[str, Any],
        summary: str,
        columns: Sequence[Column],
        rows: Sequence[Sequence[object]],
    ) -> str:
        """The chart's HTML block; its spec is added to ``files``."""
        spec_path = paths.chart_spec(self.page, name)
        self.files.append(SiteFile.text(spec_path, md.canonical_json(spec)))
        return md.chart_block(name, spec, spec_path, self.page, summary, columns, rows, LANG)


def top_summary(title: str, items: Sequence[tuple[str, Decimal]]) -> str:
    """One-line chart summary naming the largest item and the total."""
    if not items:
        return w("chart.summary.empty", title=title)
    name, amount = max(items, key=lambda i: (i[1], i[0]))
    total = sum((a for _, a in items), Decimal(0))
    return w(
        "chart.summary.top", title=title, top=name, amount=fmt.yuan(amount), total=fmt.yuan(total)
    )


def alloc_disb_summary(title: str, allocated: Decimal, disbursed: Decimal) -> str:
    """One-line summary of an allocated-vs-disbursed chart."""
    return w(
        "chart.summary.alloc_disb",
        title=title,
        allocated=fmt.yuan(allocated),
        disbursed=fmt.yuan(disbursed),
        share=fmt.percent(fmt.share(disbursed, allocated)),
    )


def amount_rows(items: Iterable[tuple[str, Decimal]]) -> list[list[object]]:
    """Data-table rows of (label, amount)."""
    return [[name, Cell(fmt.money(amount), fmt.plain(amount))] for name, amount in items]


def alloc_disb_rows(items: Iterable[tuple[str, Decimal, Decimal]]) -> list[list[object]]:
    """Data-table rows of (label, allocated, disbursed)."""
    return [[name, *money_cells(a, d)] for name, a, d in items]


# On blocks every page of a kind repeats (section headings, set sentences, the download
# list): the search index skips them unread (generator/search.py), so results and the
# indexer's time go to what each page says of its own.
NOT_INDEXED = ' data-pagefind-ignore="all"'


def section_heading(value: object) -> str:
    """A page's section heading (level 2), left out of the search index."""
    return md.html_heading(2, value, NOT_INDEXED)


def slice_links(kind: str, key: str, from_page: str, resources: Sequence[str]) -> str:
    """Links to the CSV rows behind a page (made by the downloads stage)."""
    items = [
        md.html_link(
            w("common.download_rows", what=resource),
            from_page,
            paths.slice_csv(kind, key, resource),
        )
        for resource in resources
    ]
    items.append(md.html_link(w("nav.dictionary"), from_page, paths.DATA_DICTIONARY))
    return md.html_bullets(items, NOT_INDEXED)


def page_file(path: str, parts: Iterable[str]) -> SiteFile:
    """A page from its blocks: front matter (``md.page_start``), then HTML."""
    return SiteFile.html_page(path, md.page_text(parts))


def alloc_disb_chart(
    chart_set: ChartSet,
    name: str,
    title: str,
    items: Sequence[tuple[str, Decimal, Decimal]],
    item_header: str,
) -> str:
    """An allocated-vs-disbursed chart block (used by several page kinds)."""
    spec = charts.allocated_vs_disbursed_chart(
        items,
        title=title,
        description=w("chart.alloc_disb.desc"),
        axis_title=w("chart.amount_axis"),
        series=(w("fig.allocated"), w("fig.disbursed")),
    )
    allocated = sum((a for _, a, _ in items), Decimal(0))
    disbursed = sum((d for _, _, d in items), Decimal(0))
    return chart_set.block(
        name,
        spec,
        alloc_disb_summary(title, allocated, disbursed),
        [Column(item_header), *MONEY_COLUMNS],
        alloc_disb_rows(items),
    )


def benefits_chart(chart_set: ChartSet, name: str, benefits: BenefitSums) -> str:
    """Achieved as a share of plan for who benefits (villages, households, people...)."""
    sums = [s for s in indicator_sums(benefits, additive_only=True) if s[2] > 0 and s[0] in CHARTED]
    items = [
        (lbl("indicator", ind), planned, achieved, unit) for ind, unit, planned, achieved in sums
    ]
    title = w("chart.benefits")
    spec = charts.benefits_planned_vs_achieved_chart(
        items,
        title=title,
        description=w("chart.benefits.desc"),
        axis_title=w("chart.share_axis"),
        label_template=w("chart.benefit_label"),
    )
    detail = "; ".join(
        f"{label} {planned_achieved(planned, achieved)}" for label, planned, achieved, _ in items
    )
    summary = (
        w("chart.summary.benefits", title=title, detail=detail)
        if items
        else w("chart.summary.empty", title=title)
    )
    columns = [
        Column(w("col.indicator")),
        Column(w("col.planned"), "number"),
        Column(w("col.achieved"), "number"),
        Column(w("col.unit")),
    ]
    rows = [
        [label, Cell(fmt.number(p), fmt.plain(p)), Cell(fmt.number(a), fmt.plain(a)), unit]
        for label, p, a, unit in items
    ]
    return chart_set.block(name, spec, summary, columns, rows)


CHARTED = ("villages", "households", "people", "trainees", "workers-transferred")

SOURCE_ORDER = SOURCE_TYPES  # the funds schema lists sources in reading order


def source_sorted(sources: Iterable[str]) -> list[str]:
    """Funding-source codes in the schema's order (central first), unknown ones last."""

    def key(source: str) -> tuple[int, str]:
        known = source in SOURCE_ORDER
        return (SOURCE_ORDER.index(source) if known else len(SOURCE_ORDER), source)

    return sorted(set(sources), key=key)


def amount_chart(
    chart_set: ChartSet,
    name: str,
    title: str,
    items: Sequence[tuple[str, Decimal]],
    item_header: str,
    *,
    by_place: bool = False,
) -> str:
    """A one-amount-per-item bar chart block (by funding source, or by place)."""
    make = charts.funds_by_county_chart if by_place else charts.funds_by_source_chart
    description = w("chart.funds_by_county.desc" if by_place else "chart.funds_by_source.desc")
    spec = make(items, title=title, description=description, axis_title=w("chart.amount_axis"))
    return chart_set.block(
        name,
        spec,
        top_summary(title, items),
        [Column(item_header), Column(w("col.allocated"), "number")],
        amount_rows(items),
    )

"""Figures: the sums every page and check shows, computed one way only.

Reported totals in the office's narrative are checked with the same functions the
site uses to display figures, so the site and the validator can never disagree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal, Rounded, getcontext, localcontext
from functools import partial
from typing import TypeVar

from generator.model import Benefit, Fund, Model, Project, ReportedTotal, per_model

ZERO = Decimal(0)
FUND_BASES = ("allocation", "disbursement")
BENEFIT_BASES = ("planned", "achieved")


def sum_funds(funds: Iterable[Fund], transaction_type: str = "allocation") -> Decimal:
    """Sum of fund amounts of one transaction type."""
    return sum((f.amount for f in funds if f.transaction_type == transaction_type), ZERO)


def funds_by_source(funds: Iterable[Fund], transaction_type: str) -> dict[str, Decimal]:
    """Sum of amounts per funding source, sources in first-seen order."""
    sums: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for fund in funds:
        if fund.transaction_type == transaction_type:
            sums[fund.source_type] += fund.amount
    return dict(sums)


def sum_indicator(benefits: Iterable[Benefit], indicator: str, basis: str) -> Decimal:
    """Sum of the planned or achieved values of one indicator (empty counts as 0)."""
    total = ZERO
    for benefit in benefits:
        if benefit.indicator == indicator:
            total += getattr(benefit, basis) or ZERO
    return total


@dataclass(frozen=True)
class Totals:
    """Headline figures of a set of projects."""

    projects: int
    completed: int
    cancelled: int
    allocated: Decimal
    disbursed: Decimal
    budget: Decimal
    households_planned: Decimal
    households_achieved: Decimal
    people_planned: Decimal
    people_achieved: Decimal

    @property
    def completed_share(self) -> Decimal:
        """Completed projects as a share of non-cancelled projects (0 to 1)."""
        live = self.projects - self.cancelled
        return Decimal(self.completed) / live if live else ZERO

    @property
    def disbursed_share(self) -> Decimal:
        """Disbursed as a share of allocated (0 when nothing was allocated)."""
        return self.disbursed / self.allocated if self.allocated else ZERO


def compute_totals(model: Model, projects: Sequence[Project]) -> Totals:
    """Headline figures of ``projects``: money, completion, households and people."""
    return figures_of(model).totals(projects)


def totals_from_rows(model: Model, projects: Sequence[Project]) -> Totals:
    """``compute_totals`` read straight from every fund and benefit row."""
    funds = [f for p in projects for f in model.funds_of(p.id)]
    benefits = [b for p in projects for b in model.benefits_of(p.id)]
    return Totals(
        projects=len(projects),
        completed=sum(1 for p in projects if p.status == "completed"),
        cancelled=sum(1 for p in projects if p.status == "cancelled"),
        allocated=sum_funds(funds, "allocation"),
        disbursed=sum_funds(funds, "disbursement"),
        budget=sum((p.budget for p in projects), ZERO),
        households_planned=sum_indicator(benefits, "households", "planned"),
        households_achieved=sum_indicator(benefits, "households", "achieved"),
        people_planned=sum_indicator(benefits, "people", "planned"),
        people_achieved=sum_indicator(benefits, "people", "achieved"),
    )


def projects_covered(model: Model, total: ReportedTotal) -> list[Project]:
    """Projects a reported total covers, by its program, region, year and project filters."""
    regions = set(total.region)
    return [
        p
        for p in model.projects.values()
        if (not total.program or p.program in total.program)
        and (not total.year or p.year == total.year)
        and (not total.project or p.id in total.project)
        and (not regions or not regions.isdisjoint(model.region_path(p.region)))
    ]


def covered_value(model: Model, total: ReportedTotal) -> Decimal:
    """The value the ledger gives for what a reported total covers."""
    projects = projects_covered(model, total)
    if total.basis == "count":
        return Decimal(len(projects))
    if total.measure == "amount":
        funds = [f for p in projects for f in model.funds_of(p.id)]
        if total.source_type:
            funds = [f for f in funds if f.source_type in total.source_type]
        return sum_funds(funds, total.basis)
    benefits = [b for p in projects for b in model.benefits_of(p.id)]
    return sum_indicator(benefits, total.measure, total.basis)


def covered_values(model: Model, totals: Sequence[ReportedTotal]) -> list[Decimal]:
    """``covered_value`` of each total, in order, sharing work between totals.

    Totals with the same filters cover the same projects; their rows are gathered
    once, and split once by funding source and transaction type. Each sum still
    adds the same values in the same order as ``covered_value``, so the results
    are the same to the last digit.
    """
    coverage = _coverage_of(model)
    return [coverage.value(total) for total in totals]


class _Coverage:
    """The rows reported totals cover, gathered once per set of filters."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self.projects: dict[tuple[object, ...], list[Project]] = {}
        self.benefits: dict[tuple[object, ...], list[Benefit]] = {}
        self.amounts: dict[tuple[object, ...], _Amounts] = {}
        self.values: dict[tuple[object, ...], Decimal] = {}

    def value(self, total: ReportedTotal) -> Decimal:
        """What ``covered_value(model, total)`` gives."""
        what = (*_filters(total), total.measure, total.basis, total.source_type)
        if what not in self.values:
            self.values[what] = self._value(total)
        return self.values[what]

    def _value(self, total: ReportedTotal) -> Decimal:
        filters = _filters(total)
        if filters not in self.projects:
            self.projects[filters] = projects_covered(self.model, total)
        projects = self.projects[filters]
        if total.basis == "count":
            return Decimal(len(projects))
        if total.measure != "amount":
            if filters not in self.benefits:
                self.benefits[filters] = [b for p in projects for b in self.model.benefits_of(p.id)]
            return sum_indicator(self.benefits[filters], total.measure, total.basis)
        if len(total.source_type) > 1:  # sources interleave: sum them as covered_value does
            return covered_value(self.model, total)
        if filters not in self.amounts:
            self.amounts[filters] = _Amounts(self.model, projects)
        return sum(self.amounts[filters].of(total.source_type, total.basis), ZERO)


def _filters(total: ReportedTotal) -> tuple[object, ...]:
    return (total.program, total.region, total.year, total.project)


# The validator's rule and the home page state the same totals of the same model.
_coverage_of = per_model(_Coverage)


class _Amounts:
    """Fund amounts of some projects in fund order, by transaction type and by source too."""

    def __init__(self, model: Model, projects: Iterable[Project]) -> None:
        self.by_type: dict[str, list[Decimal]] = defaultdict(list)
        self.by_source: dict[tuple[str, str], list[Decimal]] = defaultdict(list)
        for project in projects:
            for fund in model.funds_of(project.id):
                self.by_type[fund.transaction_type].append(fund.amount)
                self.by_source[(fund.source_type, fund.transaction_type)].append(fund.amount)

    def of(self, sources: tuple[str, ...], transaction_type: str) -> list[Decimal]:
        """Amounts of one transaction type, of one source or (no source given) of all."""
        if not sources:
            return self.by_type.get(transaction_type, [])
        return self.by_source.get((sources[0], transaction_type), [])


BenefitSums = dict[tuple[str, str], tuple[Decimal, Decimal]]
"""Planned and achieved per (indicator, unit)."""


def benefit_sums_of_rows(benefits: Iterable[Benefit]) -> BenefitSums:
    """Planned and achieved per (indicator, unit), each summed by ``sum_indicator``."""
    groups: dict[tuple[str, str], list[Benefit]] = {}
    for b in benefits:
        groups.setdefault((b.indicator, b.unit), []).append(b)
    return {
        (indicator, unit): (
            sum_indicator(rows, indicator, "planned"),
            sum_indicator(rows, indicator, "achieved"),
        )
        for (indicator, unit), rows in groups.items()
    }


@dataclass(frozen=True)
class ProjectFigures:
    """One project's sums of its own fund and benefit rows.

    ``exact``: no sum was rounded, so sums of these sums equal sums of the rows
    in any order, to the last digit and exponent.
    """

    allocated: Decimal
    disbursed: Decimal
    indicators: dict[str, tuple[Decimal, Decimal]]
    benefits: BenefitSums
    exact: bool


T = TypeVar("T")


class ModelFigures:
    """Each project's figures, computed once, and sums of them over sets of projects.

    A sum over projects adds each project's subtotal instead of every row. Decimal
    addition is exact until a result needs rounding; any rounding (or a value that
    is not finite) sends the sum back to the rows, so results never change.
    """

    def __init__(self, model: Model) -> None:
        self.model = model
        self._projects: dict[str, ProjectFigures] = {}
        self._totals: dict[tuple[str, ...], Totals] = {}  # several pages show the same set

    def of(self, project_id: str) -> ProjectFigures:
        """The figures of one project (or of the rows naming an unknown project id)."""
        found = self._projects.get(project_id)
        if found is None:
            found = _exactly(
                lambda: self._figures(project_id, exact=True),
                lambda: self._figures(project_id, exact=False),
            )
            self._projects[project_id] = found
        return found

    def _figures(self, project_id: str, *, exact: bool) -> ProjectFigures:
        funds = self.model.funds_of(project_id)
        benefits = self.model.benefits_of(project_id)
        indicators = {b.indicator for b in benefits}
        figures = ProjectFigures(
            allocated=sum_funds(funds, "allocation"),
            disbursed=sum_funds(funds, "disbursement"),
            indicators={
                i: (sum_indicator(benefits, i, "planned"), sum_indicator(benefits, i, "achieved"))
                for i in indicators
            },
            benefits=benefit_sums_of_rows(benefits),
            exact=exact,
        )
        if exact and not _all_finite(figures):
            raise Rounded  # not finite: take the rows' way
        return figures

    def totals(self, projects: Sequence[Project]) -> Totals:
        """What ``totals_from_rows`` gives, from the projects' figures."""
        ids = tuple(p.id for p in projects)
        found = self._totals.get(ids)
        if found is None:
            found = self._totals_of(projects)
            if all(self.model.projects.get(p.id) is p for p in projects):  # the model's own
                self._totals[ids] = found
        return found

    def _totals_of(self, projects: Sequence[Project]) -> Totals:
        figures = [self.of(p.id) for p in projects]
        if not all(f.exact for f in figures):
            return totals_from_rows(self.model, projects)
        return _exactly(
            lambda: _totals_of(projects, figures),
            lambda: totals_from_rows(self.model, projects),
        )

    def benefit_sums(self, projects: Iterable[Project]) -> BenefitSums:
        """What ``benefit_sums_of_rows`` gives for the projects' benefit rows."""
        ids = [p.id for p in projects]
        figures = [self.of(i) for i in ids]
        if all(f.exact for f in figures):
            return _exactly(lambda: _benefit_sums_of(figures), partial(self._benefit_rows, ids))
        return self._benefit_rows(ids)

    def _benefit_rows(self, ids: Sequence[str]) -> BenefitSums:
        return benefit_sums_of_rows(b for i in ids for b in self.model.benefits_of(i))


def _totals_of(projects: Sequence[Project], figures: Sequence[ProjectFigures]) -> Totals:
    # One pass over the figures: the hot loop of every total the pages show.
    allocated = disbursed = households = households_done = people = people_done = ZERO
    for f in figures:
        allocated += f.allocated
        disbursed += f.disbursed
        if "households" in f.indicators:
            planned, achieved = f.indicators["households"]
            households, households_done = households + planned, households_done + achieved
        if "people" in f.indicators:
            planned, achieved = f.indicators["people"]
            people, people_done = people + planned, people_done + achieved
    statuses = Counter(p.status for p in projects)
    return Totals(
        projects=len(projects),
        completed=statuses["completed"],
        cancelled=statuses["cancelled"],
        allocated=allocated,
        disbursed=disbursed,
        budget=sum((p.budget for p in projects), ZERO),
        households_planned=households,
        households_achieved=households_done,
        people_planned=people,
        people_achieved=people_done,
    )


def _benefit_sums_of(figures: Iterable[ProjectFigures]) -> BenefitSums:
    planned: dict[tuple[str, str], Decimal] = {}
    achieved: dict[tuple[str, str], Decimal] = {}
    for f in figures:
        for key, (p, a) in f.benefits.items():
            planned[key] = planned.get(key, ZERO) + p
            achieved[key] = achieved.get(key, ZERO) + a
    return {key: (planned[key], achieved[key]) for key in planned}


def _all_finite(figures: ProjectFigures) -> bool:
    values = [figures.allocated, figures.disbursed]
    for pair in (*figures.indicators.values(), *figures.benefits.values()):
        values += pair
    return all(v.is_finite() for v in values)


def _exactly(compute: Callable[[], T], otherwise: Callable[[], T]) -> T:
    # Rounding makes a sum depend on the order of its additions: trap it, and let
    # ``otherwise`` add the rows in their own order instead.
    context = getcontext().copy()
    context.traps[Rounded] = True
    try:
        with localcontext(context):
            return compute()
    except ArithmeticError:
        return otherwise()


# Every page kind of a build reads the same model: its figures are computed once.
figures_of = per_model(ModelFigures)

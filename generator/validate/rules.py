"""Domain rules: what a schema cannot say, each a small check object in one registry.

Model rules run on the typed model (built only when the schema-level checks
passed); package rules run on the loaded tables of every package, because they
compare packages with each other. Positions are the rows' origins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from typing import Protocol

from generator import fmt
from generator.cache import Cache
from generator.figures import FUND_BASES, covered_values
from generator.load import DataPackage, Table, memo_by_table
from generator.model import (
    ENTITY_TYPES,
    Entity,
    Fund,
    Model,
    Project,
    ReportedTotal,
    canonical_schema,
)
from generator.problems import Problem, Severity, error, warning
from generator.validate.edges import EDGE_RULES
from generator.validate.privacy import PersonalData
from generator.validate.tablerules import TableRule

ZERO = Decimal(0)
RESOURCE_OF = {kind: name for name, kind in ENTITY_TYPES.items()}


class Rule(Protocol):
    """A domain rule on the model: a stable code, a severity, what it checks."""

    code: str
    severity: Severity
    description: str

    def check(self, model: Model) -> Iterator[Problem]:
        """Yield a problem for each place the model breaks the rule."""
        ...


class PackageRule(Protocol):
    """A domain rule on the loaded tables of all packages together."""

    code: str
    severity: Severity
    description: str

    def check(self, packages: list[DataPackage]) -> Iterator[Problem]:
        """Yield a problem for each place the packages break the rule."""
        ...


def report(
    rule: Rule | PackageRule, entity: Entity, field: str, message: str, **extra: str
) -> Problem:
    """Make the rule's problem at an entity's row."""
    make = error if rule.severity == "error" else warning
    return make(
        rule.code,
        message,
        path=entity.origin.path,
        row=entity.origin.row,
        field=field,
        package=entity.package,
        resource=RESOURCE_OF.get(type(entity)),
        **extra,
    )


def yuan(amount: Decimal) -> str:
    """Write an amount as the site does: thousands separators, no exponent."""
    return fmt.number(amount)


def difference(found: Decimal, stated: Decimal) -> str:
    """``"20000 more than"`` or ``"20000 less than"``: the gap in words."""
    side = "more than" if found > stated else "less than"
    return f"{yuan(abs(found - stated))} {side}"


# Money


class DisbursedExceedsAllocated:
    code = "disbursed-exceeds-allocated"
    severity: Severity = "error"
    description = (
        "Per project and funding source, the disbursements add up to more than the allocations."
    )

    def check(self, model: Model) -> Iterator[Problem]:
        for project_id in model.projects:
            by_source: dict[str, list[Fund]] = defaultdict(list)
            for fund in model.funds_of(project_id):
                by_source[fund.source_type].append(fund)
            for source_type, funds in by_source.items():
                yield from self._check_source(project_id, source_type, funds)

    def _check_source(self, project_id: str, source: str, funds: list[Fund]) -> Iterator[Problem]:
        allocated = sum((f.amount for f in funds if f.transaction_type == "allocation"), ZERO)
        paid = ZERO
        for fund in sorted(funds, key=lambda f: f.origin.row):
            if fund.transaction_type != "disbursement":
                continue
            paid += fund.amount
            if paid > allocated:
                yield report(
                    self,
                    fund,
                    "amount",
                    f"with this row the {source} funds paid out to project {project_id} reach "
                    f"{yuan(paid)} yuan, more than the {yuan(allocated)} yuan allocated: check "
                    "the amounts or add the missing allocation row",
                    value=fmt.plain(fund.amount),
                )
                return


class BudgetMismatch:
    code = "budget-mismatch"
    severity: Severity = "warning"
    description = (
        "A project's allocations do not add up to its declared budget "
        "(checked once the project has allocation rows)."
    )

    def check(self, model: Model) -> Iterator[Problem]:
        for project in model.projects.values():
            allocations = [
                f.amount for f in model.funds_of(project.id) if f.transaction_type == "allocation"
            ]
            allocated = sum(allocations, ZERO)
            if allocations and allocated != project.budget:
                yield report(
                    self,
                    project,
                    "budget",
                    f"the allocations of project {project.id} add up to {yuan(allocated)} yuan, "
                    f"{difference(allocated, project.budget)} its budget of "
                    f"{yuan(project.budget)} yuan: correct the budget or the fund rows",
                    value=fmt.plain(project.budget),
                )


# Dates and progress


class DatesOutOfOrder:
    code = "dates-out-of-order"
    severity: Severity = "error"
    description = (
        "An end date before its start date: planned_end < planned_start, actual_end < "
        "actual_start (projects), notice_end < date (announcements)."
    )

    def check(self, model: Model) -> Iterator[Problem]:
        for p in model.projects.values():
            yield from self._pair(p, "planned_start", "planned_end")
            yield from self._pair(p, "actual_start", "actual_end")
        for a in model.announcements.values():
            yield from self._pair(a, "date", "notice_end")

    def _pair(self, entity: Entity, start: str, end: str) -> Iterator[Problem]:
        first, last = getattr(entity, start), getattr(entity, end)
        if first is not None and last is not None and last < first:
            yield report(
                self,
                entity,
                end,
                f"{end} {last.isoformat()} is before {start} {first.isoformat()}: "
                "one of the two dates is wrong",
                value=last.isoformat(),
            )


class CompletedWithoutAchievement:
    code = "completed-without-achievement"
    severity: Severity = "error"
    description = (
        "A completed project without benefit rows, or with a benefit row whose achieved "
        "value is empty."
    )

    def check(self, model: Model) -> Iterator[Problem]:
        for project in model.projects.values():
            if project.status == "completed":
                yield from self._check_project(model, project)

    def _check_project(self, model: Model, project: Project) -> Iterator[Problem]:
        benefits = model.benefits_of(project.id)
        if not benefits:
            yield report(
                self,
                project,
                "status",
                f"project {project.id} is completed but has no benefit rows: add what it "
                "achieved (benefits.csv), or correct its status",
                value=project.status,
            )
        for benefit in benefits:
            if benefit.achieved is None:
                yield report(
                    self,
                    benefit,
                    "achieved",
                    f"project {project.id} is completed but this {benefit.indicator} row has "
                    "no achieved value: fill it in",
                )


# References


def funding_sources() -> frozenset[str]:
    """The funding sources the funds schema allows."""
    field = next(f for f in canonical_schema("funds")["fields"] if f["name"] == "source_type")
    return frozenset(field["constraints"]["enum"])


def benefit_indicators() -> frozenset[str]:
    """The indicators the benefits schema allows."""
    field = next(f for f in canonical_schema("benefits")["fields"] if f["name"] == "indicator")
    return frozenset(field["constraints"]["enum"])


def unknown_filters(model: Model, total: ReportedTotal) -> Iterator[tuple[str, str]]:
    """Yield (field, value) for each filter value of a reported total that does not exist."""
    known: dict[str, Iterable[str]] = {
        "program": model.programs,
        "source_type": funding_sources(),
        "region": model.regions,
        "project": model.projects,
    }
    for field, values in known.items():
        for value in getattr(total, field):
            if value not in values:
                yield field, value


class UnknownReference:
    code = "unknown-reference"
    severity: Severity = "error"
    description = (
        "An announcement names a project that does not exist, or a reported total filters on "
        "a program, funding source, region or project that does not exist."
    )

    def check(self, model: Model) -> Iterator[Problem]:
        for notice in model.announcements.values():
            for project_id in notice.projects:
                if project_id not in model.projects:
                    yield self._report(notice, "projects", project_id)
        for total in model.reported_totals:
            for field, value in unknown_filters(model, total):
                yield self._report(total, field, value)

    def _report(self, entity: Entity, field: str, value: str) -> Problem:
        return report(
            self,
            entity,
            field,
            f'{field} names "{value}", which does not exist: correct it, or add the missing '
            "row (several values are separated by semicolons)",
            value=value,
        )


class RegionCycle:
    code = "region-cycle"
    severity: Severity = "error"
    description = "A region lies within itself: following its parents leads back to it."

    def check(self, model: Model) -> Iterator[Problem]:
        reported: set[str] = set()
        for code in model.regions:
            cycle = _cycle_from(model, code)
            if cycle and not reported & set(cycle):
                reported.update(cycle)
                yield self._report(model, cycle)

    def _report(self, model: Model, cycle: list[str]) -> Problem:
        first = min((model.regions[c] for c in cycle), key=lambda r: (r.origin.path, r.origin.row))
        loop = " → ".join([*cycle[cycle.index(first.code) :], *cycle[: cycle.index(first.code)]])
        return report(
            self,
            first,
            "parent",
            f"region {first.code} lies within itself ({loop} → {first.code}): correct the "
            "parent of one of these regions",
            value=first.parent or "",
        )


def _cycle_from(model: Model, code: str) -> list[str]:
    """The regions of the cycle ``code``'s parents run into, if ``code`` is on it."""
    seen: list[str] = []
    current: str | None = code
    while current is not None and current in model.regions and current not in seen:
        seen.append(current)
        current = model.regions[current].parent
    return seen if current == code else []


MEASURE_BASES = {"amount": FUND_BASES, "projects": ("count",)}


def allowed_bases(measure: str) -> tuple[str, ...]:
    """The bases a measure can be summed on (empty for an unknown measure)."""
    if measure in MEASURE_BASES:
        return MEASURE_BASES[measure]
    return ("planned", "achieved") if measure in benefit_indicators() else ()


class InvalidMeasure:
    code = "invalid-measure"
    severity: Severity = "error"
    description = (
        "A reported total whose measure and basis cannot be summed: amount with allocation or "
        "disbursement, projects with count, a benefit indicator with planned or achieved."
    )

    def check(self, model: Model) -> Iterator[Problem]:
        for total in model.reported_totals:
            bases = allowed_bases(total.measure)
            if not bases:
                yield report(
                    self,
                    total,
                    "measure",
                    "measure must be amount, projects or a benefit indicator "
                    "(e.g. households, people, road-km)",
                    value=total.measure,
                )
            elif total.basis not in bases:
                yield report(
                    self,
                    total,
                    "basis",
                    f"a total of {total.measure} is summed on {' or '.join(bases)}",
                    value=total.basis,
                )


class ReportedTotalMismatch:
    code = "reported-total-mismatch"
    severity: Severity = "warning"
    description = (
        "A figure the office states (reported_totals) differs from the sum of the rows it "
        "covers, computed the way the site computes it."
    )

    def check(self, model: Model) -> Iterator[Problem]:
        totals = [total for total in model.reported_totals if self._checkable(model, total)]
        for total, computed in zip(totals, covered_values(model, totals), strict=True):
            if computed != total.value:
                yield report(
                    self,
                    total,
                    "value",
                    f"the statement gives {yuan(total.value)} but the rows it covers add up to "
                    f"{yuan(computed)}, {difference(computed, total.value)} stated: check the "
                    "figure, the rows, or the total's filters",
                    value=fmt.plain(total.value),
                )

    def _checkable(self, model: Model, total: ReportedTotal) -> bool:
        """Only totals whose measure and filters are valid (else another rule reports them)."""
        return total.basis in allowed_bases(total.measure) and not any(
            unknown_filters(model, total)
        )


RULES: tuple[Rule, ...] = (
    DisbursedExceedsAllocated(),
    BudgetMismatch(),
    DatesOutOfOrder(),
    CompletedWithoutAchievement(),
    UnknownReference(),
    RegionCycle(),
    InvalidMeasure(),
    ReportedTotalMismatch(),
)


def validate_rules(model: Model) -> list[Problem]:
    """Run every model rule and return their problems."""
    return [problem for rule in RULES for problem in rule.check(model)]


# Across packages


ONE_OWNER = ("projects", "funds", "benefits", "announcements", "reported_totals")
SHARED = ("regions", "organizations", "programs")


@dataclass(frozen=True)
class _Seen:
    table: Table
    row: int
    cells: dict[str, str]


class DuplicateId:
    code = "duplicate-id"
    severity: Severity = "error"
    description = (
        "The same project, fund, benefit, announcement or reported-total id in two packages. "
        "(Regions, organizations and programs may repeat across packages when identical; "
        "see conflicting-definition.)"
    )

    def check(self, packages: list[DataPackage]) -> Iterator[Problem]:
        for name in ONE_OWNER:
            for first, again in _repeats(packages, name):
                key = _key(again.table)
                yield _at(
                    self,
                    again,
                    key,
                    f'the {key} "{again.cells[key]}" is already used in {first.table.path} row '
                    f"{first.row}: each {key} may appear in one package only",
                    again.cells[key],
                )


class ConflictingDefinition:
    code = "conflicting-definition"
    severity: Severity = "error"
    description = "A region, organization or program defined in two packages with different values."

    def check(self, packages: list[DataPackage]) -> Iterator[Problem]:
        for name in SHARED:
            for first, again in _repeats(packages, name):
                differing = [k for k in again.cells if again.cells[k] != first.cells.get(k, "")]
                if differing:
                    key = _key(again.table)
                    yield _at(
                        self,
                        again,
                        differing[0],
                        f'{name} "{again.cells[key]}" is also defined in {first.table.path} row '
                        f"{first.row}, differently ({', '.join(differing)}): a row shared by "
                        "packages must be identical in each",
                        again.cells[differing[0]],
                    )


def _key(table: Table) -> str:
    return "code" if table.name == "regions" else "id"


def _repeats(packages: list[DataPackage], name: str) -> Iterator[tuple[_Seen, _Seen]]:
    """Yield (first, repeat) for each key of table ``name`` seen in an earlier package."""
    tables = [package.tables[name] for package in packages if name in package.tables]
    if len(tables) < 2:
        return  # a key repeats only across packages
    first_seen: dict[str, _Seen] = {}
    for table in tables:
        here: dict[str, _Seen] = {}
        for row, cells in zip(table.row_numbers, table.rows, strict=True):
            value = cells.get(_key(table), "")
            if not value:
                continue
            if value in first_seen:
                yield first_seen[value], _Seen(table, row, cells)
            here.setdefault(value, _Seen(table, row, cells))
        for value, seen in here.items():
            first_seen.setdefault(value, seen)


def _at(rule: PackageRule, seen: _Seen, field: str, message: str, value: str) -> Problem:
    return error(
        rule.code,
        message,
        path=seen.table.path,
        row=seen.row,
        field=field,
        value=value,
        package=seen.table.package,
        resource=seen.table.name,
    )


PACKAGE_RULES: tuple[PackageRule, ...] = (
    DuplicateId(),
    ConflictingDefinition(),
    PersonalData(),
    *EDGE_RULES,
)
TABLE_RULES = tuple(rule for rule in PACKAGE_RULES if isinstance(rule, TableRule))


def validate_packages(packages: list[DataPackage], cache: Cache | None = None) -> list[Problem]:
    """Run every package rule and return their problems.

    What the rules that look at one file at a time find in a table is kept in
    ``cache`` under the table's key, and in memory for the next run in this process,
    which reruns them on the rows an edit changed only.
    """
    memo = cache or Cache(None)
    tables = [t for p in packages for t in p.tables.values()]
    found = {id(t): table_findings(t, memo) for t in tables}
    _last_findings.clear()
    _last_findings.update((_place(t), (t, found[id(t)])) for t in tables)
    problems: list[Problem] = []
    for rule in PACKAGE_RULES:
        if isinstance(rule, TableRule):
            problems.extend(_cached_findings(rule, packages, found))
        else:
            problems.extend(rule.check(packages))
    return problems


Findings = dict[str, tuple[Problem, ...]]  # by rule code

# The tables of the last ``validate_packages`` in this process, with what the rules found
# in them, by place: a table edited since is checked again on its changed rows only.
_last_findings: dict[tuple[str, str, str], tuple[Table, Findings]] = {}


def _place(table: Table) -> tuple[str, str, str]:
    return table.package, table.name, table.path


def table_findings(table: Table, cache: Cache) -> Findings:
    """What each rule that looks at one file at a time finds in ``table``, by rule code."""
    return memo_by_table(cache, "table-rules", table, lambda: _findings_by_rows(table))


def _find(table: Table) -> Findings:
    return {rule.code: tuple(rule.check_table(table)) for rule in TABLE_RULES}


def _findings_by_rows(table: Table) -> Findings:
    """``_find(table)``, from the last run's findings in the rows this table shares with it."""
    last = _last_findings.get(_place(table))
    if last is None or not table.read_alike(last[0]):
        return _find(table)
    merged = _merged(table, table.changed_rows(last[0]), last[1])
    return _find(table) if merged is None else merged


def _merged(table: Table, changed: list[int], last: Findings) -> Findings | None:
    """The last findings in the unchanged rows with those in the changed rows, in the order
    the rules find them (``TableRule``); ``None`` if a finding has no row or field to order by."""
    fresh = _find(table.subset(changed))
    position = {number: index for index, number in enumerate(table.row_numbers)}
    redone = {table.row_numbers[i] for i in changed}
    fields = {f["name"]: i for i, f in enumerate(canonical_schema(table.name)["fields"])}
    merged: Findings = {}
    for code, problems in fresh.items():
        kept = [p for p in last.get(code, ()) if p.row in position and p.row not in redone]
        order = [(fields.get(p.field or ""), position.get(p.row or 0)) for p in [*kept, *problems]]
        if code not in last or any(None in place for place in order):
            return None
        ordered = sorted(zip(order, [*kept, *problems], strict=True), key=itemgetter(0))
        merged[code] = tuple(p for _, p in ordered)
    return merged


def _cached_findings(
    rule: TableRule, packages: list[DataPackage], found: dict[int, Findings]
) -> Iterator[Problem]:
    """The rule's problems in the order its ``check`` gives them, tables' from ``found``."""
    for package in packages:
        yield from rule.check_descriptor(package)
        for table in package.tables.values():
            yield from found[id(table)][rule.code]


def describe_rules() -> str:
    """The rule registry as a Markdown table (code, severity, what it checks), for the docs."""
    lines = ["| code | severity | checks |", "|---|---|---|"]
    registry: list[Rule | PackageRule] = [*RULES, *PACKAGE_RULES]
    for rule in registry:
        lines.append(f"| `{rule.code}` | {rule.severity} | {rule.description} |")
    return "\n".join(lines) + "\n"

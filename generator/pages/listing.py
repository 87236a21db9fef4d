"""Which projects a list shows: the largest by allocation, when there are too many.

A place, program, year or funding-source page lists at most ``PROJECT_LIST_LIMIT``
projects. The page and the key of its memo (``pages.inputs``) both ask this module,
so a page is keyed by the words of exactly the projects it shows: a corrected title
of a project it does not show leaves it as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from generator.figures import ZERO, sum_funds
from generator.model import Fund, Model, Project, per_model
from generator.reuse import Kept

PROJECT_LIST_LIMIT = 200


def shown_projects(model: Model, projects: Sequence[Project]) -> list[Project]:
    """The projects a list shows: all of them, or the largest ``PROJECT_LIST_LIMIT``.

    Largest by allocated money (the rows' sum, as ``figures`` adds it), then by id.
    """
    if len(projects) <= PROJECT_LIST_LIMIT:
        return list(projects)
    allocated = allocated_of(model)
    ranked = sorted(projects, key=lambda p: (-allocated[p.id], p.id))
    return ranked[:PROJECT_LIST_LIMIT]


def _allocated(model: Model) -> dict[str, Decimal]:
    # What ``figures_of(model).of(id).allocated`` is, without the rest of the figures:
    # the same rows added in the same order give the same Decimal. A project's sum is
    # found again while its fund rows are the same tuple (the live preview).
    _sums.start()
    return {pid: _sum_allocated(pid, model.funds_of(pid)) for pid in model.projects}


def _sum_allocated(pid: str, funds: tuple[Fund, ...]) -> Decimal:
    return _sums.get(pid, (funds,), lambda: sum_funds(funds, "allocation"))


_sums = Kept()


allocated_of = per_model(_allocated)


def shown_funded(funds: Iterable[Fund]) -> list[str]:
    """Ids of the projects a funding-source page lists: the largest by these rows' allocations."""
    allocated: dict[str, Decimal] = {}
    for fund in funds:
        sums = allocated.setdefault(fund.project, ZERO)
        if fund.transaction_type == "allocation":
            allocated[fund.project] = sums + fund.amount
    ranked = sorted(allocated, key=lambda pid: (-allocated[pid], pid))
    return ranked[:PROJECT_LIST_LIMIT]

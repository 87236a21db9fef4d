"""Edge rules: numbers and dates frictionless reads, but that Sunshine must not publish.

Frictionless reads ``NaN``, ``Infinity``, ``1e15``, ``1_000``, full-width digits
and ``2019-1-5`` as valid numbers and dates, and any date from 0001-01-01 on.
These rules look at the cells as written (the raw text), so they run on every
package, together with the schema-level checks, and stop the build before the
model is built from values it cannot convert. Negative amounts are left to the
schemas (``minimum: 0``), values over a limit to their ``maximum``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from generator.load import Table
from generator.model import canonical_schema
from generator.problems import Problem, Severity, error, warning
from generator.validate.messages import date_hint
from generator.validate.tablerules import TableRule

NON_FINITE = re.compile(r"[+-]?(s?nan[0-9]*|inf|infinity)", re.IGNORECASE)
SIGNALLING_NAN = re.compile(r"[+-]?snan[0-9]*", re.IGNORECASE)
PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
PLAIN_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
FIRST_DATE = dt.date(1949, 10, 1)
LAST_DATE = dt.date(2100, 12, 31)
# Amounts in yuan (CNY): the smallest unit is the fen, 0.01 yuan.
MONEY_FIELDS = frozenset(
    {("funds", "amount"), ("projects", "budget"), ("projects", "subsidy_standard")}
)
MONEY_DECIMALS = 2
_FIRST_ISO, _LAST_ISO = FIRST_DATE.isoformat(), LAST_DATE.isoformat()


@dataclass(frozen=True)
class Cell:
    """One cell as written, with where it is."""

    table: Table
    index: int  # of the row in the table's records
    row: int
    field: str
    type: str
    raw: str

    @property
    def cells(self) -> dict[str, str]:
        """The whole row, by column name."""
        return self.table.rows[self.index]


def cells_of_type(
    table: Table, types: tuple[str, ...], suspect: Callable[[str], bool]
) -> Iterator[Cell]:
    """Yield every non-empty cell of a field of one of ``types`` that ``suspect`` flags.

    ``suspect`` is a quick test of the raw text, so the plain cells (nearly all of
    them, in packages of hundreds of thousands of rows) cost one call each.
    """
    for field in canonical_schema(table.name)["fields"]:
        if field["type"] in types:
            yield from _suspect_cells(table, field["name"], field["type"], suspect)


def _suspect_cells(
    table: Table, name: str, field_type: str, suspect: Callable[[str], bool]
) -> Iterator[Cell]:
    cells = table.column(name)
    # a column repeats its values: test each distinct one once, then find the rows
    flagged = {raw for raw in set(cells) if raw and suspect(raw) and raw.strip()}
    if not flagged:
        return
    for index, (row, raw) in enumerate(zip(table.row_numbers, cells, strict=True)):
        if raw in flagged:
            yield Cell(table, index, row, name, field_type, raw)


def cell_problem(
    rule: Checks, cell: Cell, message: str, value: str, hint: str | None = None
) -> Problem:
    """Make the rule's problem at a cell."""
    make = error if rule.severity == "error" else warning
    return make(
        rule.code,
        message,
        path=cell.table.path,
        row=cell.row,
        field=cell.field,
        value=value,
        hint=hint,
        package=cell.table.package,
        resource=cell.table.name,
    )


class Checks(TableRule):
    """What every rule here has: a stable code, a severity, what it checks, one table at a time."""


@functools.cache
def _readers() -> dict[str, Any]:
    """The cell readers frictionless validates with: these rules look at what it accepted."""
    import frictionless  # when a cell needs it: a run from the cache may need no frictionless

    return {
        "number": frictionless.fields.NumberField(name="number"),
        "integer": frictionless.fields.IntegerField(name="integer"),
        "date": frictionless.fields.DateField(name="date"),
    }


def read_as(field_type: str, raw: str) -> Any:
    """The value frictionless reads from a cell of ``field_type``, ``None`` if it refuses it."""
    value, notes = _readers()[field_type].read_cell(raw)
    return None if notes else value


def finite(raw: str) -> Decimal | None:
    """The number a cell holds as frictionless reads it, ``None`` if none or not finite."""
    number = read_as("number", raw)
    return Decimal(number) if number is not None and Decimal(number).is_finite() else None


def is_non_finite(raw: str) -> bool:
    """Tell whether a cell is NaN or an infinity, which frictionless reads as numbers."""
    return NON_FINITE.fullmatch(raw.strip()) is not None


def signalling_nans(table: Table) -> list[str]:
    """The cells of a table's number fields that Python reads as a signalling NaN.

    Frictionless crashes comparing one with a limit (decimal.InvalidOperation);
    schema-level validation reads them as missing instead, NotANumber reports them.
    """
    fields = [f["name"] for f in canonical_schema(table.name)["fields"] if f["type"] == "number"]
    # every match holds an "n" or "N": a column of plain numbers is passed over at once
    columns = [c for c in map(table.column, fields) if _may_hold_nan("".join(c))]
    cells = set().union(*columns)
    return sorted(c for c in cells if SIGNALLING_NAN.fullmatch(c.strip()))


def _may_hold_nan(text: str) -> bool:
    return "n" in text or "N" in text


def _not_plain_number(raw: str) -> bool:
    return PLAIN_NUMBER.fullmatch(raw) is None


def _maybe_fractions(raw: str) -> bool:
    return _not_plain_number(raw) or ("." in raw and len(raw.rpartition(".")[2]) > MONEY_DECIMALS)


def _not_plain_date(raw: str) -> bool:
    return PLAIN_DATE.fullmatch(raw) is None


def _maybe_out_of_range(raw: str) -> bool:
    # plain ISO dates compare as text
    return _not_plain_date(raw) or not _FIRST_ISO <= raw <= _LAST_ISO


# Numbers


class NotANumber(Checks):
    code = "not-a-number"
    severity: Severity = "error"
    description = (
        "NaN or Infinity in a number field (frictionless reads them as numbers; a spreadsheet "
        "writes them for a failed formula)."
    )

    def check_table(self, table: Table) -> Iterator[Problem]:
        for cell in cells_of_type(table, ("number", "integer"), is_non_finite):
            yield cell_problem(
                self,
                cell,
                f'{cell.field} must be a number, and "{cell.raw.strip()}" is not one (a '
                "spreadsheet writes it for a formula that failed): write the figure itself",
                cell.raw,
            )


class NumberFormat(Checks):
    code = "number-format"
    severity: Severity = "error"
    description = (
        "A number not written with plain digits 0-9: exponent (1e15), underscores (1_000), "
        "a plus sign, full-width or other digits. Frictionless reads them, other tools may not."
    )

    def check_table(self, table: Table) -> Iterator[Problem]:
        for cell in cells_of_type(table, ("number", "integer"), _not_plain_number):
            written = cell.raw.strip()
            number = finite(written) if read_as(cell.type, written) is not None else None
            if number is None or PLAIN_NUMBER.fullmatch(written):
                continue  # refused by the schema check, or not-a-number's
            plain = format(number, "f")
            yield cell_problem(
                self,
                cell,
                f"{cell.field} must be written with the digits 0-9 only, a minus sign and a "
                "decimal point, without exponent, underscores or plus sign (a spreadsheet "
                "writes 1E+15 for a long number and may drop digits)",
                cell.raw,
                hint=f"write {plain} not {written}" if PLAIN_NUMBER.fullmatch(plain) else None,
            )


def money_cells(table: Table) -> Iterator[Cell]:
    """Amounts in yuan: fund amounts, budgets, subsidy standards and stated money totals."""
    for cell in cells_of_type(table, ("number",), _maybe_fractions):
        if (cell.table.name, cell.field) in MONEY_FIELDS or _stated_amount(cell):
            yield cell


def _stated_amount(cell: Cell) -> bool:
    return cell.table.name == "reported_totals" and cell.cells.get("measure") == "amount"


def decimal_places(number: Decimal) -> int:
    """Decimal places a number needs (trailing zeros do not count)."""
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


class TooManyDecimals(Checks):
    code = "too-many-decimals"
    severity: Severity = "error"
    description = (
        "An amount in yuan with more than 2 decimal places (funds.amount, projects.budget, "
        "projects.subsidy_standard, reported totals of amounts): the fen is the smallest unit."
    )

    def check_table(self, table: Table) -> Iterator[Problem]:
        for cell in money_cells(table):
            number = finite(cell.raw)
            if number is not None and decimal_places(number) > MONEY_DECIMALS:
                yield cell_problem(
                    self,
                    cell,
                    f"{cell.field} is an amount in yuan with {decimal_places(number)} decimal "
                    "places, but yuan have at most 2 (fen): round it to the fen",
                    cell.raw,
                    hint=_decimals_hint(cell.raw.strip(), number),
                )


def _decimals_hint(written: str, number: Decimal) -> str:
    rounded = format(number.quantize(Decimal("0.01")).normalize(), "f")
    if re.fullmatch(r"[0-9]{1,3}(\.[0-9]{3})+", written):
        return f"write {rounded}; or, if the points separate thousands, {written.replace('.', '')}"
    return f"write {rounded} not {written}"


# Dates


class DateFormat(Checks):
    code = "date-format"
    severity: Severity = "error"
    description = (
        "A date frictionless reads but that is not written YYYY-MM-DD with the digits 0-9 "
        "(2019-1-5, full-width digits)."
    )

    def check_table(self, table: Table) -> Iterator[Problem]:
        for cell in cells_of_type(table, ("date",), _not_plain_date):
            if read_as("date", cell.raw) is not None:
                yield cell_problem(
                    self,
                    cell,
                    f"{cell.field} must be a date written YYYY-MM-DD with the digits 0-9, "
                    "like 2019-03-05",
                    cell.raw,
                    hint=date_hint(cell.raw),
                )


class DateOutOfRange(Checks):
    code = "date-out-of-range"
    severity: Severity = "error"
    description = (
        "A date before 1949-10-01 or after 2100-12-31 (frictionless accepts any date from "
        "0001-01-01; such dates are typing errors or a spreadsheet's empty date)."
    )

    def check_table(self, table: Table) -> Iterator[Problem]:
        for cell in cells_of_type(table, ("date",), _maybe_out_of_range):
            date = read_as("date", cell.raw)
            if isinstance(date, dt.date) and not FIRST_DATE <= date <= LAST_DATE:
                yield cell_problem(
                    self,
                    cell,
                    f"{cell.field} {date.isoformat()} is outside the dates Sunshine publishes, "
                    f"{FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}: check the year "
                    "(a spreadsheet shows an empty date as 1900-01-00 or 1899-12-30)",
                    cell.raw,
                )


EDGE_RULES = (NotANumber(), NumberFormat(), TooManyDecimals(), DateFormat(), DateOutOfRange())

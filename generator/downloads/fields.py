"""Table Schema fields: typed values for JSON and Excel, and constraints in words.

The data has passed validation before it gets here, so a cell either is empty
(a missing value) or parses as its field's type; a cell that still does not parse
is kept as its text rather than dropped.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial
from typing import Any

Field = dict[str, Any]
Reader = Callable[[str], Any]  # a cell's text to its typed value

DEFAULT_TRUE = ("true", "True", "TRUE", "1")
DEFAULT_FALSE = ("false", "False", "FALSE", "0")
INTEGER_TYPES = ("integer", "year")


def fields_by_name(schema: dict[str, Any]) -> dict[str, Field]:
    """The schema's fields keyed by name (fields without a name are left out)."""
    fields = schema.get("fields")
    if not isinstance(fields, list):
        return {}
    return {f["name"]: f for f in fields if isinstance(f, dict) and isinstance(f.get("name"), str)}


def missing_values(schema: dict[str, Any]) -> frozenset[str]:
    """Cell texts that mean "no value" (Table Schema ``missingValues``, default ``""``)."""
    values = schema.get("missingValues", [""])
    if not isinstance(values, list):
        return frozenset({""})
    return frozenset(str(v) for v in values if isinstance(v, str))


def json_value(raw: str, field: Field | None, missing: frozenset[str]) -> Any:
    """A cell as a JSON value: numbers as numbers, booleans, lists as arrays, empty as null."""
    return json_reader(field, missing)(raw)


def excel_value(raw: str, field: Field | None, missing: frozenset[str]) -> Any:
    """A cell as a workbook value: numbers, booleans and dates typed, the rest text."""
    return excel_reader(field, missing)(raw)


def json_reader(field: Field | None, missing: frozenset[str]) -> Reader:
    """``json_value`` for every cell of a column: the field's type is looked up once."""
    kind = field.get("type", "string") if field else "string"
    if kind == "list":
        return _unless_missing(missing, partial(_list, field=field or {}))
    return _unless_missing(missing, _scalar_reader(kind, field or {}))


def excel_reader(field: Field | None, missing: frozenset[str]) -> Reader:
    """``excel_value`` for every cell of a column: the field's type is looked up once."""
    kind = field.get("type", "string") if field else "string"
    if kind == "date":
        return _unless_missing(missing, partial(_parsed, parse=_date))
    if kind in ("integer", "year", "number", "boolean"):
        return _unless_missing(missing, _scalar_reader(kind, field or {}))
    return _unless_missing(missing, None)


def _unless_missing(missing: frozenset[str], convert: Reader | None) -> Reader:
    """``None`` for a missing or blank cell, else the cell converted (``None``: as it is)."""
    if convert is None:
        return lambda raw: None if raw in missing or raw.strip() == "" else raw
    return lambda raw: None if raw in missing or raw.strip() == "" else convert(raw)


def _scalar_reader(kind: str, field: Field) -> Reader | None:
    if kind in INTEGER_TYPES:
        return partial(_parsed, parse=_integer)
    if kind == "number":
        return partial(_parsed, parse=number)
    if kind == "boolean":
        return partial(_boolean, field=field)
    return None


def _list(raw: str, field: Field) -> list[Any]:
    return [_item(item, field) for item in split_list(raw, field)]


def _integer(text: str) -> int:
    return int(text.strip())


def _date(text: str) -> date:
    return date.fromisoformat(text.strip())


def split_list(raw: str, field: Field) -> list[str]:
    """Items of a ``list`` cell, split on the field's delimiter (default ``,``)."""
    delimiter = str(field.get("delimiter", ","))
    return [item.strip() for item in raw.split(delimiter) if item.strip()]


def _item(raw: str, field: Field) -> Any:
    return _scalar(raw, str(field.get("itemType", "string")), field)


def _scalar(raw: str, kind: str, field: Field) -> Any:
    read = _scalar_reader(kind, field)
    return raw if read is None else read(raw)


def _parsed(raw: str, parse: Callable[[str], Any]) -> Any:
    try:
        return parse(raw)
    except (ValueError, ArithmeticError):
        return raw


def number(raw: str) -> int | float | str:
    """A decimal cell as an int when integral, else the float that prints as written.

    Going through ``Decimal`` and ``str`` keeps ``150000.5`` from picking up binary
    noise; values that are not finite stay text, since JSON has no NaN.
    """
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        return raw
    if not value.is_finite():
        return raw
    if value == value.to_integral_value():
        return int(value)
    as_float = float(str(value))
    return as_float if math.isfinite(as_float) else raw


def _boolean(raw: str, field: Field) -> bool | str:
    if raw in field.get("trueValues", DEFAULT_TRUE):
        return True
    if raw in field.get("falseValues", DEFAULT_FALSE):
        return False
    return raw


def is_required(field: Field) -> bool:
    """Whether the field must have a value in every row."""
    constraints = field.get("constraints")
    return isinstance(constraints, dict) and constraints.get("required") is True


def constraints_in_words(field: Field) -> str:
    """The field's constraints as a short English phrase, e.g. ``one of: a, b; at least 0``."""
    constraints = field.get("constraints")
    words = [_constraint_words(name, value) for name, value in _ordered(constraints)]
    if field.get("type") == "list":
        words.append(f'a list, items separated by "{field.get("delimiter", ",")}"')
    return "; ".join(w for w in words if w)


_CONSTRAINT_ORDER = ("unique", "enum", "minimum", "maximum", "minLength", "maxLength", "pattern")


def _ordered(constraints: Any) -> list[tuple[str, Any]]:
    if not isinstance(constraints, dict):
        return []
    return [(name, constraints[name]) for name in _CONSTRAINT_ORDER if name in constraints]


def _constraint_words(name: str, value: Any) -> str:
    if name == "unique":
        return "unique in the table" if value is True else ""
    if name == "enum" and isinstance(value, list):
        return "one of: " + ", ".join(str(v) for v in value)
    if name in ("minimum", "maximum"):
        return f"{'at least' if name == 'minimum' else 'at most'} {_plain_number(value)}"
    if name in ("minLength", "maxLength"):
        return f"{'at least' if name == 'minLength' else 'at most'} {value} characters"
    if name == "pattern":
        return f"matches the pattern {value}"
    return ""


def _plain_number(value: Any) -> str:
    """``1e13`` as ``10,000,000,000,000``: limits read as amounts, not exponents."""
    try:
        decimal = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if decimal == decimal.to_integral_value():
        return f"{int(decimal):,}"
    return f"{decimal:,f}"

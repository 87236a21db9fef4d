"""Table Schema fields: typed values for JSON and Excel, and constraints in words.

The data has passed validation before it gets here, so a cell either is empty
(a missing value) or parses as its field's type; a cell that still does not parse
is kept as its text rather than dropped.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

Field = dict[str, Any]

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
    if raw in missing or raw.strip() == "":
        return None
    kind = field.get("type", "string") if field else "string"
    if kind == "list":
        return [_item(item, field or {}) for item in split_list(raw, field or {})]
    return _scalar(raw, kind, field or {})


def excel_value(raw: str, field: Field | None, missing: frozenset[str]) -> Any:
    """A cell as a workbook value: numbers, booleans and dates typed, the rest text."""
    if raw in missing or raw.strip() == "":
        return None
    kind = field.get("type", "string") if field else "string"
    if kind == "date":
        return _parsed(raw, lambda text: date.fromisoformat(text.strip()))
    if kind in ("integer", "year", "number", "boolean"):
        return _scalar(raw, kind, field or {})
    return raw


def split_list(raw: str, field: Field) -> list[str]:
    """Items of a ``list`` cell, split on the field's delimiter (default ``,``)."""
    delimiter = str(field.get("delimiter", ","))
    return [item.strip() for item in raw.split(delimiter) if item.strip()]


def _item(raw: str, field: Field) -> Any:
    return _scalar(raw, str(field.get("itemType", "string")), field)


def _scalar(raw: str, kind: str, field: Field) -> Any:
    if kind in INTEGER_TYPES:
        return _parsed(raw, lambda text: int(text.strip()))
    if kind == "number":
        return _parsed(raw, number)
    if kind == "boolean":
        return _boolean(raw, field)
    return raw


def _parsed(raw: str, parse: Any) -> Any:
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

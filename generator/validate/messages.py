"""The wording of schema-level problems, in one place: what is wrong and how to fix it.

Messages are written for the clerk who keeps the spreadsheets: plain words, the
column, the limit, and where possible the corrected value ("write 12345.5 not
12,345.5"). Codes stay frictionless's, so scripts can match on them.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

ID_PATTERN = "^[a-z0-9][a-z0-9-]{0,63}$"
CONSTRAINT_NOTE = re.compile(r'constraint "(\w+)" is "(.*)"', re.DOTALL)
ROW_NOTE = re.compile(r"row at position (\d+)")


@dataclass(frozen=True)
class Facts:
    """What a frictionless error says, in the terms the wording needs."""

    code: str
    note: str = ""
    field: str | None = None
    value: str | None = None
    schema_field: dict[str, Any] = dataclasses.field(default_factory=dict)
    field_number: int | None = None
    file: str = ""
    reference: str = ""
    reference_fields: tuple[str, ...] = ()
    expected: tuple[str, ...] = ()

    @property
    def type(self) -> str:
        """The declared type of the field ("string" when unknown)."""
        return str(self.schema_field.get("type", "string"))

    @property
    def constraint(self) -> tuple[str, str]:
        """The violated constraint and its declared value, from the note."""
        match = CONSTRAINT_NOTE.search(self.note)
        return (match.group(1), match.group(2)) if match else ("", "")

    @property
    def other_row(self) -> str:
        """The earlier row a duplicate repeats, from the note."""
        match = ROW_NOTE.search(self.note)
        return match.group(1) if match else "?"


Wording = tuple[str, str | None]  # (message, concrete hint)


def describe(facts: Facts) -> Wording:
    """Return the message and the concrete hint for one schema-level problem."""
    words = _BY_CODE.get(facts.code)
    if words is not None:
        return words(facts)
    if not facts.file or facts.file.endswith("datapackage.json"):
        return f"{DESCRIPTOR_PROBLEM}: {facts.note}", None
    if facts.code in _FILE_ERRORS:
        return f"{facts.file} cannot be read: {facts.note}", None
    return f"{facts.file} cannot be checked: {facts.note}", None


DESCRIPTOR_PROBLEM = "datapackage.json is not a valid data package"
_FILE_ERRORS = frozenset(
    {"scheme-error", "source-error", "format-error", "compression-error", "resource-error"}
)


# Cells


def _type_error(facts: Facts) -> Wording:
    message = _TYPE_MESSAGES.get(facts.type, "{field} has the wrong kind of value").format(
        field=facts.field, unit=" of yuan" if _is_money(facts.schema_field) else ""
    )
    hint_for = _TYPE_HINTS.get(facts.type)
    return message, hint_for(facts.value or "") if hint_for else None


_TYPE_MESSAGES = {
    "number": "{field} must be a plain number{unit}, like 1234.5",
    "integer": "{field} must be a whole number, like 2019",
    "date": "{field} must be a real date written YYYY-MM-DD, like 2019-03-31",
    "boolean": "{field} must be true or false",
    "list": "{field} must be a list of values separated by semicolons, like a;b",
}


def _is_money(schema_field: dict[str, Any]) -> bool:
    return "yuan" in str(schema_field.get("title", ""))


def _constraint_error(facts: Facts) -> Wording:
    name, declared = facts.constraint
    words = _BY_CONSTRAINT.get(name)
    if words is None:
        return f"{facts.field} does not meet its {name} constraint ({declared})", None
    return words(facts, declared)


def _required(facts: Facts, declared: str) -> Wording:
    return f"{facts.field} is required: fill it in", None


def _pattern(facts: Facts, declared: str) -> Wording:
    if declared == ID_PATTERN:
        return ID_MESSAGE.format(field=facts.field), _id_hint(facts.value or "")
    if declared.startswith("^(https?://|mailto:)"):
        return (
            f"{facts.field} must be a web address starting with https:// or http://, "
            "or a mail address starting with mailto:, without spaces"
        ), None
    return f"{facts.field} must match the pattern {declared}", None


ID_MESSAGE = (
    "{field} is an identifier: it may only hold lowercase letters a-z, digits and hyphens, "
    "start with a letter or digit and be at most 64 characters long (so values like "
    '"../x", "a/b" or "a b" are not allowed), because identifiers become web addresses '
    "and file names"
)


def _id_hint(value: str) -> str | None:
    suggestion = re.sub(r"[^a-z0-9-]+", "-", value.strip().lower()).strip("-")[:64]
    return f'for example write "{suggestion}"' if suggestion and suggestion != value else None


def _enum(facts: Facts, declared: str) -> Wording:
    allowed = [str(v) for v in facts.schema_field.get("constraints", {}).get("enum", [])]
    message = f"{facts.field} must be one of: {', '.join(allowed)}"
    close = difflib.get_close_matches((facts.value or "").strip().lower(), allowed, n=1)
    return message, f'did you mean "{close[0]}"?' if close else None


def _minimum(facts: Facts, declared: str) -> Wording:
    if _number(declared) == 0:
        return f"{facts.field} cannot be negative", None
    return f"{facts.field} must be at least {declared}", None


def _maximum(facts: Facts, declared: str) -> Wording:
    limit = _number(declared)
    shown = _plain(limit) if limit is not None else declared
    return f"{facts.field} must be at most {shown}", None


def _max_length(facts: Facts, declared: str) -> Wording:
    length = len(facts.value or "")
    return (
        f"{facts.field} is {length} characters long, over the limit of {declared}: shorten it "
        "(quote the key passage and point to the document for the rest)"
    ), None


def _min_length(facts: Facts, declared: str) -> Wording:
    return f"{facts.field} must be at least {declared} characters long", None


_BY_CONSTRAINT: dict[str, Callable[[Facts, str], Wording]] = {
    "required": _required,
    "pattern": _pattern,
    "enum": _enum,
    "minimum": _minimum,
    "maximum": _maximum,
    "maxLength": _max_length,
    "minLength": _min_length,
}


def _unique_error(facts: Facts) -> Wording:
    return (
        f"{facts.field} repeats the value of row {facts.other_row}: "
        "each row needs its own, give this one a new value"
    ), None


def _primary_key(facts: Facts) -> Wording:
    if "all" in facts.note and "None" in facts.note:
        return "the row has no key: fill in its identifier", None
    return (
        f"the row repeats the key of row {facts.other_row}: give this row its own identifier"
    ), None


def _foreign_key(facts: Facts) -> Wording:
    target = facts.reference or "the referenced table"
    column = ", ".join(facts.reference_fields) or "id"
    return (
        f'{facts.field} "{facts.value}" matches no {column} in {target}: correct the value, '
        f"or add the missing row to {target}"
    ), None


# Rows and header


def _missing_cell(facts: Facts) -> Wording:
    return (
        f"the row has fewer values than the header: {facts.field} is missing. Look for a "
        "missing comma, or a value with a comma that is not in double quotes"
    ), None


def _extra_cell(facts: Facts) -> Wording:
    return (
        f"the row has more values than the header (an extra value in column "
        f"{facts.field_number}): put a value that contains a comma in double quotes, like "
        '"Roads, water", or delete the stray comma'
    ), None


def _blank_row(facts: Facts) -> Wording:
    return "the row is empty: delete it", None


def _extra_label(facts: Facts) -> Wording:
    close = difflib.get_close_matches(facts.field or "", facts.expected, n=1)
    hint = f'did you mean "{close[0]}"?' if close else None
    return (
        f'the column "{facts.field}" is not in the schema of {facts.file}: rename it to one '
        "of the schema's field names or delete it"
    ), hint


def _missing_label(facts: Facts) -> Wording:
    required = facts.schema_field.get("constraints", {}).get("required")
    leave = "it is required" if required else "its cells may stay empty"
    return f'the column "{facts.field}" is missing from the header: add it ({leave})', None


def _incorrect_label(facts: Facts) -> Wording:
    return (
        f'column {facts.field_number} is named "{facts.value}" but the schema expects '
        f'"{facts.field}" there'
    ), None


def _blank_label(facts: Facts) -> Wording:
    return f"column {facts.field_number} has no name in the header: name it or delete it", None


def _duplicate_label(facts: Facts) -> Wording:
    return (
        f'the column "{facts.field}" appears more than once in the header (column '
        f"{facts.field_number}): rename or delete the copy"
    ), None


def _blank_header(facts: Facts) -> Wording:
    return "the header row is empty: the first row must hold the column names", None


def _encoding_error(facts: Facts) -> Wording:
    return (
        f"{facts.file} cannot be decoded ({facts.note}): save it as CSV UTF-8, or declare "
        'its "encoding" on the resource'
    ), None


def _error_limit(facts: Facts) -> Wording:
    return (
        f"{facts.file} has more problems than are listed ({facts.note}): fix these and "
        "validate again"
    ), None


_BY_CODE: dict[str, Callable[[Facts], Wording]] = {
    "error-limit": _error_limit,
    "type-error": _type_error,
    "constraint-error": _constraint_error,
    "unique-error": _unique_error,
    "primary-key": _primary_key,
    "foreign-key": _foreign_key,
    "missing-cell": _missing_cell,
    "extra-cell": _extra_cell,
    "blank-row": _blank_row,
    "extra-label": _extra_label,
    "missing-label": _missing_label,
    "incorrect-label": _incorrect_label,
    "blank-label": _blank_label,
    "duplicate-label": _duplicate_label,
    "blank-header": _blank_header,
    "encoding-error": _encoding_error,
}


# Concrete hints: the value as it should have been written


def number_hint(value: str) -> str | None:
    """Suggest the plain number a clerk meant ("12万元" -> "120000"), if one is clear."""
    text = unicodedata.normalize("NFKC", value).strip()
    advice = ["use ordinary digits"] if text != value.strip() else []
    unit = re.search(r"万元|万|元|yuan|rmb|cny|¥", text, re.IGNORECASE)
    factor = Decimal(1)
    if unit:
        factor = Decimal(10000) if "万" in unit.group() else factor
        advice.append(
            "convert 万元 to yuan: multiply by 10,000" if factor > 1 else "leave out the unit"
        )
        text = text.replace(unit.group(), "").strip()
    if "," in text:
        advice.append("leave out the thousands separators")
        text = text.replace(",", "")
    amount = _number(text)
    if amount is None or not advice:
        return None
    return f"{'; '.join(advice)}: write {_plain(amount * factor)} not {value}"


def integer_hint(value: str) -> str | None:
    """Suggest the whole number a clerk meant ("2019年" -> "2019"), if one is clear."""
    digits = re.fullmatch(r"\s*(\d+)\s*年?\s*", unicodedata.normalize("NFKC", value))
    if digits and digits.group(1) != value:
        return f"write {digits.group(1)} not {value}"
    return number_hint(value)


DATE_PARTS = re.compile(r"\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*")


def date_hint(value: str) -> str | None:
    """Suggest the ISO date a clerk meant ("2019/3/5" -> "2019-03-05"), if one is clear."""
    parts = DATE_PARTS.fullmatch(unicodedata.normalize("NFKC", value))
    if parts:
        year, month, day = (int(p) for p in parts.groups())
        iso = f"{year:04d}-{month:02d}-{day:02d}"
        if iso != value:
            return f"write {iso} not {value}"
        return None
    if re.fullmatch(r"\d{5}", value.strip()):
        return "the spreadsheet turned the date into a number: format the column as text"
    return None


def boolean_hint(value: str) -> str | None:
    """Suggest true or false for yes/no words ("是" -> "true")."""
    word = value.strip().lower()
    if word in ("是", "yes", "y", "t", "对"):
        return f"write true not {value}"
    if word in ("否", "no", "n", "f", "不"):
        return f"write false not {value}"
    return None


_TYPE_HINTS: dict[str, Callable[[str], str | None]] = {
    "number": number_hint,
    "integer": integer_hint,
    "date": date_hint,
    "boolean": boolean_hint,
}


def _number(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _plain(number: Decimal) -> str:
    """Write a number without exponent or trailing zeros: 1.5E+4 -> 15000."""
    return format(number.normalize(), "f")

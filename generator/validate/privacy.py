"""Personal data: no resident identity number or mobile number is published unmasked.

What is found:

* an 18-character resident identity number (居民身份证号码): 17 digits and a digit
  or X, starting with a province code (or 9, permanent residence cards) and with
  a real birth date YYYYMMDD at positions 7-14. The ISO 7064 MOD 11-2 check digit
  is *not* required: a mistyped number still identifies a person, so a number
  that fails it is reported too (the message says so). Province code and birth
  date keep other 18-digit numbers (bank accounts, document numbers) out;
* an 11-digit mainland mobile number ``1[3-9]`` + 9 digits, also written
  138-1234-5678, 138 1234 5678 or after +86, but not inside a longer run of
  digits. Landlines such as 0888-5100000 are not mobile numbers.

Text is compared after NFKC (full-width digits are digits) and without
invisible format characters (a zero-width space does not hide a number).

Masked values are published, anywhere: ``5307**********1234`` (first 4 and
last 4 characters of an identity number) and ``138****5678`` (first 3 and last
4 digits of a mobile). A value masked less than that is reported.

A field that holds personal data on purpose is declared in the resource's
schema in datapackage.json with the custom property ``"personal": "masked"``
(Table Schema allows custom properties; it is the one difference from the
canonical schema the schema check accepts). In such a field every number of 7
or more digits must be masked: old 15-digit identity numbers, bank cards and
private landlines too.

Problems never repeat what they found: the report is public (CI logs), so the
number appears masked in the message and the value.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from generator.load import DataPackage, Table
from generator.model import canonical_schema
from generator.problems import Problem, Severity, error
from generator.validate.tablerules import TableRule

PERSONAL_PROPERTY = "personal"
MASKED = "masked"

# GB/T 2260 province codes, and 81-83 of the residence permits of Hong Kong, Macao and
# Taiwan residents.
PROVINCES = frozenset(
    {*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55)}
    | {*range(61, 66), 71, 81, 82, 83}
)
ID_NUMBER = re.compile(r"(?<![0-9])([0-9]{6})([0-9]{8})[0-9]{3}([0-9](?![0-9])|X)", re.IGNORECASE)
MOBILE = re.compile(
    r"(?:(?<=\+86)|(?<=\+86[ -])|(?<=0086)|(?<![0-9]))"
    r"1[3-9][0-9]([ -]?)[0-9]{4}\1[0-9]{4}(?![0-9])"
)
# Anything that could be a masked identity number or mobile, and long digit runs.
MASK_LIKE = re.compile(r"(?<![0-9*])[0-9*]*\*[0-9*]*[0-9*X]?(?![0-9*])", re.IGNORECASE)
# What every pattern holds: 7 digits, stars or X in a row, or a mobile's 138-1234.
CANDIDATE = re.compile(r"[0-9*Xx]{7}|1[3-9][0-9][ -][0-9]{4}")
CUT_RUN = re.compile(r"(?<![0-9])[0-9]{7,}(?=…$)")
DIGIT_RUN = re.compile(r"(?<![0-9])[0-9]{7,}X?(?![0-9])", re.IGNORECASE)
ID_MASK = re.compile(r"[0-9*]{4}\*{10}[0-9*]{3}[0-9X*]", re.IGNORECASE)
MOBILE_MASK = re.compile(r"1[0-9*]{2}\*{4}[0-9*]{4}")
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARACTERS = "10X98765432"


# Finding


def normalized(text: str) -> str:
    """Text as compared: NFKC, digits of any script as 0-9, invisible format characters gone."""
    if text.isascii():
        return text  # the common case; ASCII has neither format characters nor other digits
    return unicodedata.normalize("NFKC", text).translate(_PLAIN_CHARACTERS)


class _PlainCharacters(dict[int, str | None]):
    """A translation table: format characters (category Cf) removed, digits made 0-9.

    Filled in as characters are met, not for all of Unicode up front (a second of
    work for a table most runs use a few entries of).
    """

    def __missing__(self, code: int) -> str | None:
        character = chr(code)
        plain: str | None = character
        if unicodedata.category(character) == "Cf":
            plain = None
        elif character.isdecimal():
            plain = str(unicodedata.decimal(character))
        self[code] = plain
        return plain


_PLAIN_CHARACTERS = _PlainCharacters()


def is_id_number(candidate: str) -> bool:
    """Tell whether 18 characters look like a resident identity number (check digit aside)."""
    match = ID_NUMBER.fullmatch(candidate)
    if match is None:
        return False
    region, birth, _ = match.groups()
    return (int(region[:2]) in PROVINCES or region[0] == "9") and _is_birth_date(birth)


def _is_birth_date(digits: str) -> bool:
    try:
        born = dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return False
    return 1900 <= born.year <= 2099


def check_digit_matches(number: str) -> bool:
    """Tell whether the 18th character is the ISO 7064 MOD 11-2 check of the first 17."""
    total = sum(int(digit) * weight for digit, weight in zip(number, WEIGHTS, strict=False))
    return CHECK_CHARACTERS[total % 11] == number[17].upper()


@dataclass(frozen=True)
class Finding:
    """Personal data found in a text: what kind, shown masked, and what is wrong."""

    kind: str
    masked: str
    trouble: str


def mask(number: str) -> str:
    """An identity number or mobile as it may be published: 5307**********1234, 138****5678."""
    digits = re.sub(r"[ -]", "", number)
    if len(digits) == 18:
        return digits[:4] + "*" * 10 + digits[-4:]
    if len(digits) == 11:
        return digits[:3] + "****" + digits[-4:]
    return "*" * (len(digits) - 4) + digits[-4:]


def find_personal_data(text: str, declared: bool = False) -> list[Finding]:
    """Every unmasked (or too little masked) identity number and mobile in ``text``.

    ``declared`` is for fields declared ``"personal": "masked"``: there every run
    of 7 or more digits counts.
    """
    plain = normalized(text)
    if not CANDIDATE.search(plain):
        return []  # the common case: no run of digits long enough for any pattern
    findings = [*_id_numbers(plain), *_mobiles(plain), *_weak_masks(plain)]
    if declared:
        findings += _digit_runs(plain, {f.masked for f in findings})
    return findings


def _id_numbers(plain: str) -> Iterator[Finding]:
    for match in ID_NUMBER.finditer(plain):
        number = match.group()
        if is_id_number(number):
            checked = "" if check_digit_matches(number) else ", though its check digit is wrong"
            yield Finding("a resident identity number", mask(number), f"unmasked{checked}")


def _mobiles(plain: str) -> Iterator[Finding]:
    for match in MOBILE.finditer(plain):
        yield Finding("a mobile number", mask(match.group()), "unmasked")


def _weak_masks(plain: str) -> Iterator[Finding]:
    for match in MASK_LIKE.finditer(plain):
        token = match.group()
        if len(token) == 18 and not ID_MASK.fullmatch(token):
            yield Finding("a resident identity number", mask(token), "masked too little")
        elif len(token) == 11 and token[0] == "1" and not MOBILE_MASK.fullmatch(token):
            yield Finding("a mobile number", mask(token), "masked too little")


def _digit_runs(plain: str, found: set[str]) -> Iterator[Finding]:
    for match in DIGIT_RUN.finditer(plain):
        masked = mask(match.group())
        if masked not in found:
            yield Finding("a long number", masked, "unmasked in a personal field")


def redact(text: str) -> str:
    """``text`` with every identity number and mobile replaced by its masked form.

    A long run of digits cut off by the shortened value of a problem ("…") is
    masked too: it may be the start of a number.
    """
    text = ID_NUMBER.sub(lambda m: mask(m.group()) if is_id_number(m.group()) else m.group(), text)
    text = MOBILE.sub(lambda m: mask(m.group()), text)
    return CUT_RUN.sub(lambda m: "*" * len(m.group()), text)


def redact_problem(problem: Problem) -> Problem:
    """The problem with every identity number and mobile in its texts masked."""
    return dataclasses.replace(
        problem,
        message=redact(problem.message),
        value=None if problem.value is None else redact(problem.value),
        hint=None if problem.hint is None else redact(problem.hint),
    )


# The rule


class PersonalData(TableRule):
    code = "personal-data"
    severity: Severity = "error"
    description = (
        "A resident identity number or mainland mobile number in a published text (any text "
        "column, or the package's datapackage.json), unless masked: 5307**********1234, "
        '138****5678. In a field declared "personal": "masked", every number of 7 or more '
        "digits must be masked."
    )

    def check_table(self, table: Table) -> Iterator[Problem]:
        personal = declared_personal(table.schema)
        for field in text_fields(table.name):
            values = table.column(field)
            distinct = set(values)
            if not CANDIDATE.search(normalized("\n".join(distinct))):
                continue  # one search for the column's distinct values: most hold no number
            found = {value: find_personal_data(value, field in personal) for value in distinct}
            for row, value in zip(table.row_numbers, values, strict=True):
                for finding in found[value]:
                    yield self._problem(
                        finding, table.path, field, table.package, row=row, resource=table.name
                    )

    def check_descriptor(self, package: DataPackage) -> Iterator[Problem]:
        for where, value in descriptor_texts(package.descriptor):
            for finding in find_personal_data(value):
                yield self._problem(finding, package.path, where, package.name)

    def _problem(
        self, finding: Finding, path: str, field: str, package: str, **where: Any
    ) -> Problem:
        return error(
            self.code,
            f"{field} holds what looks like {finding.kind}, {finding.trouble} "
            f"({finding.masked}): personal data is not published. Remove it, or mask it: "
            "5307**********1234 for an identity number (first 4 and last 4 characters), "
            "138****5678 for a mobile (first 3 and last 4 digits)",
            path=path,
            field=field,
            value=finding.masked,
            package=package,
            **where,
        )


def without_declaration(field: dict[str, Any]) -> dict[str, Any]:
    """A declared field descriptor without ``"personal": "masked"``, to compare with Sunshine's."""
    if field.get(PERSONAL_PROPERTY) != MASKED:
        return field
    return {key: value for key, value in field.items() if key != PERSONAL_PROPERTY}


def text_fields(resource: str) -> tuple[str, ...]:
    """The string columns of a resource: everything a page can show as text."""
    return tuple(f["name"] for f in canonical_schema(resource)["fields"] if f["type"] == "string")


def declared_personal(schema: dict[str, Any]) -> frozenset[str]:
    """Names of the fields a declared schema marks ``"personal": "masked"``."""
    fields = schema.get("fields")
    return frozenset(
        str(f.get("name"))
        for f in (fields if isinstance(fields, list) else [])
        if isinstance(f, dict) and f.get(PERSONAL_PROPERTY) == MASKED
    )


def descriptor_texts(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    """Yield (dotted key, text) for every string of a descriptor but the resources' schemas."""
    if isinstance(value, str):
        yield where or "datapackage.json", value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "schema" or not where.startswith("resources."):
                yield from descriptor_texts(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from descriptor_texts(item, f"{where}.{number}")

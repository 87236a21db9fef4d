"""The concrete hints: the value as the clerk meant to write it."""

from __future__ import annotations

import pytest

from generator.validate.messages import (
    Facts,
    boolean_hint,
    date_hint,
    describe,
    integer_hint,
    number_hint,
)


@pytest.mark.parametrize(
    ("value", "fixed"),
    [
        ("12,345.5", "write 12345.5 not 12,345.5"),
        ("12万元", "write 120000 not 12万元"),
        ("1.5万", "write 15000 not 1.5万"),
        ("3000元", "write 3000 not 3000元"),
        ("¥3,000", "write 3000 not ¥3,000"),
        ("１２３", "write 123 not １２３"),
    ],
)
def test_number_hint_writes_the_plain_number(value: str, fixed: str) -> None:
    hint = number_hint(value)
    assert hint is not None and hint.endswith(fixed)


def test_number_hint_names_the_conversion() -> None:
    assert "convert 万元 to yuan: multiply by 10,000" in (number_hint("12万元") or "")
    assert "thousands separators" in (number_hint("1,234.5") or "")


@pytest.mark.parametrize("value", ["about 500", "n/a", "", "12.5.3"])
def test_number_hint_stays_quiet_when_unsure(value: str) -> None:
    assert number_hint(value) is None


def test_date_hints() -> None:
    assert date_hint("2019/3/5") == "write 2019-03-05 not 2019/3/5"
    assert date_hint("2019年3月5日") == "write 2019-03-05 not 2019年3月5日"
    assert date_hint("2019.12.31") == "write 2019-12-31 not 2019.12.31"
    assert "number" in (date_hint("43525") or "")
    assert date_hint("2019-02-30") is None
    assert date_hint("soon") is None


def test_integer_and_boolean_hints() -> None:
    assert integer_hint("2019年") == "write 2019 not 2019年"
    assert integer_hint("soon") is None
    assert boolean_hint("是") == "write true not 是"
    assert boolean_hint("否") == "write false not 否"
    assert boolean_hint("maybe") is None


def test_money_fields_say_yuan() -> None:
    money = {"name": "amount", "type": "number", "title": "Amount (yuan)"}
    plain = {"name": "latitude", "type": "number", "title": "Latitude"}
    assert "of yuan" in describe(Facts("type-error", field="amount", schema_field=money))[0]
    assert "of yuan" not in describe(Facts("type-error", field="x", schema_field=plain))[0]


def test_unknown_codes_still_get_a_message() -> None:
    message, hint = describe(Facts("table-dimensions", note="too many rows"))
    assert "too many rows" in message and hint is None

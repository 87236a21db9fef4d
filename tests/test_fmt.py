"""Amounts, shares, counts and dates as page text."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from generator import fmt


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal(58150000), "58,150,000 yuan (5,815 万元)"),
        (Decimal(875000), "875,000 yuan (87.5 万元)"),
        (Decimal(332195000), "332,195,000 yuan (33,219.5 万元)"),
        (Decimal("1234.5"), "1,234.50 yuan (0.12345 万元)"),
        (Decimal(0), "0 yuan (0 万元)"),
        (None, "—"),
    ],
)
def test_yuan(value: Decimal | None, expected: str) -> None:
    assert fmt.yuan(value) == expected


def test_money_and_number() -> None:
    assert fmt.money(Decimal("1000000.00")) == "1,000,000"
    assert fmt.money(Decimal("12.5")) == "12.50"
    assert fmt.number(Decimal("2.80")) == "2.8"
    assert fmt.number(Decimal("1E+3")) == "1,000"
    assert fmt.number(Decimal("2.345"), 2) == "2.34"
    assert fmt.count(1396) == "1,396"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (58150000, "58.2M"),
        (1760000, "1.76M"),
        (600000, "600K"),
        (332195000, "332M"),
        (1200000000, "1.2B"),
        (999, "999"),
        (0, "0"),
    ],
)
def test_compact(value: int, expected: str) -> None:
    assert fmt.compact(Decimal(value)) == expected


def test_percent_and_share() -> None:
    assert fmt.percent(Decimal("0.4237")) == "42%"
    assert fmt.percent(Decimal("1.2"), 1) == "120.0%"
    assert fmt.percent(None) == "—"
    assert fmt.share(Decimal(1), Decimal(0)) is None
    assert fmt.share(Decimal(1), Decimal(4)) == Decimal("0.25")
    assert fmt.plain_share(Decimal(5) / Decimal(6)) == "0.8333"


def test_dates() -> None:
    assert fmt.iso_date(date(2019, 3, 1)) == "2019-03-01"
    assert fmt.iso_date(None) == "—"
    assert fmt.date_range(date(2019, 3, 1), None) == "2019-03-01 – —"
    assert fmt.date_range(None, None) == "—"


def test_plain_is_machine_readable() -> None:
    assert fmt.plain(Decimal("58150000.00")) == "58150000"
    assert fmt.plain(Decimal("1E+3")) == "1000"
    assert fmt.plain(Decimal("0.50")) == "0.5"
    assert fmt.plain(None) == ""


def test_locale_independent(monkeypatch: pytest.MonkeyPatch) -> None:
    import locale

    german = dict(locale.localeconv(), decimal_point=",", thousands_sep=".", grouping=[3, 3, 0])
    monkeypatch.setattr(locale, "localeconv", lambda: german)
    assert locale.format_string("%.1f", 1234.5, grouping=True) == "1.234,5"  # the patch bites
    assert fmt.yuan(Decimal(1234567)) == "1,234,567 yuan (123.4567 万元)"


def test_signed_differences() -> None:
    assert fmt.signed(Decimal(22175000)) == "+22,175,000"
    assert fmt.signed(Decimal(-20000)) == "\u221220,000"
    assert fmt.signed(Decimal(0)) == "0"

"""Numbers, amounts and dates as page text: Decimal in, str out, locale-independent.

Amounts are yuan (CNY). Chinese documents state money in 万元 (ten thousand
yuan), so full amounts carry both: ``58,150,000 yuan (5,815 万元)``.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

MISSING = "—"
WAN = Decimal(10000)
_CENT = Decimal("0.01")


def number(value: Decimal | int | None, places: int | None = None) -> str:
    """A number with thousands separators; decimals only where the value has them.

    ``places`` fixes the number of decimals (rounded half-even).
    """
    if value is None:
        return MISSING
    if places is not None:
        d = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
        return f"{d:,.{places}f}"
    return _strip(f"{value:,f}") if isinstance(value, Decimal) else f"{value:,}"


def _strip(shown: str) -> str:
    """Drop trailing decimal zeros of a fixed-point rendering."""
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


def _trim(d: Decimal) -> Decimal:
    """Drop trailing zeros without switching to exponent notation."""
    t = d.normalize()
    exponent = t.as_tuple().exponent
    return t.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else t


def money(value: Decimal | int | None) -> str:
    """An amount in yuan for a table cell: ``58,150,000`` (cents kept when present)."""
    if value is None:
        return MISSING
    shown = number(value)
    return shown if "." not in shown else number(value, 2)


def signed(value: Decimal | int) -> str:
    """A difference with its sign: ``+1,200``, ``−20,000`` (minus sign), ``0``."""
    if value > 0:
        return f"+{number(value)}"
    if value < 0:
        return f"\u2212{number(-value)}"
    return "0"


def wan(value: Decimal | int | None) -> str:
    """An amount in 万元: ``5,815 万元``; up to six decimals, trailing zeros dropped."""
    if value is None:
        return MISSING
    d = (Decimal(value) / WAN).quantize(Decimal("0.000001"), rounding=ROUND_HALF_EVEN)
    return f"{number(_trim(d))} 万元"


def yuan(value: Decimal | int | None) -> str:
    """A full amount: ``58,150,000 yuan (5,815 万元)``."""
    if value is None:
        return MISSING
    return f"{money(value)} yuan ({wan(value)})"


def compact(value: Decimal | int | None) -> str:
    """A short amount for chart labels, in yuan: ``58.2M``, ``1.76M``, ``600K``.

    Latin letters, not 万, so the static SVG renders with any font.
    """
    if value is None:
        return MISSING
    d = Decimal(value)
    for size, suffix in ((Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"), (Decimal(1000), "K")):
        if abs(d) >= size:
            scaled = d / size
            places = 2 if abs(scaled) < 10 else 1 if abs(scaled) < 100 else 0
            return f"{_trim(scaled.quantize(Decimal(1).scaleb(-places)))}{suffix}"
    return number(d, 0)


def percent(share: Decimal | None, places: int = 0) -> str:
    """A share (0 to 1, or above) as a percentage: ``42%`` (rounded half-even)."""
    if share is None:
        return MISSING
    return f"{share * 100:,.{places}f}%"


def share(part: Decimal | int | None, whole: Decimal | int | None) -> Decimal | None:
    """``part / whole``, or ``None`` when either is missing or the whole is zero."""
    if part is None or whole is None or Decimal(whole) == 0:
        return None
    return Decimal(part) / Decimal(whole)


def count(value: int | Decimal | None) -> str:
    """A count with thousands separators."""
    return number(value)


def iso_date(value: date | None) -> str:
    """An ISO 8601 date, or a dash when missing."""
    return value.isoformat() if value is not None else MISSING


def date_range(start: date | None, end: date | None) -> str:
    """``2019-04-01 – 2019-11-30`` with a dash for a missing end."""
    if start is None and end is None:
        return MISSING
    return f"{iso_date(start)} – {iso_date(end)}"


def to_float(value: Decimal | int | float | None) -> float | None:
    """A JSON number for chart data (charts draw, tables carry the exact figures)."""
    return None if value is None else float(value)


def plain_share(value: Decimal | None) -> str | None:
    """A share for ``data-value``, to four decimals; ``None`` when missing."""
    if value is None:
        return None
    return _strip(f"{value:.4f}")


def plain(value: Decimal | int | None) -> str:
    """A machine-readable number for ``data-value`` attributes (no separators)."""
    if value is None:
        return ""
    return _strip(f"{value:f}") if isinstance(value, Decimal) else str(value)

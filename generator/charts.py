"""Chart specs: pure functions from plain (label, value) records to Vega-Lite dicts.

Built with Altair, independent of the model. Every spec carries its data inline
(``data.values``) so it renders offline, has a numeric width (the static SVG is
rendered from the same spec), a title and a description. Deterministic: no
selections or parameters, so Altair adds no counter-named views or params.

Readability: one static SVG serves light and dark pages, and no single text
colour reaches 4.5:1 on both white and Material's dark slate, so charts draw on
their own white card with near-black text. Bar colours are the Okabe-Ito
colour-blind-safe blue and vermillion (>= 3:1 on white); colour never carries
meaning alone: every bar has a text label naming its value and series.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import lru_cache, partial
from importlib import metadata
from types import ModuleType
from typing import Any

from generator import fmt
from generator.cache import memo_active

VALIDATE = False  # schema validation costs ~30 ms a spec; the tests validate
WIDTH = 560
BAR_STEP = 26
BACKGROUND = "#ffffff"
TEXT = "#1f2328"
MUTED = "#57606a"
GRID = "#d8dee4"
BLUE = "#0072b2"
VERMILLION = "#d55e00"
SERIES_COLOURS = (BLUE, VERMILLION)
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans CJK SC', sans-serif"

Amount = Decimal | int | float


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG 2 contrast ratio of two ``#rrggbb`` colours."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(colour: str) -> float:
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    h = colour.lstrip("#")
    r, g, b = (channel(h[i : i + 2]) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def funds_by_source_chart(
    items: Sequence[tuple[str, Amount]], *, title: str, description: str, axis_title: str
) -> dict[str, Any]:
    """Horizontal bars: one amount per funding source, labelled with its amount."""
    return _single_bars(items, title=title, description=description, axis_title=axis_title)


def funds_by_county_chart(
    items: Sequence[tuple[str, Amount]], *, title: str, description: str, axis_title: str
) -> dict[str, Any]:
    """Horizontal bars: one amount per county (or other place), labelled with its amount."""
    return _single_bars(items, title=title, description=description, axis_title=axis_title)


def allocated_vs_disbursed_chart(
    items: Sequence[tuple[str, Amount, Amount]],
    *,
    title: str,
    description: str,
    axis_title: str,
    series: tuple[str, str],
) -> dict[str, Any]:
    """Grouped horizontal bars: allocated and disbursed per item, each bar labelled."""
    values = _series_values("item", [(name, a, d) for name, a, d in items], series)
    template = _grouped_template("item", axis_title, series, None)
    return _fill(
        template, values, _top(values) * 1.45, _height(len(items) * 2, 14), title, description
    )


def investment_over_time_chart(
    items: Sequence[tuple[int, Amount, Amount]],
    *,
    title: str,
    description: str,
    axis_title: str,
    series: tuple[str, str],
    year_title: str,
) -> dict[str, Any]:
    """Grouped bars per budget year: allocated and disbursed, each bar labelled."""
    values = _series_values("year", [(str(y), a, d) for y, a, d in sorted(items)], series)
    template = _grouped_template("year", axis_title, series, year_title)
    return _fill(
        template, values, _top(values) * 1.45, _height(len(items) * 2, 14), title, description
    )


def benefits_planned_vs_achieved_chart(
    items: Sequence[tuple[str, Amount, Amount, str]],
    *,
    title: str,
    description: str,
    axis_title: str,
    label_template: str,
) -> dict[str, Any]:
    """Bars of achieved as % of planned per indicator (units differ), a rule at 100%.

    ``items`` are (indicator label, planned, achieved, unit); ``label_template`` is
    the bar label with ``{achieved}``, ``{planned}`` and ``{unit}``.
    """
    values: list[dict[str, Any]] = []
    for name, planned, achieved, unit in items:
        share = fmt.share(_dec(achieved), _dec(planned))
        shown = label_template.format(
            achieved=fmt.number(_dec(achieved)), planned=fmt.number(_dec(planned)), unit=unit
        )
        values.append(
            {
                "indicator": name,
                "planned": fmt.to_float(planned),
                "achieved": fmt.to_float(achieved),
                "percent": round(float(share * 100), 1) if share is not None else 0.0,
                "label": shown + (f" ({fmt.percent(share)})" if share is not None else ""),
            }
        )
    top = max([100.0, *(float(v["percent"]) for v in values)])
    return _fill(
        _benefits_template(axis_title), values, top * 1.9, _height(len(values)), title, description
    )


def _series_values(
    field: str, items: Sequence[tuple[str, Amount, Amount]], series: tuple[str, str]
) -> list[dict[str, Any]]:
    return [
        {
            field: name,
            "series": series[i],
            "amount": fmt.to_float(amount),
            "label": f"{series[i]} {fmt.compact(_dec(amount))}",
        }
        for name, *amounts in items
        for i, amount in enumerate(amounts)
    ]


def _single_bars(
    items: Sequence[tuple[str, Amount]], *, title: str, description: str, axis_title: str
) -> dict[str, Any]:
    values = [
        {"item": name, "amount": fmt.to_float(amount), "label": fmt.compact(_dec(amount))}
        for name, amount in items
    ]
    return _fill(
        _single_template(axis_title),
        values,
        _top(values) * 1.3,
        _height(len(values)),
        title,
        description,
    )


# Altair builds each kind of chart once (it validates and deep-copies: ~25 ms a spec);
# every chart is then that template with its own data, scale domain, size and title.


@lru_cache(maxsize=64)
def _single_template(axis_title: str) -> str:
    return _kept("single", [axis_title], partial(_make_single_template, axis_title))


def _make_single_template(axis_title: str) -> str:
    alt = _altair()
    base = alt.Chart().encode(
        y=alt.Y("item:N", sort=None, title=None, axis=alt.Axis(labelLimit=180)),
        x=alt.X(
            "amount:Q",
            title=axis_title,
            scale=alt.Scale(domain=[0, 1], nice=False),
            axis=alt.Axis(format="~s", tickCount=4),
        ),
    )
    bars = base.mark_bar(color=BLUE)
    labels = base.mark_text(align="left", dx=4, color=TEXT).encode(text="label:N")
    return _template(alt.layer(bars, labels, data=alt.InlineData(values=[])))


@lru_cache(maxsize=64)
def _grouped_template(
    field: str, axis_title: str, series: tuple[str, str], item_title: str | None
) -> str:
    make = partial(_make_grouped_template, field, axis_title, series, item_title)
    return _kept("grouped", [field, axis_title, series, item_title], make)


def _make_grouped_template(
    field: str, axis_title: str, series: tuple[str, str], item_title: str | None
) -> str:
    alt = _altair()
    colour = alt.Color(
        "series:N",
        scale=alt.Scale(domain=list(series), range=list(SERIES_COLOURS)),
        legend=alt.Legend(title=None, orient="top"),
    )
    base = alt.Chart().encode(
        y=alt.Y(f"{field}:N", sort=None, title=item_title, axis=alt.Axis(labelLimit=180)),
        yOffset=alt.YOffset("series:N", sort=list(series)),
        x=alt.X(
            "amount:Q",
            title=axis_title,
            scale=alt.Scale(domain=[0, 1], nice=False),
            axis=alt.Axis(format="~s", tickCount=4),
        ),
    )
    bars = base.mark_bar().encode(color=colour)
    labels = base.mark_text(align="left", dx=4, color=TEXT, fontSize=10).encode(text="label:N")
    return _template(alt.layer(bars, labels, data=alt.InlineData(values=[])))


@lru_cache(maxsize=64)
def _benefits_template(axis_title: str) -> str:
    return _kept("benefits", [axis_title], partial(_make_benefits_template, axis_title))


def _make_benefits_template(axis_title: str) -> str:
    alt = _altair()
    base = alt.Chart().encode(
        y=alt.Y("indicator:N", sort=None, title=None, axis=alt.Axis(labelLimit=180)),
        x=alt.X(
            "percent:Q",
            title=axis_title,
            scale=alt.Scale(domain=[0, 1], nice=False),
            axis=alt.Axis(values=[0, 25, 50, 75, 100]),
        ),
    )
    bars = base.mark_bar(color=BLUE)
    labels = base.mark_text(align="left", dx=4, color=TEXT).encode(text="label:N")
    rule = (
        alt.Chart(alt.InlineData(values=[{"target": 100}]))
        .mark_rule(color=TEXT, strokeDash=[4, 3])
        .encode(x=alt.X("target:Q", scale=alt.Scale(domain=[0, 1], nice=False)))
    )
    return _template(alt.layer(bars, labels, rule, data=alt.InlineData(values=[])))


def _template(chart: Any) -> str:
    alt = _altair()
    configured = chart.properties(
        width=WIDTH,
        height=100,
        title=alt.Title("", anchor="start", color=TEXT, fontSize=14),
        description="",
        background=BACKGROUND,
        padding=8,
        autosize=alt.AutoSizeParams(type="fit", contains="padding"),
    ).configure(
        font=FONT,
        axis=alt.AxisConfig(
            labelColor=TEXT,
            titleColor=TEXT,
            domainColor=MUTED,
            tickColor=MUTED,
            gridColor=GRID,
            labelFontSize=11,
            titleFontSize=11,
        ),
        legend=alt.LegendConfig(labelColor=TEXT, titleColor=TEXT, labelFontSize=11),
        view=alt.ViewConfig(stroke=None),
    )
    spec: dict[str, Any] = configured.to_dict(validate=VALIDATE)
    spec.pop("datasets", None)
    return json.dumps(spec, sort_keys=True)


def _kept(kind: str, args: list[Any], make: Callable[[], str]) -> str:
    # Kept in the build's cache too, so a warm build that redraws a chart need not import
    # Altair (0.6 s): the template is the same for the same arguments and Altair version.
    parts = [kind, json.dumps(args), metadata.version("altair")]
    return memo_active("chart-templates", parts, make)


def _altair() -> ModuleType:
    # Imported when a first chart is drawn: the import takes about 0.6 s, and a build
    # whose pages all come from the cache draws none.
    import altair

    return altair


def _fill(
    template: str,
    values: list[dict[str, Any]],
    domain_max: float,
    height: int,
    title: str,
    description: str,
) -> dict[str, Any]:
    spec: dict[str, Any] = json.loads(template)
    spec["data"] = {"values": values}
    spec["height"] = height
    spec["title"]["text"] = title
    spec["description"] = description
    for layer in spec["layer"]:
        layer["encoding"]["x"]["scale"]["domain"] = [0, domain_max or 1]
    return spec


def _top(values: Sequence[dict[str, Any]]) -> float:
    return max([0.0, *(float(v["amount"] or 0) for v in values)])


def _height(bars: int, step: int = BAR_STEP) -> int:
    return max(120, bars * step + 90)


def _dec(value: Amount) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))

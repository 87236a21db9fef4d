"""Chart specs: valid Vega-Lite with inline data, deterministic, readable, accessible."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import jsonschema
import pytest

from generator import charts

SERIES = ("Allocated", "Disbursed")


def _specs() -> dict[str, dict[str, Any]]:
    return {
        "source": charts.funds_by_source_chart(
            [("Central", Decimal(28050000)), ("Municipal", Decimal(5400000))],
            title="By source",
            description="Bars by source",
            axis_title="Yuan",
        ),
        "county": charts.funds_by_county_chart(
            [("Yongsheng County", Decimal(875000)), ("Huaping County", Decimal("22250000.5"))],
            title="By county",
            description="Bars by county",
            axis_title="Yuan",
        ),
        "alloc": charts.allocated_vs_disbursed_chart(
            [("Whole village", Decimal(58150000), Decimal(40000000))],
            title="Alloc",
            description="Grouped",
            axis_title="Yuan",
            series=SERIES,
        ),
        "benefits": charts.benefits_planned_vs_achieved_chart(
            [
                ("Households", Decimal(34410), Decimal(30000), "households"),
                ("Roads", Decimal(168), Decimal(0), "km"),
            ],
            title="Benefits",
            description="Share",
            axis_title="%",
            label_template="{achieved} of {planned} {unit}",
        ),
        "years": charts.investment_over_time_chart(
            [(2019, Decimal(332195000), Decimal(1)), (2018, Decimal(265325000), Decimal(2))],
            title="Years",
            description="By year",
            axis_title="Yuan",
            series=SERIES,
            year_title="Year",
        ),
    }


@cache
def _schema() -> dict[str, Any]:
    folder = Path(alt.__file__).parent / "vegalite" / "v6" / "schema"
    schema: dict[str, Any] = json.loads((folder / "vega-lite-schema.json").read_text("utf-8"))
    return schema


@pytest.mark.parametrize("name", list(_specs()))
def test_spec_is_valid_vega_lite_with_inline_data(name: str) -> None:
    spec = _specs()[name]
    jsonschema.validate(spec, _schema())
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/v6")
    assert isinstance(spec["width"], int) and spec["width"] <= 600
    assert isinstance(spec["height"], int)
    assert spec["title"]["text"] and spec["description"]
    assert "datasets" not in spec and "name" not in spec["data"]
    assert spec["data"]["values"]
    assert spec["background"] == charts.BACKGROUND


def test_specs_are_deterministic() -> None:
    assert json.dumps(_specs(), sort_keys=True) == json.dumps(_specs(), sort_keys=True)
    assert "param" not in json.dumps(_specs()) and "view_" not in json.dumps(_specs())


def test_bar_chart_structure_and_data() -> None:
    spec = _specs()["source"]
    assert [layer["mark"]["type"] for layer in spec["layer"]] == ["bar", "text"]
    assert spec["layer"][0]["encoding"]["x"]["field"] == "amount"
    assert spec["layer"][0]["encoding"]["y"]["field"] == "item"
    assert spec["layer"][1]["encoding"]["text"]["field"] == "label"
    assert spec["data"]["values"] == [
        {"item": "Central", "amount": 28050000.0, "label": "28M"},
        {"item": "Municipal", "amount": 5400000.0, "label": "5.4M"},
    ]


def test_grouped_chart_labels_name_their_series() -> None:
    spec = _specs()["alloc"]
    values = spec["data"]["values"]
    assert [(v["series"], v["amount"]) for v in values] == [
        ("Allocated", 58150000.0),
        ("Disbursed", 40000000.0),
    ]
    assert all(v["label"].startswith(v["series"]) for v in values)
    colour = spec["layer"][0]["encoding"]["color"]
    assert colour["scale"]["domain"] == list(SERIES)
    assert colour["legend"] is not None
    years = [v["year"] for v in _specs()["years"]["data"]["values"]]
    assert years == ["2018", "2018", "2019", "2019"]


def test_benefits_chart_is_share_of_plan() -> None:
    spec = _specs()["benefits"]
    values = spec["data"]["values"]
    assert [v["percent"] for v in values] == [87.2, 0.0]
    assert values[0]["label"] == "30,000 of 34,410 households (87%)"
    assert spec["layer"][2]["mark"]["type"] == "rule"


def test_colours_are_readable() -> None:
    assert charts.contrast_ratio(charts.TEXT, charts.BACKGROUND) >= 4.5
    assert charts.contrast_ratio(charts.MUTED, charts.BACKGROUND) >= 4.5
    for colour in charts.SERIES_COLOURS:
        assert charts.contrast_ratio(colour, charts.BACKGROUND) >= 3  # graphics: WCAG 1.4.11
    assert round(charts.contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    # No single grey passes 4.5:1 on both white and the dark slate page: hence the white card.
    slate = "#1e2129"
    assert not any(
        charts.contrast_ratio(f"#{g:02x}{g:02x}{g:02x}", "#ffffff") >= 4.5
        and charts.contrast_ratio(f"#{g:02x}{g:02x}{g:02x}", slate) >= 4.5
        for g in range(256)
    )


def test_empty_chart_is_still_valid() -> None:
    spec = charts.funds_by_source_chart([], title="t", description="d", axis_title="a")
    jsonschema.validate(spec, _schema())
    assert spec["data"]["values"] == []


def test_static_render_has_the_declared_size() -> None:
    vl_convert = pytest.importorskip("vl_convert")
    spec = _specs()["alloc"]
    svg = vl_convert.vegalite_to_svg(spec)
    assert f'width="{spec["width"]}"' in svg and f'height="{spec["height"]}"' in svg


_DRAW = """
import json, sys
from pathlib import Path
from generator import charts
from generator.cache import Cache, active
with active(Cache(Path(sys.argv[1]))):
    spec = charts.allocated_vs_disbursed_chart(
        [("A", 1, 2)], title="T", description="D", axis_title="X", series=("a", "b")
    )
print(json.dumps({"altair": "altair" in sys.modules, "spec": spec}))
"""


def _draw_in_a_new_process(cache: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", _DRAW, str(cache)], capture_output=True, text=True, check=True
    )
    found: dict[str, Any] = json.loads(done.stdout)
    return found


def test_a_kept_chart_template_draws_without_importing_altair(tmp_path: Path) -> None:
    first = _draw_in_a_new_process(tmp_path / "cache")
    again = _draw_in_a_new_process(tmp_path / "cache")
    assert first["altair"] and not again["altair"]
    assert again["spec"] == first["spec"]

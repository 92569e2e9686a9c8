"""Charts as Vega-Lite specs, drawn in the browser by the Vega runtime shipped inside the site
(static/vendor, BSD-3-Clause), each with its figures as a table (screen readers, copying).

Amounts go into the spec as exact strings (`"12500000.00"`, as `rollup -f json` writes them)
and are parsed to numbers only by the browser, to draw; the labels a reader sees are
formatted here, in Python, as the documents format baht.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from markupsafe import Markup

from provplan import thai
from provplan.escape import script_json

FONT = '"Sarabun", "TH Sarabun New", "Noto Sans Thai", "Garuda", "Loma", sans-serif'


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[str, ...]  # formatted for reading, one per column after the label


@dataclass(frozen=True)
class Chart:
    id: str  # unique within its page
    title: str
    spec: dict[str, Any]
    columns: tuple[str, ...]  # headings of the table beside the chart
    rows: tuple[Row, ...]

    @property
    def json(self) -> Markup:
        """The spec for a `<script type="application/json">`: plan text cannot end the
        script element or start markup, since `<`, `>` and `&` are escaped in JSON."""
        return Markup(script_json(self.spec))


def money(value: Decimal) -> str:
    """An amount as `rollup -f json` writes it."""
    return f"{value:.2f}"


def bar_chart(
    chart_id: str,
    title: str,
    bars: Sequence[tuple[str, Decimal]],
    *,
    percent: bool = False,
    target: Decimal | None = None,
) -> Chart:
    """Horizontal bars in the given order, labels in Thai: baht (in millions on the axis), or
    percentages, with a red line at `target` (a percentage) when given."""
    shown = _percent if percent else thai.baht
    values = [
        {"label": label, "amount": money(amount), "text": shown(amount)} for label, amount in bars
    ]
    spec = {
        "width": "container",
        "height": max(60, 26 * len(values)),
        "data": {"name": "figures", "values": values, "format": {"parse": {"amount": "number"}}},
        "transform": [{"calculate": f"datum.amount / {1 if percent else 1000000}", "as": "x"}],
        "mark": {"type": "bar", "color": "#2f6f9f", "tooltip": True},
        "encoding": {
            "y": {
                "field": "label",
                "type": "nominal",
                "sort": None,
                "title": None,
                "axis": {"labelLimit": 360},
            },
            "x": {"field": "x", "type": "quantitative", "title": "ร้อยละ" if percent else "ล้านบาท"},
            "tooltip": [
                {"field": "label", "title": "รายการ"},
                {"field": "text", "title": "ร้อยละ" if percent else "บาท"},
            ],
        },
        "config": _config(),
    }
    if target is not None:
        bars_layer = {"mark": spec.pop("mark"), "encoding": spec.pop("encoding")}
        spec["layer"] = [bars_layer, _rule(target)]
    rows = tuple(Row(label, (shown(amount),)) for label, amount in bars)
    return Chart(chart_id, title, spec, ("รายการ", "ร้อยละ" if percent else "บาท"), rows)


def _rule(target: Decimal) -> dict[str, Any]:
    return {
        "data": {"values": [{"target": money(target)}], "format": {"parse": {"target": "number"}}},
        "mark": {"type": "rule", "color": "#c0392b", "strokeWidth": 2},
        "encoding": {"x": {"field": "target", "type": "quantitative"}},
    }


def _percent(value: Decimal) -> str:
    return f"{value:.2f}"


Series = tuple[str, Sequence[tuple[int, Decimal]]]  # name, (BE year, value)


def year_chart(chart_id: str, title: str, unit: str, series: Sequence[Series]) -> Chart:
    """Values over BE years, one line per series (targets; actuals once reported)."""
    values = [
        {"series": name, "year": str(year), "value": str(value)}
        for name, points in series
        for year, value in points
    ]
    spec = {
        "width": "container",
        "height": 220,
        "data": {"name": "figures", "values": values, "format": {"parse": {"value": "number"}}},
        "mark": {"type": "line", "point": True, "tooltip": True},
        "encoding": {
            "x": {"field": "year", "type": "ordinal", "title": "พ.ศ.", "axis": {"labelAngle": 0}},
            "y": {"field": "value", "type": "quantitative", "title": unit},
            "color": {"field": "series", "type": "nominal", "title": None},
        },
        "config": _config(),
    }
    years = sorted({year for _, points in series for year, _ in points})
    rows = tuple(
        Row(name, tuple(_number(dict(points).get(year)) for year in years))
        for name, points in series
    )
    return Chart(chart_id, title, spec, ("", *(str(y) for y in years)), rows)


def _number(value: Decimal | None) -> str:
    return "–" if value is None else f"{value:,}"


def _config() -> dict[str, Any]:
    return {
        "font": FONT,
        "axis": {"labelFontSize": 13, "titleFontSize": 13},
        "legend": {"labelFontSize": 13},
        "view": {"stroke": None},
    }

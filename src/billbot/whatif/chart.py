"""One chart model for a what-if — cumulative spend P10/P50/P90 against a limit line — and its renderers.

`spend_chart` builds the renderer-neutral `SpendChart`; `slack_block` renders it as Slack's native
`data_visualization` line chart within its documented limits (title ≤ 50 characters, ≤ 6 series with
unique names of ≤ 20, ≤ 20 categories of ≤ 20, one point per category per series), `fallback_text`
as the message's top-level text (notifications, mobile, screen readers, clients without charts), and
`terminal_chart` as a compact text chart. The web page's SVG will render the same model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from billbot.whatif.result import WhatIfResult

TITLE_MAX, NAME_MAX, LABEL_MAX, SERIES_MAX, POINTS_MAX = 50, 20, 20, 6, 20


@dataclass(frozen=True, slots=True)
class ChartSeries:
    """A named line: one value per category."""

    name: str
    values: tuple[Decimal, ...]


@dataclass(frozen=True, slots=True)
class SpendChart:
    """Cumulative spend over the horizon, per side and percentile, and the limit it runs against."""

    title: str
    categories: tuple[str, ...]
    series: tuple[ChartSeries, ...]
    limit: ChartSeries | None
    y_label: str = "USD"


def spend_chart(result: WhatIfResult) -> SpendChart:
    """The chart of a what-if: month-to-date plus cumulative spend at each of the result's points."""
    categories = _labels(result.checkpoints)
    start_mtd = result.scenario.month_to_date
    # The horizon's end instant (00:00 on the 1st) still closes the month the horizon started in.
    same_month = all(
        (c - timedelta(microseconds=1)).month == result.horizon.start.month for c in result.checkpoints
    )
    offset = start_mtd if same_month else Decimal(0)

    def line(name: str, bands: tuple[Any, ...], pick: str) -> ChartSeries:
        return ChartSeries(name, tuple(getattr(band, pick) + offset for band in bands))

    series = (
        line("Scenario P90", result.scenario.curve, "p90"),
        line("Scenario P50", result.scenario.curve, "p50"),
        line("Scenario P10", result.scenario.curve, "p10"),
        line("Baseline P50", result.baseline.curve, "p50"),
    )
    limit = None
    if result.limit_line is not None and same_month:
        name, amount = result.limit_line
        limit = ChartSeries(name[:NAME_MAX], tuple(amount for _ in categories))
    what = " ".join(result.levers) or "baseline"
    return SpendChart(_clip(f"Spend if {what}", TITLE_MAX), categories, series, limit)


def _labels(points: tuple[datetime, ...]) -> tuple[str, ...]:
    daily = len({p.date() for p in points}) == len(points)
    labels = [p.strftime("%b %d") if daily else p.strftime("%d %H:%M") for p in points]
    # Categories must be unique: a repeated label gets its hour.
    if len(set(labels)) != len(labels):
        labels = [p.strftime("%d %H:%M") for p in points]
    return tuple(label[:LABEL_MAX] for label in labels[:POINTS_MAX])


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def slack_block(chart: SpendChart, *, block_id: str = "whatif_spend") -> dict[str, Any]:
    """Slack's `data_visualization` line chart of the model, within the documented limits."""
    lines = [*chart.series, *([chart.limit] if chart.limit else [])][:SERIES_MAX]
    return {
        "type": "data_visualization",
        "block_id": block_id[:255],
        "title": _clip(chart.title, TITLE_MAX),
        "chart": {
            "type": "line",
            "series": [
                {
                    "name": _clip(s.name, NAME_MAX),
                    "data": [
                        {"label": label, "value": float(value)}
                        for label, value in zip(chart.categories, s.values, strict=False)
                    ],
                }
                for s in lines
            ],
            "axis_config": {
                "categories": list(chart.categories),
                "x_label": "Date (UTC)",
                "y_label": chart.y_label,
            },
        },
    }


def fallback_text(chart: SpendChart) -> str:
    """The chart in one line of text: where each line ends, and the limit."""
    ends = ", ".join(f"{s.name} ${s.values[-1]:,.2f}" for s in chart.series if s.values)
    limit = (
        f"; {chart.limit.name} ${chart.limit.values[0]:,.2f}" if chart.limit and chart.limit.values else ""
    )
    until = chart.categories[-1] if chart.categories else "the end"
    return f"{chart.title} (cumulative, by {until}): {ends}{limit}"


def terminal_chart(chart: SpendChart, *, height: int = 10) -> str:
    """A compact text chart: ░ the P10–P90 band, ● the scenario's P50, · the baseline's, ─ the limit."""
    values = [v for s in chart.series for v in s.values] + (list(chart.limit.values) if chart.limit else [])
    top = max(values, default=Decimal(1)) or Decimal(1)
    band_hi, median, band_lo, base = (s.values for s in chart.series)
    rows: list[str] = []
    for row in range(height, 0, -1):
        low, high = top * (row - 1) / height, top * row / height
        cells = []
        for i in range(len(chart.categories)):
            cell = " "
            if band_lo[i] < high and band_hi[i] >= low:
                cell = "░"
            if chart.limit is not None and low <= chart.limit.values[i] < high:
                cell = "─"
            if low <= base[i] < high:
                cell = "·"
            if low <= median[i] < high:
                cell = "●"
            cells.append(cell * 2)
        label = "$" + format(high, ",.0f")
        axis = f"{label:>11} │" if row in (height, 1) or row == height // 2 else " " * 12 + "│"
        rows.append(axis + "".join(cells))
    rows.append(" " * 12 + "└" + "─" * (2 * len(chart.categories)))
    first, last = (
        chart.categories[0] if chart.categories else "",
        chart.categories[-1] if chart.categories else "",
    )
    rows.append(" " * 13 + first + " " * max(1, 2 * len(chart.categories) - len(first) - len(last)) + last)
    legend = "● scenario P50  ░ P10–P90  · baseline P50"
    rows.append(" " * 13 + legend + (f"  ─ {chart.limit.name}" if chart.limit else ""))
    return "\n".join([chart.title, *rows])

"""A what-if's chart: cumulative spend P10/P50/P90 against the tightest limit, as the shared chart model.

`spend_chart` builds the renderer-neutral `SpendChart` (`billbot.app.replies.chart`); Slack, the
terminal and the web page each render it (`billbot.slack.charts`, `billbot.terminal.charts`).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from billbot.app.replies.chart import (
    LABEL_MAX,
    NAME_MAX,
    POINTS_MAX,
    TITLE_MAX,
    ChartSeries,
    SpendChart,
    clip,
)
from billbot.whatif.result import WhatIfResult


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
    return SpendChart(clip(f"Spend if {what}", TITLE_MAX), categories, series, limit)


def _labels(points: tuple[datetime, ...]) -> tuple[str, ...]:
    daily = len({p.date() for p in points}) == len(points)
    labels = [p.strftime("%b %d") if daily else p.strftime("%d %H:%M") for p in points]
    # Categories must be unique: a repeated label gets its hour.
    if len(set(labels)) != len(labels):
        labels = [p.strftime("%d %H:%M") for p in points]
    return tuple(label[:LABEL_MAX] for label in labels[:POINTS_MAX])

"""The chart model every interface renders: named lines over categories, and a limit line.

A what-if's cumulative spend P10/P50/P90 against the tightest monthly limit is one; Slack draws it as
its native `data_visualization` block (`billbot.slack.charts`), the terminal as a text chart
(`billbot.terminal.charts`), the web page as SVG. The limits below are Slack's (title ≤ 50 characters,
≤ 6 series with names of ≤ 20, ≤ 20 categories of ≤ 20): a model within them renders everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

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


def clip(text: str, limit: int) -> str:
    """The text cut to `limit` characters with a visible ellipsis."""
    return text if len(text) <= limit else text[: limit - 1] + "…"

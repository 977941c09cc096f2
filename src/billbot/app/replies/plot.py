"""A renderer-neutral plot: categories along x, series drawn as bars or lines, an optional band and limit.

The general form of `billbot.app.replies.chart.SpendChart` (the what-if's chart, which every interface
draws within Slack's chart limits): a plot may have bars, gaps (`None`: a day not billed yet, a day
before a forecast), a shaded band and more categories than Slack draws. Builders put plots in
`Response.plots`; an interface that can draw any plot draws them (the web page, as SVG on the server:
`billbot.web.svg`, which also draws a `SpendChart` as a plot). Figures are `Decimal`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

SeriesStyle = Literal["bar", "line", "dashed"]


@dataclass(frozen=True, slots=True)
class PlotSeries:
    """A named series: one figure (or None) per category, drawn as bars, a line or a dashed line."""

    name: str
    values: tuple[Decimal | None, ...]
    style: SeriesStyle = "line"


@dataclass(frozen=True, slots=True)
class PlotBand:
    """A shaded range between two figures per category (e.g. a forecast's low and high)."""

    name: str
    low: tuple[Decimal | None, ...]
    high: tuple[Decimal | None, ...]


@dataclass(frozen=True, slots=True)
class Plot:
    """One plot: title, x categories, series, an optional band and limit line, axis labels, a summary.

    `summary` says the plot in one sentence: alt text for screen readers, and the fallback where it
    cannot be drawn.
    """

    title: str
    categories: tuple[str, ...]
    series: tuple[PlotSeries, ...]
    summary: str
    band: PlotBand | None = None
    limit: PlotSeries | None = None
    x_label: str = "Day (UTC)"
    y_label: str = "USD"

    def __post_init__(self) -> None:
        lines = [*self.series, *([self.limit] if self.limit else [])]
        lengths = {len(line.values) for line in lines}
        if self.band is not None:
            lengths |= {len(self.band.low), len(self.band.high)}
        if lengths - {len(self.categories)}:
            raise ValueError(f"chart {self.title!r}: every series needs one value per category")

    def figures(self) -> list[Decimal]:
        """Every figure in the chart (series, band, limit), for scaling an axis."""
        lines = [*self.series, *([self.limit] if self.limit else [])]
        values = [v for line in lines for v in line.values]
        if self.band is not None:
            values += [*self.band.low, *self.band.high]
        return [v for v in values if v is not None]

"""A renderer-neutral `Plot` as SVG, drawn on the server: bars, a shaded band, lines and a limit.

The SVG scales to its container (viewBox), names itself for screen readers (`role="img"` with the
chart's title and summary), and takes its colours from the stylesheet by class, so the page needs no
script and no inline style. A frame sets its proportions: `WIDE` for a screen, `NARROW` for a phone
(fewer, larger labels), and the stylesheet shows the one that fits. Bars of several series in one
category are stacked; a series' `None` leaves a gap. Coordinates are floats (geometry); figures are
shown with `usd`, from the Decimals.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from html import escape

from billbot.app.replies.chart import SpendChart
from billbot.app.replies.plot import Plot, PlotSeries
from billbot.core.money import usd

LEFT, RIGHT, TOP, BOTTOM = 60, 12, 12, 36
TICKS = 4
LINE_COLOURS = 4  # line-0 … line-3 in the stylesheet


@dataclass(frozen=True, slots=True)
class Frame:
    """An SVG's proportions (its viewBox) and how many x labels fit."""

    name: str
    width: int
    height: int
    x_labels: int


WIDE = Frame("wide", 720, 260, 8)
NARROW = Frame("narrow", 360, 240, 4)


def chart_svg(chart: Plot, chart_id: str, frame: Frame = WIDE) -> str:
    """The chart as an inline `<svg>` element; `chart_id` makes its ids unique on the page."""
    top = _nice_top(max(chart.figures(), default=Decimal(0)))
    plot = _Plot(frame, len(chart.categories), top)
    parts = [
        f'<svg class="chart chart-{frame.name}" viewBox="0 0 {frame.width} {frame.height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" preserveAspectRatio="xMidYMid meet">',
        f'<title id="{chart_id}-title">{escape(chart.title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(chart.summary)}</desc>',
        *_grid(plot, top),
        *_band(plot, chart),
        *_bars(plot, [s for s in chart.series if s.style == "bar"]),
        *_lines(plot, chart),
        *([_line(plot, chart.limit.values, "limit")] if chart.limit else []),
        *_x_labels(plot, chart.categories),
        "</svg>",
    ]
    return "".join(part for part in parts if part)


def legend_items(chart: Plot) -> list[tuple[str, str]]:
    """(swatch class, name) for each thing drawn, in drawing order, for an HTML legend."""
    items = []
    bars = lines = 0
    for series in chart.series:
        if series.style == "bar":
            items.append((f"bar-{min(bars, 1)}", series.name))
            bars += 1
        else:
            items.append((f"line line-{lines % LINE_COLOURS}", series.name))
            lines += 1
    if chart.band is not None:
        items.append(("band", chart.band.name))
    if chart.limit is not None:
        items.append(("limit", chart.limit.name))
    return items


class _Plot:
    """Where categories and figures land inside the plot area."""

    def __init__(self, frame: Frame, count: int, top: Decimal) -> None:
        self.frame = frame
        self.count = max(count, 1)
        self.top = top
        self.width = frame.width - LEFT - RIGHT
        self.height = frame.height - TOP - BOTTOM
        self.step = self.width / self.count

    def x(self, index: int) -> float:
        """The centre of category `index`."""
        return LEFT + self.step * (index + 0.5)

    def y(self, value: Decimal) -> float:
        """The height of a figure (0 at the bottom of the plot)."""
        share = float(value / self.top) if self.top else 0.0
        return TOP + self.height * (1 - max(0.0, min(share, 1.0)))


def _grid(plot: _Plot, top: Decimal) -> Iterator[str]:
    for tick in range(TICKS + 1):
        value = top * tick / TICKS
        y = plot.y(value)
        yield f'<line class="grid" x1="{LEFT}" x2="{plot.frame.width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        yield f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{escape(_money_tick(value))}</text>'
    y = plot.y(Decimal(0))
    yield f'<line class="axis" x1="{LEFT}" x2="{plot.frame.width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'


def _bars(plot: _Plot, series: Sequence[PlotSeries]) -> Iterator[str]:
    width = max(plot.step * 0.72, 1.0)
    for index in range(plot.count):
        base = Decimal(0)
        for number, one in enumerate(series):
            value = one.values[index] if index < len(one.values) else None
            if value is None or value <= 0:
                continue
            y_top, y_base = plot.y(base + value), plot.y(base)
            x = plot.x(index) - width / 2
            tip = f"<title>{escape(one.name)}: {usd(value)}</title>"
            yield (
                f'<rect class="bar-{min(number, 1)}" x="{x:.1f}" y="{y_top:.1f}" width="{width:.1f}" '
                f'height="{max(y_base - y_top, 0.5):.1f}">{tip}</rect>'
            )
            base += value


def _band(plot: _Plot, chart: Plot) -> Iterator[str]:
    band = chart.band
    if band is None:
        return
    for run in _runs(
        [low is not None and high is not None for low, high in zip(band.low, band.high, strict=True)]
    ):
        upper = [(plot.x(i), plot.y(_known(band.high[i]))) for i in run]
        lower = [(plot.x(i), plot.y(_known(band.low[i]))) for i in reversed(run)]
        if len(run) == 1:  # one day: a box of the bar's width
            half = plot.step * 0.36
            (x, y_high), (_, y_low) = upper[0], lower[0]
            upper = [(x - half, y_high), (x + half, y_high)]
            lower = [(x + half, y_low), (x - half, y_low)]
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in [*upper, *lower])
        yield f'<polygon class="band" points="{points}"/>'


def _lines(plot: _Plot, chart: Plot) -> Iterator[str]:
    lines = [series for series in chart.series if series.style != "bar"]
    for number, series in enumerate(lines):
        css = f"line line-{number % LINE_COLOURS}" + (" dashed" if series.style == "dashed" else "")
        yield _line(plot, series.values, css)


def plot_of(chart: SpendChart) -> Plot:
    """A `SpendChart` (the what-if's, drawn by every interface) as a plot: its lines and limit."""
    ends = ", ".join(f"{s.name} {usd(s.values[-1])}" for s in chart.series if s.values)
    limit = f"; {chart.limit.name} {usd(chart.limit.values[0])}" if chart.limit and chart.limit.values else ""
    until = chart.categories[-1] if chart.categories else "the end"
    return Plot(
        chart.title,
        chart.categories,
        tuple(PlotSeries(s.name, tuple(s.values)) for s in chart.series),
        f"{chart.title}, by {until}: {ends}{limit}.",
        limit=None if chart.limit is None else PlotSeries(chart.limit.name, tuple(chart.limit.values)),
        x_label="Date (UTC)",
        y_label=chart.y_label,
    )


def _line(plot: _Plot, values: Sequence[Decimal | None], css: str) -> str:
    paths = []
    for run in _runs([value is not None for value in values]):
        points = [(plot.x(i), plot.y(_known(values[i]))) for i in run]
        if len(points) == 1:  # a single figure: a short tick across its category
            x, y = points[0]
            points = [(x - plot.step * 0.36, y), (x + plot.step * 0.36, y)]
        paths.append("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points))
    return f'<path class="{css}" d="{" ".join(paths)}"/>' if paths else ""


def _x_labels(plot: _Plot, categories: Sequence[str]) -> Iterator[str]:
    every = max(1, math.ceil(len(categories) / plot.frame.x_labels))
    y = plot.frame.height - BOTTOM + 18
    for index, label in enumerate(categories):
        if index % every == 0:
            yield f'<text x="{plot.x(index):.1f}" y="{y}" text-anchor="middle">{escape(label)}</text>'


def _runs(flags: Sequence[bool]) -> Iterator[list[int]]:
    """Consecutive indexes where `flags` is true."""
    run: list[int] = []
    for index, flag in enumerate(flags):
        if flag:
            run.append(index)
        elif run:
            yield run
            run = []
    if run:
        yield run


def _known(value: Decimal | None) -> Decimal:
    assert value is not None, "runs hold figures only"
    return value


def _nice_top(largest: Decimal) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 × 10^k, times the ticks, at or above the largest figure."""
    if largest <= 0:
        return Decimal(TICKS)
    raw = largest / TICKS
    power = Decimal(10) ** math.floor(math.log10(raw))
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        if power * factor >= raw:
            return power * factor * TICKS
    return power * 10 * TICKS


def _money_tick(value: Decimal) -> str:
    if value >= 1000:
        return f"${value / 1000:,.1f}k".replace(".0k", "k")
    return f"${value:,.0f}" if value == value.to_integral_value() else f"${value:,.2f}"

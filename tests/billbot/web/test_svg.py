"""Charts as SVG on the server: bars to scale, gaps for missing days, the band, labels escaped."""

from __future__ import annotations

import re
from decimal import Decimal

from billbot.app.replies.chart import ChartSeries, SpendChart
from billbot.app.replies.model import Response
from billbot.app.replies.plot import Plot, PlotBand, PlotSeries
from billbot.web.panels import PanelSpec
from billbot.web.render import response_html
from billbot.web.svg import NARROW, WIDE, chart_svg, legend_items, plot_of

D = Decimal


def chart(title: str = "Spend by day") -> Plot:
    return Plot(
        title,
        ("Nov 01", "Nov 02", "Nov 03", "Nov 04"),
        (
            PlotSeries("Billed", (D(10), D(40), None, None), "bar"),
            PlotSeries("Forecast per day", (None, None, D(25), D(25)), "dashed"),
        ),
        "Billed $50.00 over 2 days.",
        band=PlotBand("Forecast range", (None, None, D(10), D(10)), (None, None, D(40), D(40))),
        limit=PlotSeries("Limit", (D(50),) * 4),
    )


def heights(svg: str) -> list[float]:
    return [float(h) for h in re.findall(r'<rect class="bar-0"[^>]* height="([\d.]+)"', svg)]


def test_bars_are_to_scale_and_missing_days_have_none() -> None:
    svg = chart_svg(chart(), "c")
    small, large = heights(svg)
    assert abs(large / small - 4) < 0.05  # $40 is four times $10
    assert svg.count('<rect class="bar-0"') == 2
    assert "<title>Billed: $40.00</title>" in svg


def test_band_forecast_line_and_limit_are_drawn_with_the_stylesheets_classes() -> None:
    svg = chart_svg(chart(), "c")
    assert svg.count('<polygon class="band"') == 1
    assert '<path class="line line-0 dashed"' in svg and '<path class="limit"' in svg
    assert "style=" not in svg and "<script" not in svg  # colours come from the stylesheet
    assert legend_items(chart()) == [
        ("bar-0", "Billed"), ("line line-0", "Forecast per day"), ("band", "Forecast range"),
        ("limit", "Limit"),
    ]  # fmt: skip


def test_the_svg_names_itself_for_screen_readers_and_escapes_text() -> None:
    svg = chart_svg(chart("<b>Spend</b> & more"), "spend-chart")
    assert 'role="img" aria-labelledby="spend-chart-title spend-chart-desc"' in svg
    assert '<title id="spend-chart-title">&lt;b&gt;Spend&lt;/b&gt; &amp; more</title>' in svg
    assert '<desc id="spend-chart-desc">Billed $50.00 over 2 days.</desc>' in svg


def test_the_narrow_frame_shows_fewer_labels() -> None:
    days = tuple(f"Nov {n:02d}" for n in range(1, 31))
    month = Plot("m", days, (PlotSeries("Billed", tuple(D(n) for n in range(30)), "bar"),), "s")

    def labels(svg: str) -> list[str]:
        return re.findall(r'text-anchor="middle">(Nov \d\d)<', svg)

    assert len(labels(chart_svg(month, "w", WIDE))) == 8
    assert len(labels(chart_svg(month, "n", NARROW))) == 4
    assert 'viewBox="0 0 360 240"' in chart_svg(month, "n", NARROW)


def test_an_empty_chart_still_draws_its_axis() -> None:
    empty = Plot("e", ("Nov 01",), (PlotSeries("Billed", (None,), "bar"),), "Nothing billed.")
    svg = chart_svg(empty, "e")
    assert '<line class="axis"' in svg and "<rect" not in svg


def test_the_what_ifs_spend_chart_is_drawn_as_a_plot_of_lines_and_its_limit() -> None:
    lines = tuple(
        ChartSeries(name, tuple(D(base + 10 * day) for day in range(5)))
        for name, base in (
            ("Scenario P90", 60),
            ("Scenario P50", 50),
            ("Scenario P10", 40),
            ("Baseline P50", 30),
        )
    )
    spend = SpendChart("Spend if traffic x2", ("Nov 22", "Nov 23", "Nov 24", "Nov 25", "Nov 26"), lines,
                       ChartSeries("Org limit", (D(120),) * 5))  # fmt: skip
    svg = chart_svg(plot_of(spend), "whatif")
    assert [f"line-{n}" in svg for n in range(4)] == [True] * 4 and '<path class="limit"' in svg
    assert "Scenario P90 $100.00" in plot_of(spend).summary and "Org limit $120.00" in plot_of(spend).summary
    html = response_html(Response("What-if", "sandbox", chart=spend), PanelSpec("w", "W", str), "w")
    assert html.count("<svg") == 2 and "Baseline P50" in html  # wide and narrow frames, and the legend

"""Charts as SVG on the server: bars to scale, gaps for missing days, the band, labels escaped."""

from __future__ import annotations

import re
from decimal import Decimal

from billbot.app.replies.chart import Chart, ChartBand, ChartSeries
from billbot.web.svg import NARROW, WIDE, chart_svg, legend_items

D = Decimal


def chart(title: str = "Spend by day") -> Chart:
    return Chart(
        title,
        ("Nov 01", "Nov 02", "Nov 03", "Nov 04"),
        (
            ChartSeries("Billed", (D(10), D(40), None, None), "bar"),
            ChartSeries("Forecast per day", (None, None, D(25), D(25)), "dashed"),
        ),
        "Billed $50.00 over 2 days.",
        band=ChartBand("Forecast range", (None, None, D(10), D(10)), (None, None, D(40), D(40))),
        limit=ChartSeries("Limit", (D(50),) * 4),
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
    assert '<path class="line dashed"' in svg and '<path class="limit"' in svg
    assert "style=" not in svg and "<script" not in svg  # colours come from the stylesheet
    assert legend_items(chart()) == [
        ("bar-0", "Billed"), ("line", "Forecast per day"), ("band", "Forecast range"), ("limit", "Limit"),
    ]  # fmt: skip


def test_the_svg_names_itself_for_screen_readers_and_escapes_text() -> None:
    svg = chart_svg(chart("<b>Spend</b> & more"), "spend-chart")
    assert 'role="img" aria-labelledby="spend-chart-title spend-chart-desc"' in svg
    assert '<title id="spend-chart-title">&lt;b&gt;Spend&lt;/b&gt; &amp; more</title>' in svg
    assert '<desc id="spend-chart-desc">Billed $50.00 over 2 days.</desc>' in svg


def test_the_narrow_frame_shows_fewer_labels() -> None:
    days = tuple(f"Nov {n:02d}" for n in range(1, 31))
    month = Chart("m", days, (ChartSeries("Billed", tuple(D(n) for n in range(30)), "bar"),), "s")

    def labels(svg: str) -> list[str]:
        return re.findall(r'text-anchor="middle">(Nov \d\d)<', svg)

    assert len(labels(chart_svg(month, "w", WIDE))) == 8
    assert len(labels(chart_svg(month, "n", NARROW))) == 4
    assert 'viewBox="0 0 360 240"' in chart_svg(month, "n", NARROW)


def test_an_empty_chart_still_draws_its_axis() -> None:
    empty = Chart("e", ("Nov 01",), (ChartSeries("Billed", (None,), "bar"),), "Nothing billed.")
    svg = chart_svg(empty, "e")
    assert '<line class="axis"' in svg and "<rect" not in svg

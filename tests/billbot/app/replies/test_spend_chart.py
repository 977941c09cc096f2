"""Spend by day as a chart: billed days as bars, today's estimate, the forecast band to month end."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from billbot.app.replies.builders import spend_response
from billbot.app.replies.plot import Plot, PlotSeries
from billbot.app.replies.spend_chart import spend_by_day_chart
from billbot.core.entries import CostEntry
from billbot.core.money import usd
from billbot.core.periods import parse_period
from billbot.core.spend import answer_spend, daily_amounts
from billbot.whatif.forecast import MonthEndForecast

D = Decimal
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
SOURCE = "sandbox · simulated org 'demo'"


def day(number: int, month: int = 11) -> datetime:
    return datetime(2026, month, number, tzinfo=UTC)


def costs() -> list[CostEntry]:
    # Weekdays $40, weekends $20 (Nov 1 2026 is a Sunday); two entries on the 3rd add up.
    entries = [CostEntry(day(n), D(20) if day(n).weekday() >= 5 else D(40)) for n in range(1, 22)]
    return [*entries, CostEntry(day(3), D("2.50"), model="claude-opus-5")]


def test_month_to_date_has_a_bar_per_billed_day_then_the_forecast_band_to_month_end() -> None:
    answer = answer_spend(
        parse_period("mtd", NOW), costs(), now=NOW, unbilled_estimate=D("12"),
        burn_per_day=D(34), burn_range=(D(20), D(40)),
    )  # fmt: skip
    chart = spend_by_day_chart(answer)
    assert chart is not None
    assert (
        chart.categories[0] == "Nov 01" and chart.categories[-1] == "Nov 30" and len(chart.categories) == 30
    )
    billed, estimate, forecast = chart.series
    assert (billed.name, billed.style) == ("Billed", "bar")
    assert billed.values[2] == D("42.50") and billed.values[20] == D(20) and billed.values[21] is None
    assert estimate.values[21] == D(12) and estimate.values.count(None) == 29  # today's, Nov 22, only
    assert (
        forecast.style == "dashed"
        and forecast.values[:21] == (None,) * 21
        and forecast.values[21:] == (D(34),) * 9
    )
    assert chart.band is not None and chart.band.low[21:] == (D(20),) * 9 and chart.band.high[29] == D(40)
    # The month-end range is the forecast run with the lowest and the highest recent day.
    low, high = answer.forecast_range or (None, None)
    assert (
        answer.forecast is not None and low is not None and high is not None and low < answer.forecast < high
    )
    assert f"range ${low:,.2f}–${high:,.2f}" in chart.summary
    assert chart.summary.startswith(f"Billed {usd(answer.billed)} over 21 days, the most on Nov 03 ($42.50)")


def test_with_the_engines_forecast_the_chart_shows_the_same_band_as_the_headline() -> None:
    answer = answer_spend(
        parse_period("mtd", NOW), costs(), now=NOW, unbilled_estimate=D("12"),
        burn_per_day=D(34), burn_range=(D(20), D(40)),
    )  # fmt: skip
    spent = answer.billed + D(12)
    forecast = MonthEndForecast(spent + 90, spent + 180, spent + 270, spent, day(1, 12), "demo")
    response = spend_response(answer, SOURCE, forecast=forecast)
    (chart,) = response.plots
    *_, per_day = chart.series
    # Nov 22..30 are nine days: what the P50 leaves to spend ($180) is $20 a day, P10 $10, P90 $30.
    assert per_day.values[21:] == (D(20),) * 9 and per_day.values[:21] == (None,) * 21
    assert chart.band is not None and chart.band.low[21:] == (D(10),) * 9 and chart.band.high[29] == D(30)
    headline = {fact.label: fact.value for fact in response.facts}["Month-end forecast (estimate)"]
    assert headline == f"{usd(forecast.p50)} (P10 {usd(forecast.p10)} – P90 {usd(forecast.p90)})"
    assert f"month-end forecast {headline}" in chart.summary and "lowest and highest" not in chart.summary


def test_a_finished_month_has_no_forecast_and_every_day_billed() -> None:
    answer = answer_spend(parse_period("2026-10", NOW), [*costs(), CostEntry(day(5, 10), D(7))], now=NOW)
    chart = spend_by_day_chart(answer)
    assert chart is not None and len(chart.categories) == 31 and len(chart.series) == 1
    assert chart.series[0].values[4] == D(7) and chart.series[0].values[5] == D(0)  # a day without cost
    assert chart.band is None and "forecast" not in chart.summary


def test_the_spend_answer_carries_its_chart_and_says_the_same_in_text() -> None:
    answer = answer_spend(parse_period("7d", NOW), costs(), now=NOW, burn_per_day=D(30))
    response = spend_response(answer, SOURCE)
    (chart,) = response.plots
    assert chart.title == "Spend by day · last 7 days" and len(chart.categories) == 7
    assert chart.band is None  # only a month still running has a month-end forecast


def test_daily_amounts_fill_days_without_cost_with_zero() -> None:
    assert daily_amounts([CostEntry(day(2), D(5)), CostEntry(day(9), D(1))], day(1), 3) == (D(0), D(5), D(0))


def test_a_chart_refuses_series_that_do_not_match_its_categories() -> None:
    with pytest.raises(ValueError, match="one value per category"):
        Plot("t", ("a", "b"), (PlotSeries("s", (D(1),)),), "summary")
    chart = Plot("t", ("a", "b"), (PlotSeries("s", (D(1), None)),), "summary")
    assert chart.figures() == [D(1)]

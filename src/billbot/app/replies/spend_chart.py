"""The spend answer as a chart: billed spend by day, today's estimate, and the month-end forecast band.

Days run from the period's first whole day to its end — for a month still running, to the end of the
month. The days ahead show the same forecast as the "Month-end forecast" fact: with the engine's
forecast (P50 and its P10–P90 band), what it leaves to spend spread evenly over the days left; without
it, the recent burn (dashed) within the band of the recent days' lowest and highest daily spend.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from billbot.app.replies.plot import Plot, PlotBand, PlotSeries
from billbot.core.money import usd
from billbot.core.spend import SpendAnswer, month_end_of
from billbot.whatif.forecast import MonthEndForecast

DAY = timedelta(days=1)


def spend_by_day_chart(answer: SpendAnswer, forecast: MonthEndForecast | None = None) -> Plot | None:
    """The chart of a spend answer (with the engine's month-end forecast, if any), or None without days."""
    period = answer.period
    first = answer.daily[0][0] if answer.daily else _midnight(answer.billed_through)
    forecasting = answer.forecast is not None and answer.burn_per_day is not None
    last = month_end_of(period.start) if forecasting else period.end
    days = [first + index * DAY for index in range(max(0, -(-(last - first) // DAY)))]
    if not days:
        return None
    billed = dict(answer.daily)
    today = _midnight(answer.billed_through)
    series = [PlotSeries("Billed", tuple(billed.get(day) for day in days), "bar")]
    if answer.unbilled_estimate and today in days:
        estimate = tuple(answer.unbilled_estimate if day == today else None for day in days)
        series.append(PlotSeries("Not yet billed (estimate)", estimate, "bar"))
    band = None
    ahead = [day >= today for day in days]
    if forecasting and forecast is not None and any(ahead):
        left = Decimal(sum(ahead))

        def per_day(total: Decimal) -> Decimal:
            return max(Decimal(0), (total - forecast.month_to_date) / left).quantize(Decimal("0.01"))

        series.append(PlotSeries("Forecast per day", _on(ahead, per_day(forecast.p50)), "dashed"))
        band = PlotBand(
            "Forecast range", _on(ahead, per_day(forecast.p10)), _on(ahead, per_day(forecast.p90))
        )
    elif forecasting and answer.burn_per_day is not None:
        series.append(PlotSeries("Forecast per day", _on(ahead, answer.burn_per_day), "dashed"))
        if answer.burn_range is not None:
            low, high = answer.burn_range
            band = PlotBand("Forecast range", _on(ahead, low), _on(ahead, high))
    labels = tuple(f"{day:%b %d}" for day in days)
    return Plot(f"Spend by day · {period.label}", labels, tuple(series), _summary(answer, forecast), band)


def _summary(answer: SpendAnswer, forecast: MonthEndForecast | None) -> str:
    """The chart in one sentence (alt text, and the fallback where it cannot be drawn)."""
    days = [(day, amount) for day, amount in answer.daily]
    text = f"Billed {usd(answer.billed)} over {len(days)} day{'s' if len(days) != 1 else ''}"
    if days:
        top_day, top = max(days, key=lambda item: (item[1], item[0]))
        text += f", the most on {top_day:%b %d} ({usd(top)})"
    if answer.unbilled_estimate:
        text += f"; {usd(answer.unbilled_estimate)} not yet billed (estimate)"
    if answer.forecast is not None and forecast is not None:
        text += (
            f"; month-end forecast {usd(forecast.p50)} (P10 {usd(forecast.p10)} – P90 {usd(forecast.p90)})"
        )
    elif answer.forecast is not None:
        text += f"; month-end forecast {usd(answer.forecast)}"
        if answer.forecast_range is not None:
            low, high = answer.forecast_range
            text += f" (range {usd(low)}–{usd(high)}, the last 7 days' lowest and highest day continued)"
    return text + "."


def _on(flags: list[bool], value: Decimal) -> tuple[Decimal | None, ...]:
    return tuple(value if flag else None for flag in flags)


def _midnight(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)

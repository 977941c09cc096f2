"""The spend answer as a chart: billed spend by day, today's estimate, and the month-end forecast band.

Days run from the period's first whole day to its end — for a month still running, to the end of the
month, where the forecast's days carry the recent burn (dashed) within the band of the recent days'
lowest and highest daily spend (the same figures as the "Month-end forecast" fact and its range).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from billbot.app.replies.plot import Plot, PlotBand, PlotSeries
from billbot.core.money import usd
from billbot.core.spend import SpendAnswer, month_end_of

DAY = timedelta(days=1)


def spend_by_day_chart(answer: SpendAnswer) -> Plot | None:
    """The chart of a spend answer, or None when it has no whole day to show."""
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
    if forecasting and answer.burn_per_day is not None:
        ahead = [day >= today for day in days]
        series.append(PlotSeries("Forecast per day", _on(ahead, answer.burn_per_day), "dashed"))
        if answer.burn_range is not None:
            low, high = answer.burn_range
            band = PlotBand("Forecast range", _on(ahead, low), _on(ahead, high))
    labels = tuple(f"{day:%b %d}" for day in days)
    return Plot(f"Spend by day · {period.label}", labels, tuple(series), _summary(answer), band)


def _summary(answer: SpendAnswer) -> str:
    """The chart in one sentence (alt text, and the fallback where it cannot be drawn)."""
    days = [(day, amount) for day, amount in answer.daily]
    text = f"Billed {usd(answer.billed)} over {len(days)} day{'s' if len(days) != 1 else ''}"
    if days:
        top_day, top = max(days, key=lambda item: (item[1], item[0]))
        text += f", the most on {top_day:%b %d} ({usd(top)})"
    if answer.unbilled_estimate:
        text += f"; {usd(answer.unbilled_estimate)} not yet billed (estimate)"
    if answer.forecast is not None:
        text += f"; month-end forecast {usd(answer.forecast)}"
        if answer.forecast_range is not None:
            low, high = answer.forecast_range
            text += f" (range {usd(low)}–{usd(high)}, the last 7 days' lowest and highest day continued)"
    return text + "."


def _on(flags: list[bool], value: Decimal) -> tuple[Decimal | None, ...]:
    return tuple(value if flag else None for flag in flags)


def _midnight(moment: datetime) -> datetime:
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)

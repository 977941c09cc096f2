"""The spend answer: billed total for a period, its breakdown, change vs before and a month-end forecast.

Rules:
- The cost report is daily, so "billed" means whole UTC days that have ended. The hours of the day in
  progress are not billed yet: they are an estimate (usage × price list), carried separately and never
  added silently to the billed total.
- A cost day that straddles a period boundary counts in proportion to its overlap (the previous
  period of a month-to-date usually ends mid-day).
- Change vs before compares like with like: billed + unbilled estimate now, against the previous
  period's billed amount. No change is shown when the previous period spent nothing.
- The forecast (month-shaped periods still running) adds the recent daily burn rate for the rest of
  the month to what is billed and estimated so far; its range does the same with the lowest and the
  highest day of the recent days instead of their average.
- Spend by day lists every whole billed day of the period (a day without cost is a zero).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from billbot.core.entries import CostEntry
from billbot.core.periods import Period

SpendDimension = Literal["model", "workspace", "type", "description"]
DAY = timedelta(days=1)
MICROSECOND = timedelta(microseconds=1)
MICROSECONDS_PER_DAY = Decimal(DAY // MICROSECOND)
ZERO = Decimal(0)
DEFAULT_WORKSPACE = "Default workspace"
OTHER_COSTS = "other (web search, code execution)"


@dataclass(frozen=True, slots=True)
class Share:
    """One line of a breakdown: its name, amount and fraction of the total."""

    name: str
    amount: Decimal
    fraction: Decimal


@dataclass(frozen=True, slots=True)
class SpendAnswer:
    """Everything `/claude-spend` says about one period."""

    period: Period
    billed: Decimal
    billed_through: datetime
    unbilled_estimate: Decimal
    previous: Decimal
    change: Decimal | None
    breakdown: tuple[Share, ...]
    forecast: Decimal | None
    # Billed per whole UTC day of the period (its start, amount), through `billed_through`.
    daily: tuple[tuple[datetime, Decimal], ...] = ()
    burn_per_day: Decimal | None = None
    # The recent days' lowest and highest daily spend, and the month-end forecast with each.
    burn_range: tuple[Decimal, Decimal] | None = None
    forecast_range: tuple[Decimal, Decimal] | None = None


def billed_in(costs: Sequence[CostEntry], start: datetime, end: datetime) -> Decimal:
    """Billed amount within `[start, end)`, days straddling an edge counted pro rata."""
    total = ZERO
    for entry in costs:
        overlap = min(entry.day + DAY, end) - max(entry.day, start)
        if overlap <= timedelta(0):
            continue
        total += entry.amount if overlap >= DAY else entry.amount * _days(overlap)
    return total


def last_billed_instant(period: Period, now: datetime) -> datetime:
    """The end of the last whole UTC day of the period that has ended by `now`."""
    today = now.replace(hour=0, minute=0, second=0, microsecond=0)
    return max(period.start, min(period.end, today))


def breakdown(costs: Sequence[CostEntry], by: SpendDimension, names: dict[str, str]) -> tuple[Share, ...]:
    """Amounts per model, workspace, token type or description, largest first."""
    pick = _key(by, names)
    totals: dict[str, Decimal] = {}
    for entry in costs:
        name = pick(entry)
        totals[name] = totals.get(name, ZERO) + entry.amount
    grand = sum(totals.values(), ZERO)
    ordered = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return tuple(Share(name, amount, amount / grand if grand else ZERO) for name, amount in ordered)


def daily_amounts(costs: Sequence[CostEntry], start: datetime, days: int) -> tuple[Decimal, ...]:
    """The amount of each of `days` whole UTC days from `start` (midnight); a day without cost is zero."""
    totals = [ZERO] * days
    for entry in costs:
        index = (entry.day - start) // DAY
        if 0 <= index < days and entry.day == start + index * DAY:
            totals[index] += entry.amount
    return tuple(totals)


def forecast_month_end(so_far: Decimal, burn_per_day: Decimal, now: datetime, month_end: datetime) -> Decimal:
    """What the month will cost if the recent daily burn continues."""
    return so_far + burn_per_day * _days(max(month_end - now, timedelta(0)))


def answer_spend(
    period: Period,
    costs: Sequence[CostEntry],
    *,
    now: datetime,
    unbilled_estimate: Decimal = ZERO,
    burn_per_day: Decimal | None = None,
    burn_range: tuple[Decimal, Decimal] | None = None,
    by: SpendDimension | None = None,
    names: dict[str, str] | None = None,
) -> SpendAnswer:
    """The spend answer for `period` from cost entries covering it and the period before.

    `burn_range` is the recent days' lowest and highest daily spend, for the forecast's range.
    """
    through = last_billed_instant(period, now)
    billed_entries = [entry for entry in costs if period.start <= entry.day and entry.day + DAY <= through]
    billed = billed_in(billed_entries, period.start, through)
    previous_period = period.previous()
    previous = billed_in(costs, previous_period.start, previous_period.end)
    current = billed + unbilled_estimate
    change = (current - previous) / previous if previous else None
    shares = breakdown(billed_entries, by, names or {}) if by is not None else ()
    forecast = forecast_range = None
    if period.month_shaped and not period.complete and burn_per_day is not None:
        month_end = _month_end(period.start)
        forecast = forecast_month_end(current, burn_per_day, now, month_end)
        if burn_range is not None:
            low, high = (forecast_month_end(current, burn, now, month_end) for burn in burn_range)
            forecast_range = (low, high)
    daily = _billed_days(billed_entries, period.start, through)
    return SpendAnswer(
        period, billed, through, unbilled_estimate, previous, change, shares, forecast,
        daily, burn_per_day, burn_range, forecast_range,
    )  # fmt: skip


def _billed_days(
    entries: Sequence[CostEntry], start: datetime, through: datetime
) -> tuple[tuple[datetime, Decimal], ...]:
    first = start.replace(hour=0, minute=0, second=0, microsecond=0)
    first = (
        first if first == start else first + DAY
    )  # a period starting mid-day bills from its first whole day
    days = max(0, (through - first) // DAY)
    amounts = daily_amounts(entries, first, days)
    return tuple((first + index * DAY, amount) for index, amount in enumerate(amounts))


def month_end_of(moment: datetime) -> datetime:
    """The first instant of the month after the one `moment` is in."""
    return _month_end(moment)


def _days(span: timedelta) -> Decimal:
    # Exact: whole microseconds over a day's, never a float ratio (money must not touch floats).
    return Decimal(span // MICROSECOND) / MICROSECONDS_PER_DAY


def _key(by: SpendDimension, names: dict[str, str]) -> Callable[[CostEntry], str]:
    if by == "model":
        return lambda entry: entry.model or OTHER_COSTS
    if by == "workspace":
        return lambda entry: (
            names.get(entry.workspace_id, entry.workspace_id) if entry.workspace_id else DEFAULT_WORKSPACE
        )
    if by == "type":
        return lambda entry: cost_type_name(entry.token_type or entry.cost_type)
    return lambda entry: entry.description or "other"


# The words people use for the cost report's token and cost types (as /claude-usage says them).
TYPE_NAMES = {
    "uncached_input_tokens": "Input, uncached",
    "output_tokens": "Output",
    "cache_read_input_tokens": "Cache reads",
    "cache_creation.ephemeral_5m_input_tokens": "Cache writes (5 min)",
    "cache_creation.ephemeral_1h_input_tokens": "Cache writes (1 hour)",
    "tokens": "Tokens",
    "web_search": "Web search",
    "code_execution": "Code execution",
    "session_usage": "Managed Agents sessions",
}


def cost_type_name(api_name: str | None) -> str:
    """`cache_creation.ephemeral_5m_input_tokens` → "Cache writes (5 min)"; an unknown name as it is."""
    if not api_name:
        return "Other"
    return TYPE_NAMES.get(api_name, api_name.replace("_", " ").capitalize())


def _month_end(start: datetime) -> datetime:
    first = start.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return (first + timedelta(days=32)).replace(day=1)

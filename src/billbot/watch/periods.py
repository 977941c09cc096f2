"""The periods the watch counts in: UTC days, ISO weeks (Monday to Monday) and calendar months.

Every window is half-open `[start, end)` in UTC and has a key that names it in alert keys and messages:
`2026-11-19`, `2026-W47`, `2026-11`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal, get_args

BudgetPeriod = Literal["day", "week", "month"]
BUDGET_PERIODS: tuple[BudgetPeriod, ...] = get_args(BudgetPeriod)
HOUR = timedelta(hours=1)
DAY = timedelta(days=1)
WEEK = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Window:
    """A named half-open UTC interval."""

    key: str
    start: datetime
    end: datetime

    def fraction_elapsed(self, now: datetime) -> float:
        """How much of the window lies before `now` (0 to 1), for display and forecasts."""
        span = (self.end - self.start).total_seconds()
        done = (min(max(now, self.start), self.end) - self.start).total_seconds()
        return done / span if span else 1.0


def floor_hour(moment: datetime) -> datetime:
    """The start of the UTC hour holding `moment`."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def floor_day(moment: datetime) -> datetime:
    """00:00 UTC of the day holding `moment`."""
    return moment.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)


def month_start(moment: datetime) -> datetime:
    """00:00 UTC on the 1st of the month holding `moment`."""
    return floor_day(moment).replace(day=1)


def next_month(moment: datetime) -> datetime:
    """00:00 UTC on the 1st of the month after the one holding `moment`."""
    return (month_start(moment) + timedelta(days=32)).replace(day=1)


def day_window(moment: datetime) -> Window:
    """The UTC day holding `moment`."""
    start = floor_day(moment)
    return Window(f"{start:%Y-%m-%d}", start, start + DAY)


def week_window(moment: datetime) -> Window:
    """The ISO week (Monday 00:00 UTC to the next Monday) holding `moment`."""
    start = floor_day(moment) - timedelta(days=moment.astimezone(UTC).weekday())
    year, week, _ = start.isocalendar()
    return Window(f"{year}-W{week:02d}", start, start + WEEK)


def month_window(moment: datetime) -> Window:
    """The calendar month holding `moment`."""
    start = month_start(moment)
    return Window(f"{start:%Y-%m}", start, next_month(start))


def period_window(period: BudgetPeriod, moment: datetime) -> Window:
    """The day, week or month holding `moment`."""
    if moment.tzinfo is None:
        raise ValueError("moment must be timezone-aware")
    if period == "day":
        return day_window(moment)
    if period == "week":
        return week_window(moment)
    return month_window(moment)


def hours_between(start: datetime, end: datetime) -> int:
    """Whole hours from `start` to `end` (both on hour boundaries)."""
    return int((end - start) // HOUR)

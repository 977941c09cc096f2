"""Reporting periods: the grammar of `/claude-spend PERIOD` turned into half-open UTC intervals.

    today · yesterday · Nd (1-365; 7d, 30d, 90d are the documented ones) · mtd (the default)
    last-month · YYYY-MM · YYYY-MM-DD..YYYY-MM-DD (both days included)

Rules: every period is `[start, end)` in UTC. A period that reaches the present ends at `now`, so "so
far" is never confused with a whole period (`complete` says which). `Nd` is the last N UTC days with
today counted as the first. Every period has a previous one of the same shape for "change vs before":
the month before for month-shaped periods (mtd compares with the same number of days, or the whole
previous month when it is shorter), otherwise the same length immediately before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

DEFAULT_PERIOD = "mtd"
MAX_DAYS = 731
GRAMMAR = "today, yesterday, 7d, 30d, 90d, mtd, last-month, YYYY-MM or YYYY-MM-DD..YYYY-MM-DD"
_DAYS = re.compile(r"(\d{1,4})d")
_MONTH = re.compile(r"(\d{4})-(\d{2})")
_RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")


class PeriodError(ValueError):
    """A period the grammar does not accept; the message says why and what would work."""


@dataclass(frozen=True, slots=True)
class Period:
    """A half-open UTC interval with the words a user typed for it."""

    label: str
    start: datetime
    end: datetime
    complete: bool
    month_shaped: bool = False

    @property
    def days(self) -> float:
        """Length in days (fractional when the period ends now)."""
        return (self.end - self.start) / timedelta(days=1)

    def previous(self) -> Period:
        """The period to compare with: the month before, or the same length just before."""
        if self.month_shaped:
            return _previous_month_shaped(self)
        length = self.end - self.start
        return Period(f"before {self.label}", self.start - length, self.start, complete=True)


def parse_period(text: str | None, now: datetime) -> Period:
    """The period `text` names, relative to `now` (aware); empty means month to date."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    now = now.astimezone(UTC)
    word = (text or DEFAULT_PERIOD).strip().lower()
    today = _midnight(now.date())
    if word == "today":
        return Period("today", today, now, complete=False)
    if word == "yesterday":
        return Period("yesterday", today - timedelta(days=1), today, complete=True)
    if word == "mtd":
        return Period("month to date", _midnight(now.date().replace(day=1)), now, False, month_shaped=True)
    if word == "last-month":
        return _month(_previous_month_start(now.date()), now, "last month")
    if match := _DAYS.fullmatch(word):
        return _last_days(int(match.group(1)), today, now)
    if match := _MONTH.fullmatch(word):
        return _month(_month_start(int(match.group(1)), int(match.group(2)), word), now, word)
    if match := _RANGE.fullmatch(word):
        return _range(match.group(1), match.group(2), now)
    raise PeriodError(f"unknown period {text!r}: use {GRAMMAR}")


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _last_days(count: int, today: datetime, now: datetime) -> Period:
    if not 1 <= count <= 365:
        raise PeriodError(f"{count}d: the number of days must be between 1 and 365")
    start = today - timedelta(days=count - 1)
    return Period(f"last {count} days", start, now, complete=False)


def _month_start(year: int, month: int, text: str) -> date:
    if not 1 <= month <= 12:
        raise PeriodError(f"{text}: there is no month {month:02d}")
    if year < 2000:
        raise PeriodError(f"{text}: the year must be 2000 or later")
    return date(year, month, 1)


def _next_month(first: date) -> date:
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def _previous_month_start(day: date) -> date:
    first = day.replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def _month(first: date, now: datetime, label: str) -> Period:
    start, end = _midnight(first), _midnight(_next_month(first))
    if start > now:
        raise PeriodError(f"{label}: that month has not started yet")
    if end > now:
        return Period(label, start, now, complete=False, month_shaped=True)
    return Period(label, start, end, complete=True, month_shaped=True)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"{text}: not a real date (YYYY-MM-DD)") from None


def _range(first_text: str, last_text: str, now: datetime) -> Period:
    first, last = _day(first_text), _day(last_text)
    label = f"{first_text}..{last_text}"
    if last < first:
        raise PeriodError(f"{label}: the end is before the start")
    if (last - first).days + 1 > MAX_DAYS:
        raise PeriodError(f"{label}: a range can span at most {MAX_DAYS} days")
    start, end = _midnight(first), _midnight(last + timedelta(days=1))
    if start > now:
        raise PeriodError(f"{label}: the range starts in the future")
    if end > now:
        return Period(label, start, now, complete=False)
    return Period(label, start, end, complete=True)


def _previous_month_shaped(period: Period) -> Period:
    first = _previous_month_start(period.start.date())
    start, month_end = _midnight(first), _midnight(_next_month(first))
    end = min(start + (period.end - period.start), month_end)
    return Period(f"{first:%Y-%m}", start, end, complete=end == month_end, month_shaped=True)

"""Hourly cost series and their robust seasonal baseline: what an hour usually costs, and how much it varies.

Rules:
- A series holds one scope's estimated cost per UTC hour from `start`; the hour holding "now" is
  partial (it grows until the hour ends). Missing hours count as zero: no usage, no cost.
- The baseline of an hour is the median of the same hour of the week over the last four weeks, taking
  the neighbouring hours too (12 samples: one hour's work shifts by an hour from week to week), and its
  spread is the scaled median absolute deviation (1.4826 × MAD, the standard deviation for normal data).
- While there are fewer than three weeks of history, the same hour of the day over the last seven days
  stands in (`mode = "daily"`, which ignores weekends, so the anomaly rule asks for more there); with
  under two days of history there is no baseline. Three weeks, because a past incident fills the 3
  samples of its week: with two weeks that is half the samples and the median follows it.
- Medians and MADs are computed in Decimal like every amount; they are cheap at these sizes, and the
  results of past hours never change, so callers may cache them by (scope, hour).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from billbot.watch.periods import HOUR

ZERO = Decimal(0)
MAD_SCALE = Decimal("1.4826")
WEEK_HOURS = 168
SEASONAL_WEEKS = 4
FALLBACK_DAYS = 7
BaselineMode = Literal["seasonal", "daily"]


@dataclass(frozen=True, slots=True)
class HourlySeries:
    """Estimated cost per hour: `values[i]` covers hour `start + i h`; the last may be partial."""

    start: datetime
    values: Sequence[Decimal]

    def index(self, hour: datetime) -> int:
        """The position of the hour starting at `hour` (may be outside the series)."""
        return int((hour - self.start) // HOUR)

    def at(self, index: int) -> Decimal:
        """The cost of hour `index`, zero outside the series."""
        return self.values[index] if 0 <= index < len(self.values) else ZERO

    def total(self, first: int, end: int) -> Decimal:
        """The cost of hours `[first, end)`."""
        first, end = max(first, 0), min(end, len(self.values))
        return sum(self.values[first:end], ZERO) if end > first else ZERO


@dataclass(frozen=True, slots=True)
class Baseline:
    """What an hour usually costs (`expected`), how much it varies (`spread`) and how that was judged."""

    expected: Decimal
    spread: Decimal
    samples: int
    mode: BaselineMode


def median(values: Sequence[Decimal]) -> Decimal:
    """The median (the mean of the middle two for an even count); zero for no values."""
    if not values:
        return ZERO
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def baseline(series: HourlySeries, index: int) -> Baseline | None:
    """The robust baseline of hour `index` from the hours before it (see the module rules)."""
    weeks = min(SEASONAL_WEEKS, (index - 1) // WEEK_HOURS)
    if weeks >= 3:
        offsets = [k * WEEK_HOURS for k in range(1, weeks + 1)]
        mode: BaselineMode = "seasonal"
    else:
        days = min(FALLBACK_DAYS, (index - 1) // 24)
        if days < 2:
            return None
        offsets = [k * 24 for k in range(1, days + 1)]
        mode = "daily"
    samples = [series.at(index - offset + shift) for offset in offsets for shift in (-1, 0, 1)]
    expected = median(samples)
    spread = MAD_SCALE * median([abs(sample - expected) for sample in samples])
    return Baseline(expected, spread, len(samples), mode)


@dataclass(frozen=True, slots=True)
class Profile:
    """The expected cost of each of the next 168 hours from `start_index`, with prefix sums for speed."""

    start_index: int
    hours: tuple[Decimal, ...]
    prefix: tuple[Decimal, ...]  # prefix[k] = sum of hours[:k]

    @property
    def week(self) -> Decimal:
        """The expected cost of a whole week."""
        return self.prefix[-1]

    def through(self, count: int) -> Decimal:
        """The expected cost of hours `[0, count)` after the start (repeating week after week)."""
        cycles, rest = divmod(count, WEEK_HOURS)
        return self.week * cycles + self.prefix[rest]


def expected_profile(series: HourlySeries, index: int) -> Profile:
    """What each of the 168 hours from hour `index` on is expected to cost, from the history before it.

    Hour `index + j` is expected to cost the median of the same hour of the week over the last four
    weeks (with under two weeks of history: the same hour of the day over the last seven days).
    """
    weeks = min(SEASONAL_WEEKS, index // WEEK_HOURS)
    days = min(FALLBACK_DAYS, index // 24)
    hours = []
    for j in range(WEEK_HOURS):
        if weeks >= 2:
            back = [index + j - k * WEEK_HOURS for k in range(1, weeks + 1)]
        else:
            latest = index + j % 24 - 24
            back = [latest - 24 * d for d in range(days)]
        hours.append(median([series.at(b) for b in back]))
    prefix = [ZERO]
    for value in hours:
        prefix.append(prefix[-1] + value)
    return Profile(index, tuple(hours), tuple(prefix))


def project(
    profile: Profile, now: datetime, until: datetime, remaining: Decimal, offset: int = 0
) -> tuple[Decimal, datetime | None]:
    """Expected cost from `now` to `until`, and when it adds up to `remaining` (None: not before `until`).

    The hour holding `now` is hour `offset` of `profile` (a profile made at the start of the day
    serves the whole day); its rest counts pro rata. `until` is on an hour boundary (periods and
    months are). The moment of reaching `remaining` is interpolated within its hour.
    """
    hour_end = now.replace(minute=0, second=0, microsecond=0) + HOUR
    if until <= now:
        return ZERO, (now if remaining <= 0 else None)
    rest = Decimal((hour_end - now) // timedelta(microseconds=1)) / 3_600_000_000
    first = profile.hours[offset % WEEK_HOURS]
    current = first * rest
    later = max(0, int((until - hour_end) // HOUR))

    def after(count: int) -> Decimal:  # the `count` whole hours after the current one
        return profile.through(offset + count + 1) - profile.through(offset + 1)

    total = current + after(later)
    if remaining <= 0:
        return total, now
    if current >= remaining:
        return total, now + HOUR * float(remaining / first)
    if total < remaining:
        return total, None
    low, high = 1, later  # the first count of later hours whose sum reaches what is left
    while low < high:
        middle = (low + high) // 2
        if current + after(middle) >= remaining:
            high = middle
        else:
            low = middle + 1
    before = current + after(low - 1)
    cost = profile.hours[(offset + low) % WEEK_HOURS]
    share = float((remaining - before) / cost) if cost else 1.0
    return total, hour_end + HOUR * (low - 1) + HOUR * share

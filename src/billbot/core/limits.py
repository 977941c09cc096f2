"""The limits answer: how close the organisation is to each rate limit and monthly spend limit.

Rules:
- Rate limits: the peak per-minute input and output tokens of the last 24 hours (1-minute usage
  buckets, summed over the models of each rate-limit group) as a share of the group's ITPM and OTPM.
  Input counts uncached input and cache writes; cache reads do not count on current models.
- Spend limits (the tier's monthly cap, the organisation's and each workspace's self-set limit):
  month-to-date spend against each, and the date it would be reached at the recent daily burn — only
  when that falls within this month, since every monthly limit resets at 00:00 UTC on the 1st.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from billbot.core.entries import UsageEntry
from billbot.core.spend import MICROSECONDS_PER_DAY


@dataclass(frozen=True, slots=True)
class RateLimitGroup:
    """One rate-limit group: its models and per-minute limits (None: no limit)."""

    name: str
    models: tuple[str, ...]
    rpm: int | None
    itpm: int | None
    otpm: int | None


@dataclass(frozen=True, slots=True)
class RateUse:
    """A group's peak minute of the last 24 hours against its limits."""

    group: RateLimitGroup
    peak_input: int
    peak_output: int

    @property
    def input_share(self) -> Decimal | None:
        """Peak input tokens per minute over ITPM."""
        return _share(self.peak_input, self.group.itpm)

    @property
    def output_share(self) -> Decimal | None:
        """Peak output tokens per minute over OTPM."""
        return _share(self.peak_output, self.group.otpm)


@dataclass(frozen=True, slots=True)
class SpendLimitUse:
    """Month-to-date spend against one monthly limit."""

    name: str
    limit: Decimal
    month_to_date: Decimal
    reached_at: datetime | None

    @property
    def fraction(self) -> Decimal:
        """Share of the limit spent (may exceed 1: charges land after admission)."""
        return self.month_to_date / self.limit if self.limit else Decimal(1)

    @property
    def reached(self) -> bool:
        """Whether the limit is already reached (requests are refused)."""
        return self.month_to_date >= self.limit


def rate_use(groups: Sequence[RateLimitGroup], minutes: Sequence[UsageEntry]) -> tuple[RateUse, ...]:
    """Peak per-minute tokens per group from 1-minute usage buckets grouped by model."""
    result = []
    for group in groups:
        models = set(group.models)
        input_by_minute: dict[datetime, int] = {}
        output_by_minute: dict[datetime, int] = {}
        for entry in minutes:
            if entry.model in models:
                counted = entry.uncached_input + entry.cache_write_5m + entry.cache_write_1h
                input_by_minute[entry.start] = input_by_minute.get(entry.start, 0) + counted
                output_by_minute[entry.start] = output_by_minute.get(entry.start, 0) + entry.output
        peak_in = max(input_by_minute.values(), default=0)
        result.append(RateUse(group, peak_in, max(output_by_minute.values(), default=0)))
    return tuple(result)


def spend_limit_use(
    name: str, limit: Decimal, month_to_date: Decimal, burn_per_day: Decimal, now: datetime
) -> SpendLimitUse:
    """Month-to-date against `limit`, with the date it is reached this month at the current burn."""
    return SpendLimitUse(name, limit, month_to_date, _reached_at(limit, month_to_date, burn_per_day, now))


def _reached_at(limit: Decimal, spent: Decimal, burn_per_day: Decimal, now: datetime) -> datetime | None:
    if spent >= limit:
        return now
    if burn_per_day <= 0:
        return None
    when = now + timedelta(microseconds=int((limit - spent) / burn_per_day * MICROSECONDS_PER_DAY))
    first = now.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return when if when < next_month else None


def _share(used: int, limit: int | None) -> Decimal | None:
    return Decimal(used) / Decimal(limit) if limit else None

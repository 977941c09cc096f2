"""Limits: peak minutes against ITPM/OTPM per group, spend limits with the date they would be reached."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import TypedDict, Unpack

from billbot.core.entries import UsageEntry
from billbot.core.limits import RateLimitGroup, rate_use, spend_limit_use

D = Decimal
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)
SONNET = RateLimitGroup("Sonnet 5", ("claude-sonnet-5", "claude-sonnet-5-5"), 4000, 2_000_000, 400_000)


class Tokens(TypedDict, total=False):
    """The token counts of a `UsageEntry`, by field name."""

    uncached_input: int
    cache_write_5m: int
    cache_write_1h: int
    cache_read: int
    output: int


def minute(offset: int, model: str, **tokens: Unpack[Tokens]) -> UsageEntry:
    start = NOW - timedelta(minutes=offset)
    return UsageEntry(start, start + timedelta(minutes=1), model=model, **tokens)


def test_peak_minute_sums_the_models_of_a_group_and_ignores_cache_reads() -> None:
    minutes = [
        minute(5, "claude-sonnet-5", uncached_input=600_000, cache_read=900_000, output=10_000),
        minute(5, "claude-sonnet-5-5", uncached_input=400_000, cache_write_5m=100_000, output=30_000),
        minute(9, "claude-sonnet-5", uncached_input=200_000, output=100_000),
        minute(5, "claude-haiku-4-5", uncached_input=5_000_000),
    ]
    (use,) = rate_use([SONNET], minutes)
    assert (use.peak_input, use.peak_output) == (1_100_000, 100_000)
    assert use.input_share == D("0.55") and use.output_share == D("0.25")


def test_a_group_without_traffic_peaks_at_zero_and_no_limit_has_no_share() -> None:
    unlimited = RateLimitGroup("Haiku", ("claude-haiku-4-5",), None, None, None)
    (use,) = rate_use([unlimited], [])
    assert use.peak_input == 0 and use.input_share is None


def test_spend_limit_projects_the_day_it_is_reached_this_month() -> None:
    use = spend_limit_use("Tier cap (Build)", D("1000"), D("800"), D("40"), NOW)
    assert use.reached_at == NOW + timedelta(days=5) and not use.reached
    assert use.fraction == D("0.8")


def test_a_limit_not_reached_before_the_monthly_reset_has_no_date() -> None:
    assert spend_limit_use("Organisation limit", D("1000"), D("100"), D("10"), NOW).reached_at is None
    assert spend_limit_use("Organisation limit", D("1000"), D("100"), D("0"), NOW).reached_at is None


def test_a_reached_limit_says_so() -> None:
    use = spend_limit_use("Workspace Research", D("500"), D("500.02"), D("1"), NOW)
    assert use.reached and use.reached_at == NOW and use.fraction > 1

"""Balance estimate, runway, expiring credits and the usage answer: worked examples."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from billbot.core.balance import Purchase, estimate_balance, expiring_soon, one_year_after
from billbot.core.entries import UsageEntry
from billbot.core.periods import parse_period
from billbot.core.usage import PLAYGROUND, answer_usage

D = Decimal
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def at(month: int, day: int, year: int = 2026) -> datetime:
    return datetime(year, month, day, tzinfo=UTC)


def test_estimate_is_anchor_plus_topups_minus_billed_and_unbilled() -> None:
    answer = estimate_balance(
        anchor=D("1000"),
        anchored_at=at(11, 1),
        purchases=[Purchase(D("500"), at(11, 10)), Purchase(D("300"), at(10, 20))],  # the second predates it
        billed_since=D("420.50"),
        unbilled_estimate=D("9.50"),
        burn_per_day=D("20"),
        now=NOW,
        reload_threshold=D("670"),
    )
    assert answer.estimate == D("1070")
    assert answer.topups_since == D("500")
    assert answer.runway_until == NOW + timedelta(days=53.5)
    assert answer.next_reload_at == NOW + timedelta(days=20)


def test_runway_is_open_without_spending_and_now_when_already_empty() -> None:
    idle = estimate_balance(
        anchor=D("5"), anchored_at=at(11, 1), purchases=[], billed_since=D(0),
        unbilled_estimate=D(0), burn_per_day=D(0), now=NOW,
    )  # fmt: skip
    assert idle.runway_until is None and idle.next_reload_at is None
    empty = estimate_balance(
        anchor=D("5"), anchored_at=at(11, 1), purchases=[], billed_since=D("6"),
        unbilled_estimate=D(0), burn_per_day=D(1), now=NOW,
    )  # fmt: skip
    assert empty.estimate == D("-1") and empty.runway_until == NOW


def test_what_is_left_sits_in_the_newest_purchases_so_old_ones_expire_with_little() -> None:
    purchases = [
        Purchase(D("4000"), at(12, 12, 2025)),  # expires 2026-12-12: within 30 days
        Purchase(D("5000"), at(11, 8)),
    ]
    assert expiring_soon(D("9000"), purchases, NOW)[0].amount == D("4000")
    assert expiring_soon(D("6000"), purchases, NOW)[0].amount == D("1000")
    assert expiring_soon(D("4000"), purchases, NOW) == ()  # all of it is in the newer lot


def test_leap_day_purchases_expire_on_28_february() -> None:
    assert one_year_after(datetime(2028, 2, 29, 9, tzinfo=UTC)) == datetime(2029, 2, 28, 9, tzinfo=UTC)


def test_usage_totals_cache_ratio_and_top_names() -> None:
    start, end = at(11, 1), at(11, 2)
    by_model = [
        UsageEntry(start, end, uncached_input=100, cache_read=300, output=50, model="claude-sonnet-5"),
        UsageEntry(start, end, uncached_input=400, cache_write_5m=200, output=10, model="claude-haiku-4-5"),
    ]
    by_key = [
        UsageEntry(start, end, uncached_input=500, output=60, api_key_id="apikey_1"),
        UsageEntry(start, end, cache_read=300, cache_write_5m=200, api_key_id=None),
    ]
    answer = answer_usage(parse_period("mtd", NOW), by_key, by_model, key_names={"apikey_1": "prod"})
    assert answer.totals.input_tokens == 1000 and answer.totals.output == 60
    assert answer.totals.cache_hit_ratio == D("0.3")
    assert [(r.name, r.tokens) for r in answer.top_models] == [
        ("claude-haiku-4-5", 610),
        ("claude-sonnet-5", 450),
    ]
    assert [r.name for r in answer.top_keys] == ["prod", PLAYGROUND]

"""Usage priced from the price list: the same dollars the sandbox charges, per band, unknown models apart."""

from __future__ import annotations

from datetime import UTC, datetime

from billbot.core.entries import UsageEntry
from billbot.core.estimate import UsagePricer
from sandbox.pricing import PriceList
from sandbox.tokens import TokenUsage

T = datetime(2026, 11, 1, tzinfo=UTC)


def test_a_bucket_costs_what_its_requests_were_charged() -> None:
    prices = PriceList.default()
    one = TokenUsage(
        uncached_input=1200, cache_write_5m=300, cache_read=5000, output=800, web_search_requests=2
    )
    charged = prices.price("claude-sonnet-5", one).total * 3
    bucket = UsageEntry(
        T, T, uncached_input=3600, cache_write_5m=900, cache_read=15000, output=2400, web_search_requests=6,
        model="claude-sonnet-5", service_tier="standard", context_window="0-200k", inference_geo="global",
    )  # fmt: skip
    assert UsagePricer(prices).estimate([bucket]).amount == charged


def test_batch_and_long_context_buckets_use_their_rates() -> None:
    prices = PriceList.default()
    pricer = UsagePricer(prices)
    standard = UsageEntry(T, T, uncached_input=1_000_000, model="claude-sonnet-5")
    batch = UsageEntry(T, T, uncached_input=1_000_000, model="claude-sonnet-5", service_tier="batch")
    assert pricer.estimate([batch]).amount * 2 == pricer.estimate([standard]).amount


def test_unknown_models_are_counted_apart_not_priced_at_zero() -> None:
    estimate = UsagePricer(PriceList.default()).estimate(
        [UsageEntry(T, T, output=10, model="claude-future-9")]
    )
    assert estimate.amount == 0 and estimate.unpriced_models == {"claude-future-9"}

"""Estimated cost of usage buckets from the price list: for hours not billed yet and for cost by API key.

The cost report is exact but daily and cannot group by key; usage × price list fills those gaps and is
always labelled an estimate. Buckets aggregate many requests, so a bucket is priced per token at the
rates of its `context_window` (base rates for "0-200k", long-context rates for "200k-1M"); a rule
that depends on one request's size below 200K (Haiku 5.5 above 100K) cannot be seen in a bucket, which
is one more reason the result is an estimate. A model missing from the price list is counted apart.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from billbot.core.entries import UsageEntry
from sandbox.pricing import PriceList, UnknownModelError
from sandbox.tokens import TokenUsage

LONG_SAMPLE = 200_001  # tokens per type in a sample request that is certainly long-context
_Rates = tuple[Decimal, Decimal, Decimal, Decimal, Decimal, Decimal]


@dataclass(frozen=True, slots=True)
class Estimate:
    """Estimated dollars, and the models that could not be priced (their tokens are not in it)."""

    amount: Decimal
    unpriced_models: frozenset[str]


class UsagePricer:
    """Prices usage entries with per-token rates, computed once per model and band."""

    def __init__(self, prices: PriceList) -> None:
        self._prices = prices
        self._rates: dict[tuple[str, str, str, bool], _Rates] = {}

    def estimate(self, entries: Iterable[UsageEntry]) -> Estimate:
        """The estimated cost of `entries` (grouped by model; tier, window and geo when known)."""
        total = Decimal(0)
        unpriced: set[str] = set()
        for entry in entries:
            rates = self._rates_for(entry)
            if rates is None:
                unpriced.add(entry.model or "unknown model")
                continue
            counts = (
                entry.uncached_input,
                entry.cache_write_5m,
                entry.cache_write_1h,
                entry.cache_read,
                entry.output,
                entry.web_search_requests,
            )
            total += sum((rate * count for rate, count in zip(rates, counts, strict=True)), Decimal(0))
        return Estimate(total, frozenset(unpriced))

    def _rates_for(self, entry: UsageEntry) -> _Rates | None:
        if entry.model is None:
            return None
        key = (
            entry.model,
            entry.service_tier or "standard",
            entry.inference_geo or "global",
            entry.context_window == "200k-1M",
        )
        if key not in self._rates:
            try:
                self._rates[key] = self._sample(*key)
            except UnknownModelError:
                return None
        return self._rates[key]

    def _sample(self, model: str, tier: str, geo: str, long: bool) -> _Rates:
        n = LONG_SAMPLE if long else 1
        geo = geo if geo in ("global", "us") else "global"
        tier = tier if tier in ("standard", "batch") else "standard"
        cost = self._prices.price(model, TokenUsage(n, n, n, n, n, 1), service_tier=tier, inference_geo=geo)
        per = Decimal(n)
        return (
            cost.uncached_input / per,
            cost.cache_write_5m / per,
            cost.cache_write_1h / per,
            cost.cache_read / per,
            cost.output / per,
            cost.web_search,
        )

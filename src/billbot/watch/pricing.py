"""Usage × the price list per cost-report line: each token type of each model priced apart.

Reconciliation compares the bill line by line (model × token type), so the estimate is split the same
way: a usage entry is priced once per token type with `UsagePricer` (whose per-token rates are cached),
and web search requests become the cost report's `web_search` line.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from billbot.core.entries import UsageEntry
from billbot.core.estimate import UsagePricer
from sandbox.pricing import PriceList
from sandbox.tokens import CACHE_READ, CACHE_WRITE_1H, CACHE_WRITE_5M, OUTPUT, UNCACHED_INPUT

WEB_SEARCH = "web_search"
_FIELDS = (
    ("uncached_input", UNCACHED_INPUT),
    ("cache_write_5m", CACHE_WRITE_5M),
    ("cache_write_1h", CACHE_WRITE_1H),
    ("cache_read", CACHE_READ),
    ("output", OUTPUT),
    ("web_search_requests", WEB_SEARCH),
)
_ZEROED = {name: 0 for name, _ in _FIELDS}


class LinePricer:
    """Prices usage entries per cost-report token type."""

    def __init__(self, prices: PriceList) -> None:
        self._pricer = UsagePricer(prices)

    def by_type(self, entry: UsageEntry) -> dict[str, Decimal] | None:
        """Cost per token type (cost-report names, plus `web_search`); None for an unpriced model."""
        amounts: dict[str, Decimal] = {}
        for name, token_type in _FIELDS:
            count = getattr(entry, name)
            if not count:
                continue
            alone = replace(entry, **{**_ZEROED, name: count})
            estimate = self._pricer.estimate([alone])
            if estimate.unpriced_models:
                return None
            amounts[token_type] = estimate.amount
        return amounts

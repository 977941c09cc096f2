"""The usage answer: tokens by type, the cache hit ratio, and the top keys and models.

The cache hit ratio is cache reads over all prompt tokens (uncached + cache writes + cache reads):
the share of input served from the prompt cache, which is what makes a prompt cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from billbot.core.entries import UsageEntry
from billbot.core.periods import Period

PLAYGROUND = "Console / Workbench"  # usage with no API key (`api_key_id: null`)


@dataclass(frozen=True, slots=True)
class TokenTotals:
    """Tokens by type, as the usage report counts them."""

    uncached_input: int = 0
    cache_write_5m: int = 0
    cache_write_1h: int = 0
    cache_read: int = 0
    output: int = 0
    web_search_requests: int = 0

    @property
    def input_tokens(self) -> int:
        """All prompt tokens."""
        return self.uncached_input + self.cache_write_5m + self.cache_write_1h + self.cache_read

    @property
    def total(self) -> int:
        """Prompt plus output tokens."""
        return self.input_tokens + self.output

    @property
    def cache_hit_ratio(self) -> Decimal | None:
        """Cache reads over all prompt tokens; None when there was no input at all."""
        return Decimal(self.cache_read) / Decimal(self.input_tokens) if self.input_tokens else None


@dataclass(frozen=True, slots=True)
class Ranked:
    """One of the top keys or models: its name and its tokens."""

    name: str
    tokens: int
    fraction: Decimal


@dataclass(frozen=True, slots=True)
class UsageAnswer:
    """Everything `/claude-usage` says about one period."""

    period: Period
    totals: TokenTotals
    top_keys: tuple[Ranked, ...]
    top_models: tuple[Ranked, ...]


def add_up(entries: Sequence[UsageEntry]) -> TokenTotals:
    """Token totals over entries."""
    return TokenTotals(
        sum(e.uncached_input for e in entries),
        sum(e.cache_write_5m for e in entries),
        sum(e.cache_write_1h for e in entries),
        sum(e.cache_read for e in entries),
        sum(e.output for e in entries),
        sum(e.web_search_requests for e in entries),
    )


def top(
    entries: Sequence[UsageEntry], name_of: Callable[[UsageEntry], str], limit: int = 5
) -> tuple[Ranked, ...]:
    """The `limit` largest names by total tokens, largest first (ties by name)."""
    tokens: dict[str, int] = {}
    for entry in entries:
        name = name_of(entry)
        tokens[name] = tokens.get(name, 0) + entry.input_tokens + entry.output
    grand = sum(tokens.values())
    ordered = sorted(tokens.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return tuple(
        Ranked(name, count, Decimal(count) / grand if grand else Decimal(0)) for name, count in ordered
    )


def answer_usage(
    period: Period,
    by_key: Sequence[UsageEntry],
    by_model: Sequence[UsageEntry],
    *,
    key_names: dict[str, str] | None = None,
    limit: int = 5,
) -> UsageAnswer:
    """The usage answer from entries grouped by API key and by model over `period`."""
    names = key_names or {}
    totals = add_up(by_model)
    keys = top(by_key, lambda e: names.get(e.api_key_id, e.api_key_id) if e.api_key_id else PLAYGROUND, limit)
    models = top(by_model, lambda e: e.model or "unknown model", limit)
    return UsageAnswer(period, totals, keys, models)

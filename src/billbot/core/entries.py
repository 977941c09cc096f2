"""What billbot's answers are computed from: cost and usage entries, independent of the wire and the store.

The Admin API client, the store's cache and the tests all produce these, so the domain never depends on
a JSON shape. Costs are in US dollars (`Decimal`; the wire's cents are converted at the edge), times
are aware UTC datetimes, and a `None` dimension means "not grouped by" — except `workspace_id`, where
None is the Default workspace when the entry was grouped by workspace.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class CostEntry:
    """One billed amount of one day (the cost report's daily bucket), possibly broken down."""

    day: datetime
    amount: Decimal
    workspace_id: str | None = None
    description: str | None = None
    model: str | None = None
    token_type: str | None = None
    cost_type: str | None = None


@dataclass(frozen=True, slots=True)
class UsageEntry:
    """Tokens of one usage-report bucket `[start, end)`, possibly broken down."""

    start: datetime
    end: datetime
    uncached_input: int = 0
    cache_write_5m: int = 0
    cache_write_1h: int = 0
    cache_read: int = 0
    output: int = 0
    web_search_requests: int = 0
    api_key_id: str | None = None
    workspace_id: str | None = None
    model: str | None = None
    service_tier: str | None = None
    context_window: str | None = None
    inference_geo: str | None = None

    @property
    def input_tokens(self) -> int:
        """All prompt tokens: uncached, both cache writes and cache reads."""
        return self.uncached_input + self.cache_write_5m + self.cache_write_1h + self.cache_read

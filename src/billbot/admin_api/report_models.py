"""Usage and cost report buckets (reference §1.4, §1.5).

Every dimension of a result is null unless the report was grouped by it (`workspace_id` null is the
Default workspace, `api_key_id` null the Console). Cost amounts are decimal strings in **cents**:
`amount` keeps them exactly, `dollars` divides by 100 without rounding.
"""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field

from billbot.admin_api.wire import CentsString, UtcDatetime, WireModel


class CacheCreation(WireModel):
    """Cache-write input tokens by lifetime."""

    ephemeral_1h_input_tokens: int = 0
    ephemeral_5m_input_tokens: int = 0


class ServerToolUse(WireModel):
    """Server tool requests counted with the usage."""

    web_search_requests: int = 0


class UsageResult(WireModel):
    """Tokens by type for one combination of the grouped dimensions."""

    uncached_input_tokens: int
    cache_creation: CacheCreation = Field(default_factory=CacheCreation)
    cache_read_input_tokens: int
    output_tokens: int
    server_tool_use: ServerToolUse | None = None
    api_key_id: str | None = None
    workspace_id: str | None = None
    model: str | None = None
    service_tier: str | None = None
    context_window: str | None = None
    inference_geo: str | None = None
    speed: str | None = None
    account_id: str | None = None
    service_account_id: str | None = None

    @property
    def cache_write_tokens(self) -> int:
        """Cache writes of both lifetimes."""
        return self.cache_creation.ephemeral_5m_input_tokens + self.cache_creation.ephemeral_1h_input_tokens

    @property
    def input_tokens(self) -> int:
        """All input: uncached, cache writes and cache reads."""
        return self.uncached_input_tokens + self.cache_write_tokens + self.cache_read_input_tokens

    @property
    def web_search_requests(self) -> int:
        """Web searches (0 when the field is absent)."""
        return self.server_tool_use.web_search_requests if self.server_tool_use else 0


class UsageBucket(WireModel):
    """One `bucket_width` interval `[starting_at, ending_at)` of the usage report."""

    starting_at: UtcDatetime
    ending_at: UtcDatetime
    results: list[UsageResult]


class CostResult(WireModel):
    """A cost in cents for one combination of the grouped dimensions."""

    amount: CentsString
    currency: str
    cost_type: str | None = None
    token_type: str | None = None
    description: str | None = None
    model: str | None = None
    service_tier: str | None = None
    context_window: str | None = None
    inference_geo: str | None = None
    speed: str | None = None
    workspace_id: str | None = None

    @property
    def dollars(self) -> Decimal:
        """The amount in dollars, exactly (`"123.78912"` cents → `1.2378912`)."""
        return self.amount.scaleb(-2)


class CostBucket(WireModel):
    """One day `[starting_at, ending_at)` of the cost report; an empty day has no results."""

    starting_at: UtcDatetime
    ending_at: UtcDatetime
    results: list[CostResult]

    @property
    def dollars(self) -> Decimal:
        """The day's total in dollars."""
        return sum((result.dollars for result in self.results), Decimal(0))

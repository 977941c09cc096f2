"""The Usage and Cost Analytics API's rows (reference addendum §1.3): a flat `group` and its metrics.

Only the dimensions billbot groups by are read from `group`; the rest are ignored. `amount` is
"post-discount, pre-credit" and `list_amount` the list price before discount, both decimal strings in
fractional cents; `dollars` divides by 100 without rounding.
"""

from __future__ import annotations

from decimal import Decimal

from billbot.admin_api.report_models import CacheCreation, ServerToolUse
from billbot.admin_api.wire import CentsString, UtcDatetime, WireModel


class AnalyticsGroup(WireModel):
    """The dimension values of one row (null unless grouped)."""

    api_key_id: str | None = None
    workspace_id: str | None = None
    model: str | None = None
    service_tier: str | None = None
    context_window: str | None = None
    inference_geo: str | None = None
    speed: str | None = None
    product: str | None = None
    cost_type: str | None = None
    token_type: str | None = None


class AnalyticsUsage(WireModel):
    """Tokens and requests of one row."""

    uncached_input_tokens: int
    cache_creation: CacheCreation
    cache_read_input_tokens: int
    output_tokens: int
    server_tool_use: ServerToolUse | None = None
    total_tokens: int
    requests: int | None = None

    @property
    def web_search_requests(self) -> int:
        """Web searches (0 when the field is absent)."""
        return self.server_tool_use.web_search_requests if self.server_tool_use else 0


class AnalyticsUsageRow(WireModel):
    """One bucket (or the whole range) and group of the usage analytics."""

    starting_at: UtcDatetime
    ending_at: UtcDatetime
    group: AnalyticsGroup
    usage: AnalyticsUsage


class AnalyticsCost(WireModel):
    """The cost of one row, in cents: after discounts and before credits, and at list price."""

    amount: CentsString
    list_amount: CentsString
    currency: str
    requests: int | None = None

    @property
    def dollars(self) -> Decimal:
        """`amount` in dollars, exactly."""
        return self.amount.scaleb(-2)


class AnalyticsCostRow(WireModel):
    """One bucket (or the whole range), group and cost component of the cost analytics."""

    starting_at: UtcDatetime
    ending_at: UtcDatetime
    group: AnalyticsGroup
    cost: AnalyticsCost

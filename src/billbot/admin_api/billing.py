"""`BillingData` over billbot's Admin API client: Anthropic, a sandbox at a URL, or the embedded sandbox.

Reports and listings come through `AdminClient`, so every page is followed to the end (a partial
result raises `IncompleteResult`, never returns), failures are retried as the client's policy says and
arrive typed. Wire models become the domain's entries here: cents strings to Decimal dollars, null
dimensions to None. Only a sandbox has `/sandbox/v1/state` (balance, tier, spend limits); for Anthropic
those answers come from what admins recorded in the store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from billbot.admin_api.report_models import CostBucket, UsageBucket
from billbot.admin_api.source import SANDBOX_STATE, DataSource
from billbot.core.balance import Purchase
from billbot.core.entries import CostEntry, UsageEntry
from billbot.core.limits import RateLimitGroup
from billbot.data import BucketWidth, MonthlyLimits, SimulatedBalance


class AdminBillingData:
    """The answers' data read live from an opened `DataSource`."""

    def __init__(self, source: DataSource) -> None:
        self.source = source
        self.client = source.client

    @property
    def label(self) -> str:
        """Where the numbers come from, e.g. "Anthropic Admin API"."""
        return self.source.label

    def costs(self, start: datetime, end: datetime, group_by: Sequence[str]) -> list[CostEntry]:
        """Daily cost entries within `[start, end)`."""
        if end <= start:
            return []
        return cost_entries(self.client.cost_report(start, end, group_by))

    def usage(
        self, start: datetime, end: datetime, width: BucketWidth, group_by: Sequence[str]
    ) -> list[UsageEntry]:
        """Usage entries of `width` buckets within `[start, end)`."""
        if end <= start:
            return []
        return usage_entries(self.client.usage_report(start, end, width, group_by))

    def workspace_names(self) -> dict[str, str]:
        """Workspace id → name (archived ones too: their past spend still needs a name)."""
        return {w.id: w.name for w in self.client.list_workspaces(include_archived=True)}

    def key_names(self) -> dict[str, str]:
        """API key id → name."""
        return {key.id: key.name for key in self.client.list_api_keys()}

    def rate_limit_groups(self) -> list[RateLimitGroup]:
        """Model groups with their per-minute limits."""
        return [
            RateLimitGroup(
                entry.display_name,
                tuple(entry.models or ()),
                entry.limit("requests_per_minute"),
                entry.limit("input_tokens_per_minute"),
                entry.limit("output_tokens_per_minute"),
            )
            for entry in self.client.rate_limits()
            if entry.kind == "model_group"
        ]

    def monthly_limits(self) -> MonthlyLimits | None:
        """A sandbox reports its tier and limits; for Anthropic the store's record is used instead."""
        if not self.source.simulated:
            return None
        state = self.client.get(SANDBOX_STATE)
        limits = state["spend_limits"]
        workspaces = {
            wid: Decimal(item["limit_usd"])
            for wid, item in limits["workspaces"].items()
            if item["limit_usd"] is not None
        }
        return MonthlyLimits(
            state["tier"]["name"],
            _decimal(state["tier"]["monthly_cap"]),
            _decimal(limits["organization"]["limit_usd"]),
            workspaces,
        )

    def simulated_balance(self) -> SimulatedBalance | None:
        """A sandbox's exact balance and lots; None for Anthropic, which has no balance API."""
        if not self.source.simulated:
            return None
        state = self.client.get(SANDBOX_STATE)
        balance, reload = state["balance"], state["auto_reload"]
        lots = tuple(
            Purchase(Decimal(lot["original_usd"]), _time(lot["granted_at"]))
            for lot in balance["lots"]
            if lot["kind"] == "purchased"
        )
        threshold = Decimal(reload["minimum_usd"]) if reload["enabled"] else None
        return SimulatedBalance(Decimal(balance["balance_usd"]), lots, threshold)


def cost_entries(buckets: Sequence[CostBucket]) -> list[CostEntry]:
    """The cost report's results as entries in dollars."""
    return [
        CostEntry(
            bucket.starting_at,
            row.dollars,
            row.workspace_id,
            row.description,
            row.model,
            row.token_type,
            row.cost_type,
        )
        for bucket in buckets
        for row in bucket.results
    ]


def usage_entries(buckets: Sequence[UsageBucket]) -> list[UsageEntry]:
    """The usage report's results as entries."""
    return [
        UsageEntry(
            bucket.starting_at,
            bucket.ending_at,
            row.uncached_input_tokens,
            row.cache_creation.ephemeral_5m_input_tokens,
            row.cache_creation.ephemeral_1h_input_tokens,
            row.cache_read_input_tokens,
            row.output_tokens,
            row.web_search_requests,
            row.api_key_id,
            row.workspace_id,
            row.model,
            row.service_tier,
            row.context_window,
            row.inference_geo,
        )
        for bucket in buckets
        for row in bucket.results
    ]


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))

"""`BillingData` over billbot's Admin API client: Anthropic, a sandbox at a URL, or the embedded sandbox.

Reports and listings come through `AdminClient`, so every page is followed to the end (a partial
result raises `IncompleteResult`, never returns), failures are retried as the client's policy says and
arrive typed. Wire models become the domain's entries here: cents strings to Decimal dollars, null
dimensions to None. Only a sandbox has `/sandbox/v1/state` (balance, tier, spend limits); for Anthropic
those answers come from what admins recorded in the store.

Costs and usage come from the Usage and Cost Analytics API where the organisation has it, and from the
legacy usage and cost reports where it does not: a 404 or a permission error (403) from the analytics
API makes this adapter use the legacy reports from then on. A span the analytics API does not hold
(before 2026-01-01 or more than 365 days ago) is read from the legacy reports too. `cost_basis` says
which amounts the last cost answer showed: the analytics API's are after discounts and before credits.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Literal, TypeVar

from billbot.admin_api import analytics_entries
from billbot.admin_api.errors import AdminApiError, NotFound, PermissionDenied
from billbot.admin_api.report_models import CostBucket, UsageBucket
from billbot.admin_api.sandbox_state import SANDBOX_STATE, SandboxStateWire, WireLot, parse_state
from billbot.admin_api.source import DataSource
from billbot.app.data import BucketWidth, MonthlyLimits, SandboxEvent, SimulatedBalance
from billbot.core.balance import Purchase
from billbot.core.entries import CostEntry, UsageEntry
from billbot.core.limits import RateLimitGroup

Generation = Literal["analytics", "legacy"]
T = TypeVar("T")
ANALYTICS_BASIS = "Amounts are after discounts, before credits (Usage and Cost Analytics API)."
LEGACY_BASIS = (
    "Amounts are the legacy cost report's; Anthropic does not say whether they are net of discounts "
    "or credits."
)


class AdminBillingData:
    """The answers' data read live from an opened `DataSource`."""

    def __init__(self, source: DataSource, *, analytics: bool = True) -> None:
        self.source = source
        self.client = source.client
        # None: not tried yet; "legacy" once the analytics API answered 404/403 (or was turned off).
        self.generation: Generation | None = None if analytics else "legacy"
        self._cost_generation: Generation | None = None
        self._default_workspace: str | bool | None = False  # False: not looked up yet

    @property
    def cost_basis(self) -> str | None:
        """Which amounts the last cost answer showed (None before any)."""
        if self._cost_generation is None:
            return None
        return ANALYTICS_BASIS if self._cost_generation == "analytics" else LEGACY_BASIS

    @property
    def label(self) -> str:
        """Where the numbers come from, e.g. "Anthropic Admin API"."""
        return self.source.label

    def costs(self, start: datetime, end: datetime, group_by: Sequence[str]) -> list[CostEntry]:
        """Daily cost entries within `[start, end)`."""
        if end <= start:
            return []
        entries, generation = self._either(
            start,
            lambda: analytics_entries.cost_entries(self.client, start, end, group_by, self._default_id),
            lambda: cost_entries(self.client.cost_report(start, end, group_by)),
        )
        self._cost_generation = generation
        return entries

    def usage(
        self, start: datetime, end: datetime, width: BucketWidth, group_by: Sequence[str]
    ) -> list[UsageEntry]:
        """Usage entries of `width` buckets within `[start, end)`."""
        if end <= start:
            return []
        entries, _ = self._either(
            start if analytics_entries.groups_fit(group_by) else None,
            lambda: analytics_entries.usage_entries(
                self.client, start, end, width, group_by, self._default_id
            ),
            lambda: usage_entries(self.client.usage_report(start, end, width, group_by)),
        )
        return entries

    def _either(
        self, start: datetime | None, analytics: Callable[[], T], legacy: Callable[[], T]
    ) -> tuple[T, Generation]:
        """The analytics answer where the organisation has the API and holds `start`; else the legacy one.

        `start` None: the analytics API cannot answer this query (more groups than it takes).
        """
        if (
            start is not None
            and self.generation != "legacy"
            and analytics_entries.reachable(start, self.source.now())
        ):
            try:
                answer = analytics()
            except (NotFound, PermissionDenied):
                self.generation = "legacy"  # this organisation has no analytics API: stop asking
            else:
                self.generation = "analytics"
                return answer, "analytics"
        return legacy(), "legacy"

    def _default_id(self) -> str | None:
        """The Default workspace's real ID (the analytics API names it; answers keep None for it)."""
        if self._default_workspace is False:
            try:
                listed = self.client.list_workspaces(include_default=True)
            except AdminApiError:
                return None  # names are a nicety; the ID is shown as it is
            self._default_workspace = next((w.id for w in listed if w.name == "Default"), None)
        return self._default_workspace if isinstance(self._default_workspace, str) else None

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
        state = self._state()
        if state is None:
            return None
        limits = state.spend_limits
        workspaces = {
            wid: item.limit_usd for wid, item in limits.workspaces.items() if item.limit_usd is not None
        }
        return MonthlyLimits(
            state.tier.name, state.tier.monthly_cap, limits.organization.limit_usd, workspaces
        )

    def simulated_balance(self) -> SimulatedBalance | None:
        """A sandbox's exact balance and lots; None for Anthropic, which has no balance API."""
        state = self._state()
        if state is None:
            return None
        lots = tuple(
            Purchase(lot.original_usd, lot.granted_at)
            for lot in state.balance.lots
            if lot.kind == "purchased"
        )
        reload = state.auto_reload
        threshold = reload.minimum_usd if reload.enabled else None
        return SimulatedBalance(state.balance.balance_usd, lots, threshold)

    def sandbox_history(self) -> list[SandboxEvent] | None:
        """A sandbox's purchases, reloads (declined ones too), expiries and promotions, newest first."""
        state = self._state()
        if state is None:
            return None
        events = [
            SandboxEvent(lot.granted_at, _lot_event(lot), lot.original_usd, lot.source)
            for lot in state.balance.lots
            if lot.source != "reload"  # a reload's lot is its attempt's, listed below with the outcome
        ]
        events += [
            SandboxEvent(
                attempt.at,
                "auto-reload" if attempt.succeeded else "auto-reload declined",
                attempt.amount_usd,
                "clawed back" if attempt.clawed_back else None,
            )
            for attempt in state.auto_reload.attempts
        ]
        events += [
            SandboxEvent(lot.expires_at, "expired", lot.expired_usd, lot.kind)
            for lot in state.balance.lots
            if lot.expires_at is not None and lot.expired_usd > 0
        ]
        return sorted(events, key=lambda event: event.at, reverse=True)

    def _state(self) -> SandboxStateWire | None:
        return parse_state(self.client.get(SANDBOX_STATE)) if self.source.simulated else None


_LOT_SOURCES = {"topup": "purchase", "promo": "promotion", "refund": "refund", "credit": "credit"}


def _lot_event(lot: WireLot) -> str:
    """What granting this lot was: a promotion (whatever paid for it), else by where it came from."""
    return "promotion" if lot.kind == "promotional" else _LOT_SOURCES.get(lot.source or "", lot.kind)


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

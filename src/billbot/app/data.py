"""What the answers need from a data source, as a protocol: the Admin API, a sandbox, or the store's cache.

Adapters implement `BillingData` over billbot's Admin API client (Anthropic or a sandbox) and over the
store's synced buckets; the service computes every answer from it, so the domain never sees HTTP.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Literal, Protocol

from billbot.core.balance import Purchase
from billbot.core.entries import CostEntry, UsageEntry
from billbot.core.limits import RateLimitGroup

BucketWidth = Literal["1m", "1h", "1d"]


@dataclass(frozen=True, slots=True)
class MonthlyLimits:
    """The tier's monthly cap and the self-set limits (None: no such limit)."""

    tier: str
    tier_cap: Decimal | None
    organization: Decimal | None = None
    workspaces: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SimulatedBalance:
    """A sandbox's exact balance and its lots (a sandbox can say what Anthropic cannot)."""

    balance: Decimal
    purchases: tuple[Purchase, ...]
    reload_threshold: Decimal | None


@dataclass(frozen=True, slots=True)
class SandboxEvent:
    """One thing that happened to a sandbox's money: a purchase, reload (or decline), expiry, promotion."""

    at: datetime
    what: str
    amount: Decimal
    detail: str | None = None


@dataclass(frozen=True, slots=True)
class BalanceRecord:
    """What an admin recorded for a provider without a balance API: anchor, purchases, auto-reload."""

    anchor: Decimal
    anchored_at: datetime
    purchases: tuple[Purchase, ...]
    reload_threshold: Decimal | None = None


class BillingData(Protocol):
    """Everything the answers read."""

    @property
    def label(self) -> str:
        """Where the numbers come from (and how fresh they are), for the answer's source line."""
        ...

    @property
    def cost_basis(self) -> str | None:
        """Which amounts the last cost entries were (e.g. after discounts, before credits), if known."""
        ...

    def costs(self, start: datetime, end: datetime, group_by: Sequence[str]) -> list[CostEntry]:
        """Daily cost entries within `[start, end)`, grouped by `workspace_id` and/or `description`."""
        ...

    def usage(
        self, start: datetime, end: datetime, width: BucketWidth, group_by: Sequence[str]
    ) -> list[UsageEntry]:
        """Usage entries of `width` buckets within `[start, end)`, grouped as asked."""
        ...

    def workspace_names(self) -> dict[str, str]:
        """Workspace id → name."""
        ...

    def key_names(self) -> dict[str, str]:
        """API key id → name."""
        ...

    def rate_limit_groups(self) -> list[RateLimitGroup]:
        """The organisation's rate-limit groups."""
        ...

    def monthly_limits(self) -> MonthlyLimits | None:
        """Tier cap and spend limits, when the source can tell (else the store's record is used)."""
        ...

    def simulated_balance(self) -> SimulatedBalance | None:
        """The exact balance of a sandbox; None for Anthropic, which has no balance API."""
        ...

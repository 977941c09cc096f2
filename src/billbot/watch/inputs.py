"""What the rules read, as plain data: cost series, bills, reconciliation lines, balance, limits, budgets.

`billbot.watch.gather` builds a `WatchInputs` from a `BillingData` source (and a sandbox's state); the
backtest builds the same from a simulated world as it runs. The rules see only these values and `now`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from billbot.app.data import MonthlyLimits
from billbot.core.limits import RateUse
from billbot.watch.budgets import Budget
from billbot.watch.scope import Scope
from billbot.watch.series import HourlySeries


@dataclass(frozen=True, slots=True)
class ReloadEvent:
    """One auto-reload attempt."""

    at: datetime
    amount: Decimal
    succeeded: bool


@dataclass(frozen=True, slots=True)
class CreditLot:
    """Credits bought (or granted) at one time: what is left of them and when that expires."""

    remaining: Decimal
    expires_at: datetime | None
    granted_at: datetime
    kind: str = "purchased"


@dataclass(frozen=True, slots=True)
class BalanceView:
    """The prepaid balance as far as it is known: exact (a sandbox) or estimated (Anthropic)."""

    balance: Decimal
    estimated: bool
    lots: tuple[CreditLot, ...] = ()
    reload_minimum: Decimal | None = None
    reload_amount: Decimal | None = None  # what one reload buys from the minimum
    reloads: tuple[ReloadEvent, ...] = ()


@dataclass(frozen=True, slots=True)
class ReconciliationLine:
    """One day's billed cost of one model and token type, next to usage × the price list."""

    day: datetime
    model: str | None  # None: a cost that is not a model's tokens (web search)
    token_type: str
    billed: Decimal
    estimated: Decimal


@dataclass(frozen=True, slots=True)
class Tuning:
    """What people said about past alerts: a sensitivity factor (≥ 1) per (rule, scope key)."""

    factors: Mapping[tuple[str, str], Decimal] = field(default_factory=dict)

    def factor(self, rule: str, scope_key: str) -> Decimal:
        """How much less sensitive the rule should be for that scope (1: as configured)."""
        return self.factors.get((rule, scope_key), Decimal(1))


@dataclass(frozen=True, slots=True)
class WatchInputs:
    """Everything the rules read at one instant `now`.

    `hourly` holds estimated cost per hour (usage × price list) for the organisation, each workspace,
    API key and model; `billed_daily` the cost report's complete days for the organisation, the
    workspaces and the models, through `billed_through`. `parents` maps each key to its workspace.
    `active` names the period of each alert still firing, per (rule, scope key), so an episode that
    spans midnight keeps its alert.
    """

    now: datetime
    hourly: Mapping[Scope, HourlySeries]
    billed_daily: Mapping[Scope, Mapping[datetime, Decimal]] = field(default_factory=dict)
    billed_through: datetime | None = None
    reconciliation: Sequence[ReconciliationLine] = ()
    rate_use: Sequence[RateUse] = ()
    limits: MonthlyLimits | None = None
    balance: BalanceView | None = None
    budgets: Sequence[Budget] = ()
    parents: Mapping[Scope, Scope] = field(default_factory=dict)
    tuning: Tuning = field(default_factory=Tuning)
    active: Mapping[tuple[str, str], str] = field(default_factory=dict)
    cache_reads: HourlySeries | None = None  # the organisation's cache-read tokens per hour
    cache_writes: HourlySeries | None = None  # its cache-write tokens (5-minute and 1-hour) per hour

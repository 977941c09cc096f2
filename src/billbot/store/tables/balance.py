"""The balance ledger billbot keeps for a provider with no balance API (Anthropic): an append-only journal.

Admins record what they know; the balance estimate is derived from the journal (DESIGN.md 5), never
stored. Kinds:
- `anchor`: the balance was `amount` at `effective_at` (`/claude-balance set 1234.56 [AS-OF]`);
- `topup`: `amount` of credits bought at `effective_at` (they expire a year later);
- `adjustment`: a signed correction, e.g. a refund credited after a ticket;
- `autoreload_setting`: auto-reload from `effective_at` on: buy up to `reload_target` when the balance
  falls below `reload_threshold`; both empty means off. It carries no `amount`.
A mistake is corrected by a later entry, never by editing or deleting one.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, Integer, String
from sqlmodel import Field

from billbot.store.tables.base import StoreModel
from billbot.store.types import Money, UtcDateTime


class EntryKind(StrEnum):
    """What a ledger entry records."""

    ANCHOR = "anchor"
    TOPUP = "topup"
    ADJUSTMENT = "adjustment"
    AUTORELOAD_SETTING = "autoreload_setting"


class BalanceEntry(StoreModel, table=True):
    """One admin-recorded fact about an organisation's prepaid balance."""

    __tablename__ = "balance_entry"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('anchor', 'topup', 'adjustment', 'autoreload_setting')",
            name="kind",
        ),
        CheckConstraint(
            "(kind = 'autoreload_setting' AND amount IS NULL)"
            " OR (kind <> 'autoreload_setting' AND amount IS NOT NULL)",
            name="amount_for_money_kinds",
        ),
        CheckConstraint(
            "(reload_threshold IS NULL AND reload_target IS NULL)"
            " OR (kind = 'autoreload_setting'"
            " AND reload_threshold IS NOT NULL AND reload_target IS NOT NULL)",
            name="reload_pair",
        ),
        Index("ix_balance_entry_org_effective", "org_id", "effective_at"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=Integer)
    org_id: str = Field(sa_type=String(128), nullable=False)
    kind: str = Field(sa_type=String(32), nullable=False)
    amount: Decimal | None = Field(default=None, sa_type=Money, nullable=True)
    reload_threshold: Decimal | None = Field(default=None, sa_type=Money, nullable=True)
    reload_target: Decimal | None = Field(default=None, sa_type=Money, nullable=True)
    effective_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    recorded_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    recorded_by: str = Field(sa_type=String(64), nullable=False)
    note: str = Field(default="", sa_type=String(500), nullable=False)

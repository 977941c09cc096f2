"""Monthly limits recorded by an admin, for organisations without the Spend Limits API.

Append-only like the balance ledger: the limit in force for a (kind, workspace) is the latest entry
effective at the time asked about. Kinds:
- `tier_cap`: the usage tier's monthly cap (`tier` names the tier, e.g. "Tier 3");
- `org_spend_limit`: the organisation's self-set monthly spend limit;
- `workspace_spend_limit`: a workspace's monthly spend limit (`workspace_id` set).
An empty `amount` means "no such limit" (removed, or unlimited).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, Integer, String
from sqlmodel import Field

from billbot.store.tables.base import StoreModel
from billbot.store.types import Money, UtcDateTime


class LimitKind(StrEnum):
    """Which monthly limit an entry records."""

    TIER_CAP = "tier_cap"
    ORG_SPEND_LIMIT = "org_spend_limit"
    WORKSPACE_SPEND_LIMIT = "workspace_spend_limit"


class RecordedLimit(StoreModel, table=True):
    """One admin-recorded monthly limit, in US dollars."""

    __tablename__ = "recorded_limit"
    __table_args__ = (
        CheckConstraint("kind IN ('tier_cap', 'org_spend_limit', 'workspace_spend_limit')", name="kind"),
        CheckConstraint(
            "(kind = 'workspace_spend_limit') = (workspace_id <> '')",
            name="workspace_only_for_workspace_limits",
        ),
        Index("ix_recorded_limit_org_effective", "org_id", "effective_at"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=Integer)
    org_id: str = Field(sa_type=String(128), nullable=False)
    kind: str = Field(sa_type=String(32), nullable=False)
    workspace_id: str = Field(default="", sa_type=String(128), nullable=False)
    tier: str = Field(default="", sa_type=String(64), nullable=False)
    amount: Decimal | None = Field(default=None, sa_type=Money, nullable=True)
    effective_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    recorded_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    recorded_by: str = Field(sa_type=String(64), nullable=False)
    note: str = Field(default="", sa_type=String(500), nullable=False)

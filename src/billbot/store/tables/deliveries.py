"""Slack deliveries already handled, shared by every web process (the dedupe table in the store).

Slack retries a delivery it did not see acknowledged in 3 seconds, possibly to another process behind
the load balancer. A row per delivery key (`event:<event_id>`, `trigger:<trigger_id>`) says whether
it is in progress (until `expires_at`: its lease) or done (until `expires_at`: its TTL).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Index, String
from sqlmodel import Field

from billbot.store.tables.base import StoreModel
from billbot.store.types import UtcDateTime


class SlackDelivery(StoreModel, table=True):
    """One delivery key: in progress or done, until `expires_at`."""

    __tablename__ = "slack_delivery"
    __table_args__ = (Index("ix_slack_delivery_expires_at", "expires_at"),)

    key: str = Field(sa_type=String(255), primary_key=True)
    done: bool = Field(sa_type=Boolean, nullable=False)
    expires_at: datetime = Field(sa_type=UtcDateTime, nullable=False)

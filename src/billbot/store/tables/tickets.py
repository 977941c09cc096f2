"""Refund and dispute tickets, their audit trail, and the posts still owed to Slack.

- `ticket`: the claim as filed (the modal's fields) and where it stands. `submission_key` is unique:
  Slack's retried delivery of the same modal submission finds the ticket it already made.
- `ticket_event`: the append-only audit trail (filed, submitted, evidence, answer, resolved, reopened,
  reminders). Each event is also a post owed to the ticket's thread: it is saved in the same
  transaction as the change it records (a transactional outbox), and `posted_ts` is set once Slack
  has it. A process killed between the two leaves the event unposted, and the relay posts it later.
- Reminders are events too; the unique (ticket, reminder) pair makes each one happen once.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlmodel import Field

from billbot.store.tables.base import StoreModel
from billbot.store.types import Money, UtcDateTime


class TicketRow(StoreModel, table=True):
    """One refund or dispute ticket."""

    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("submission_key"),
        Index("ix_ticket_status", "status"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=Integer)
    submission_key: str = Field(sa_type=String(128), nullable=False)
    kind: str = Field(sa_type=String(16), nullable=False)
    category: str = Field(sa_type=String(32), nullable=False)
    provider: str = Field(sa_type=String(64), nullable=False)
    status: str = Field(sa_type=String(16), nullable=False)
    transaction_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    amount: Decimal | None = Field(default=None, sa_type=Money, nullable=True)
    request_ids: str = Field(default="", sa_type=Text, nullable=False)  # newline-separated
    description: str = Field(default="", sa_type=Text, nullable=False)
    evidence_links: str = Field(default="", sa_type=Text, nullable=False)  # newline-separated
    filed_by: str = Field(sa_type=String(64), nullable=False)
    filed_at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    submitted_at: datetime | None = Field(default=None, sa_type=UtcDateTime, nullable=True)
    deadline: datetime | None = Field(default=None, sa_type=UtcDateTime, nullable=True)
    outcome_amount: Decimal | None = Field(default=None, sa_type=Money, nullable=True)
    channel_id: str = Field(default="", sa_type=String(32), nullable=False)
    header_ts: str | None = Field(default=None, sa_type=String(32), nullable=True)
    updated_at: datetime = Field(sa_type=UtcDateTime, nullable=False)


class TicketEventRow(StoreModel, table=True):
    """One entry of a ticket's audit trail, and a post owed to its thread until `posted_ts` is set."""

    __tablename__ = "ticket_event"
    __table_args__ = (
        UniqueConstraint("ticket_id", "once_key"),
        Index("ix_ticket_event_unposted", "posted_ts", "id"),
    )

    id: int | None = Field(default=None, primary_key=True, sa_type=Integer)
    ticket_id: int = Field(foreign_key="ticket.id", ondelete="CASCADE", sa_type=Integer, nullable=False)
    kind: str = Field(sa_type=String(32), nullable=False)
    at: datetime = Field(sa_type=UtcDateTime, nullable=False)
    by: str = Field(sa_type=String(64), nullable=False)
    text: str = Field(sa_type=Text, nullable=False)  # what the thread reply says
    detail: str = Field(default="", sa_type=Text, nullable=False)  # JSON of the event's facts
    once_key: str | None = Field(default=None, sa_type=String(64), nullable=True)  # e.g. reminder:7d
    posted_ts: str | None = Field(default=None, sa_type=String(32), nullable=True)

"""A ticket as billbot works it: the claim, where it stands, where its thread is, and its audit trail.

Pure values. The store (`billbot.tickets.store.records`) reads them from its rows; the service hands
them to the interfaces, which render them (a Slack thread, a terminal table, a claim packet).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from billbot.tickets.domain.model import Claim, Status


@dataclass(frozen=True, slots=True)
class TicketEvent:
    """One entry of a ticket's audit trail."""

    id: int
    ticket_id: int
    kind: str
    at: datetime
    by: str
    text: str
    detail: dict[str, str]
    posted_ts: str | None


@dataclass(frozen=True, slots=True)
class Ticket:
    """A ticket: the claim, where it stands, and where its thread is."""

    id: int
    claim: Claim
    status: Status
    filed_by: str
    channel_id: str
    header_ts: str | None
    deadline: datetime | None
    outcome_amount: Decimal | None
    updated_at: datetime

    @property
    def label(self) -> str:
        """`#12`: how people refer to a ticket."""
        return f"#{self.id}"


def split_lines(values: Sequence[str]) -> tuple[str, ...]:
    """Non-empty, stripped, de-duplicated values in their order."""
    seen: dict[str, None] = {}
    for value in values:
        if value.strip():
            seen.setdefault(value.strip(), None)
    return tuple(seen)

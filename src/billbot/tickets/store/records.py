"""Tickets as the store keeps them, read back as domain values (`Ticket`, `TicketEvent`).

The row keeps the claim's fields flat (lists newline-separated); evidence added after filing lives in
the audit trail as `evidence` events, and is folded back into the claim here. An event row keeps its
facts (`detail`, JSON) and their plain sentence (`text`): no interface's markup is ever stored.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, col, select

from billbot.store.tables import TicketEventRow, TicketRow
from billbot.tickets.domain.events import EVENT_SCHEMA, SCHEMA_KEY, EventKind, Facts
from billbot.tickets.domain.model import Category, Claim, Evidence, Status, TicketKind
from billbot.tickets.domain.narration import PLAIN, narrate
from billbot.tickets.domain.ticket import Ticket, TicketEvent


def new_row(
    claim: Claim, *, submission_key: str, by: str, channel_id: str, deadline: datetime | None
) -> TicketRow:
    """A row for a newly filed claim."""
    return TicketRow(
        submission_key=submission_key,
        kind=claim.kind.value,
        category=claim.category.value,
        provider=claim.provider,
        status=Status.OPEN.value,
        transaction_at=claim.transaction_at,
        amount=claim.amount,
        request_ids="\n".join(claim.request_ids),
        description=claim.description,
        evidence_links="\n".join(claim.evidence_links),
        filed_by=by,
        filed_at=claim.filed_at,
        deadline=deadline,
        channel_id=channel_id,
        updated_at=claim.filed_at,
    )


def load(session: Session, row: TicketRow) -> Ticket:
    """The domain ticket for a row, with the evidence from its events."""
    (ticket,) = load_all(session, [row])
    return ticket


def load_all(session: Session, rows: Sequence[TicketRow]) -> list[Ticket]:
    """The domain tickets for rows, their evidence read in one query (not one per ticket)."""
    ids = [row.id for row in rows]
    events = session.exec(
        select(TicketEventRow)
        .where(col(TicketEventRow.ticket_id).in_(ids), TicketEventRow.kind == "evidence")
        .order_by(col(TicketEventRow.id))
    )
    evidence: dict[int, list[Evidence]] = {}
    for event_row in events:
        evidence.setdefault(event_row.ticket_id, []).append(_evidence(event_row))
    return [_ticket(row, tuple(evidence.get(row.id or 0, ()))) for row in rows]


def _ticket(row: TicketRow, evidence: tuple[Evidence, ...]) -> Ticket:
    assert row.id is not None
    claim = Claim(
        kind=TicketKind(row.kind),
        category=Category(row.category),
        provider=row.provider,
        transaction_at=row.transaction_at,
        filed_at=row.filed_at,
        amount=row.amount,
        request_ids=_lines(row.request_ids),
        description=row.description,
        evidence_links=_lines(row.evidence_links),
        evidence=evidence,
        submitted_at=row.submitted_at,
    )
    return Ticket(
        row.id,
        claim,
        Status(row.status),
        row.filed_by,
        row.channel_id,
        row.header_ts,
        row.deadline,
        row.outcome_amount,
        row.updated_at,
    )


def event(row: TicketEventRow) -> TicketEvent:
    """The domain event for a row."""
    assert row.id is not None
    detail = json.loads(row.detail) if row.detail else {}
    return TicketEvent(row.id, row.ticket_id, row.kind, row.at, row.by, row.text, detail, row.posted_ts)


def events_of(session: Session, ticket_id: int) -> list[TicketEvent]:
    """A ticket's audit trail, oldest first."""
    rows = session.exec(
        select(TicketEventRow).where(TicketEventRow.ticket_id == ticket_id).order_by(col(TicketEventRow.id))
    )
    return [event(row) for row in rows]


def event_row(
    ticket_id: int,
    kind: EventKind,
    *,
    at: datetime,
    by: str,
    facts: Facts | None = None,
    once_key: str | None = None,
) -> TicketEventRow:
    """A new audit-trail row (unposted): the event's facts, and the plain sentence they make."""
    facts = facts or {}
    text = narrate(kind, by, at, facts, PLAIN)
    if text is None:
        raise ValueError(f"no sentence for a {kind!r} event")  # a new kind needs its saying first
    return TicketEventRow(
        ticket_id=ticket_id,
        kind=kind,
        at=at,
        by=by,
        text=text,
        detail=json.dumps(facts | {SCHEMA_KEY: EVENT_SCHEMA}, sort_keys=True),
        once_key=once_key,
    )


def _evidence(row: TicketEventRow) -> Evidence:
    detail = json.loads(row.detail)
    return Evidence(detail["kind"], detail["value"], row.by, detail.get("automatic") == "yes")


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in text.split("\n") if line)

"""The ticket service: file, work and resolve tickets; every change is one transaction with its event.

Each operation locks the ticket's row, checks the transition, updates it and appends the audit-trail
event that the thread will show (the outbox, which the Slack relay posts): the event's facts, never an
interface's markup. Filing is idempotent on the submission key, so a retried delivery of the same modal
makes one ticket. Outcomes feed the balance ledger when billbot keeps one (Anthropic): credits granted
raise the estimate, an unused-balance refund lowers it, and reopening reverses what the outcome recorded.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from decimal import Decimal

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from billbot.store import ledger
from billbot.store.session import session_scope
from billbot.store.tables import TicketEventRow, TicketRow
from billbot.tickets.domain import events
from billbot.tickets.domain.events import EventKind, Facts
from billbot.tickets.domain.model import Assessment, Category, Claim, Evidence, Status
from billbot.tickets.domain.policy import assess
from billbot.tickets.domain.profile import ProviderProfile
from billbot.tickets.domain.reminders import due_reminder
from billbot.tickets.domain.ticket import Ticket, TicketEvent
from billbot.tickets.domain.transitions import (
    Action,
    balance_effect,
    next_status,
    outcome_action,
    refusal,
    reopen_action,
)
from billbot.tickets.store import records
from billbot.tickets.store.outbox import TicketOutbox


class TicketError(ValueError):
    """A change a ticket cannot take (unknown ticket, wrong state, bad amount); the message is for users."""


class TicketService:
    """Tickets in the store, with the provider profiles that judge them."""

    def __init__(
        self, engine: Engine, profiles: Mapping[str, ProviderProfile], *, ledger_org: str | None = None
    ) -> None:
        self.engine = engine
        self.profiles = profiles
        self.ledger_org = ledger_org
        self.outbox = TicketOutbox(engine)

    def profile(self, provider: str) -> ProviderProfile:
        """The named profile, or a `TicketError` listing the known ones."""
        try:
            return self.profiles[provider]
        except KeyError:
            known = ", ".join(sorted(self.profiles))
            raise TicketError(f"unknown provider profile {provider!r}; known: {known}") from None

    def file(self, claim: Claim, *, submission_key: str, by: str, channel_id: str) -> tuple[Ticket, bool]:
        """File a claim; the ticket and whether it is new (False: this submission was filed already)."""
        found = self._by_key(submission_key)
        if found is not None:
            return found, False
        verdict = assess(claim, self.profile(claim.provider), claim.filed_at)
        try:
            with session_scope(self.engine) as session:
                row = records.new_row(
                    claim,
                    submission_key=submission_key,
                    by=by,
                    channel_id=channel_id,
                    deadline=verdict.deadline,
                )
                session.add(row)
                session.flush()
                assert row.id is not None
                facts = events.filed(claim, verdict.provider_name)
                session.add(records.event_row(row.id, EventKind.FILED, at=claim.filed_at, by=by, facts=facts))
                ticket = records.load(session, row)
        except IntegrityError:
            # Another delivery of the same submission won the race: return its ticket.
            found = self._by_key(submission_key)
            if found is None:
                raise
            return found, False
        return ticket, True

    def get(self, ticket_id: int) -> Ticket:
        """The ticket, or a `TicketError`."""
        with session_scope(self.engine, read_only=True) as session:
            return records.load(session, self._row(session, ticket_id))

    def tickets(self, *, include_resolved: bool) -> list[Ticket]:
        """Tickets newest first; resolved ones only when asked."""
        with session_scope(self.engine, read_only=True) as session:
            query = select(TicketRow).order_by(col(TicketRow.id).desc())
            if not include_resolved:
                query = query.where(col(TicketRow.status).in_(_open_statuses()))
            return records.load_all(session, list(session.exec(query)))

    def events(self, ticket_id: int) -> list[TicketEvent]:
        """The ticket's audit trail, oldest first."""
        with session_scope(self.engine, read_only=True) as session:
            return records.events_of(session, ticket_id)

    def assessment(self, ticket: Ticket, now: datetime) -> Assessment:
        """What the provider's policy says about the ticket at `now`."""
        return assess(ticket.claim, self.profile(ticket.claim.provider), now)

    def mark_submitted(self, ticket_id: int, *, by: str, now: datetime) -> Ticket:
        """The claim was sent to the provider."""

        def change(row: TicketRow, _: Session) -> TicketEventRow:
            row.status, row.submitted_at = _next(row, Action.SUBMIT).value, now
            late = row.deadline is not None and now > row.deadline
            facts = events.submitted(self.profile(row.provider).name, late)
            return _event(row, EventKind.SUBMITTED, now, by, facts)

        return self._change(ticket_id, change)

    def add_evidence(self, ticket_id: int, evidence: Evidence, *, now: datetime) -> Ticket:
        """Attach one piece of evidence (shown in the checklist from now on)."""
        if not evidence.value.strip():
            raise TicketError("evidence needs a value: a link, an ID or a short text")

        def change(row: TicketRow, _: Session) -> TicketEventRow:
            row.status = _next(row, Action.ADD_EVIDENCE).value
            by = evidence.added_by or "billbot"
            return _event(row, EventKind.EVIDENCE, now, by, events.evidence_added(evidence))

        return self._change(ticket_id, change)

    def record_answer(self, ticket_id: int, answer: str, *, by: str, now: datetime) -> Ticket:
        """The provider replied (quoted in the thread)."""
        if not answer.strip():
            raise TicketError("paste the provider's answer (or a summary of it)")

        def change(row: TicketRow, _: Session) -> TicketEventRow:
            row.status = _next(row, Action.RECORD_ANSWER).value
            if row.submitted_at is None:
                row.submitted_at = now  # an answer means the claim reached them
            return _event(row, EventKind.ANSWERED, now, by, events.answered(answer))

        return self._change(ticket_id, change)

    def resolve(
        self, ticket_id: int, outcome: Status, amount: Decimal | None, *, by: str, now: datetime
    ) -> Ticket:
        """Close the ticket as refunded, credited or denied; money outcomes go to the balance ledger."""
        action = outcome_action(outcome)
        if action is None:
            raise TicketError(f"{outcome} is not an outcome: use refunded, credited or denied")
        if outcome is not Status.DENIED and (amount is None or amount <= 0):
            raise TicketError(f"a {outcome} outcome needs the amount, more than $0")

        def change(row: TicketRow, session: Session) -> TicketEventRow:
            row.status = _next(row, action).value
            row.outcome_amount = None if outcome is Status.DENIED else amount
            booked = self._book(session, row, now, by, reverse=False)
            facts = events.resolved(outcome, row.outcome_amount, booked)
            return _event(row, EventKind.RESOLVED, now, by, facts)

        return self._change(ticket_id, change)

    def reopen(self, ticket_id: int, *, by: str, now: datetime) -> Ticket:
        """Reopen a resolved ticket; what its outcome recorded in the balance ledger is reversed."""

        def change(row: TicketRow, session: Session) -> TicketEventRow:
            after = _next(row, reopen_action(row.submitted_at is not None))
            booked = self._book(session, row, now, by, reverse=True)  # reads the outcome being undone
            row.status, row.outcome_amount = after.value, None
            return _event(row, EventKind.REOPENED, now, by, events.reopened(booked))

        return self._change(ticket_id, change)

    def send_due_reminders(self, now: datetime) -> int:
        """Queue the reminder due for each unsubmitted ticket with a deadline; how many were queued."""
        queued = 0
        unsent = [t for t in self.tickets(include_resolved=False) if t.status is Status.OPEN]
        for ticket in unsent:
            reminder = due_reminder(ticket.deadline, now, self.profile(ticket.claim.provider).name)
            if reminder is not None:
                facts, key = events.reminded(reminder), reminder.key
                queued += self.outbox.queue_post(ticket.id, EventKind.REMINDER, by="billbot", now=now,
                                                 facts=facts, once_key=key)  # fmt: skip
        return queued

    def _book(
        self, session: Session, row: TicketRow, now: datetime, by: str, *, reverse: bool
    ) -> Decimal | None:
        """Record the outcome's effect on the balance ledger (if billbot keeps one); the signed amount."""
        delta = balance_effect(Status(row.status), Category(row.category), row.outcome_amount)
        if self.ledger_org is None or delta is None:
            return None
        signed = -delta if reverse else delta
        note = f"ticket #{row.id} {'reopened' if reverse else row.status}"
        ledger.record_adjustment(
            session, org_id=self.ledger_org, amount=signed, effective_at=now, recorded_at=now,
            recorded_by=by, note=note,
        )  # fmt: skip
        return signed

    def _change(self, ticket_id: int, change: Callable[[TicketRow, Session], TicketEventRow]) -> Ticket:
        with session_scope(self.engine) as session:
            row = self._row(session, ticket_id, lock=True)
            event_row = change(row, session)
            row.updated_at = event_row.at
            session.add(row)
            session.add(event_row)
            session.flush()
            return records.load(session, row)

    def _row(self, session: Session, ticket_id: int, *, lock: bool = False) -> TicketRow:
        query = select(TicketRow).where(TicketRow.id == ticket_id)
        row = session.exec(query.with_for_update() if lock else query).first()
        if row is None:
            raise TicketError(f"there is no ticket #{ticket_id}; /claude-tickets lists them")
        return row

    def _by_key(self, submission_key: str) -> Ticket | None:
        with session_scope(self.engine, read_only=True) as session:
            row = session.exec(select(TicketRow).where(TicketRow.submission_key == submission_key)).first()
            return None if row is None else records.load(session, row)


def _next(row: TicketRow, action: Action) -> Status:
    """The status the transition table moves the row to, or a `TicketError` with the table's sentence."""
    assert row.id is not None
    status = Status(row.status)
    after = next_status(status, action)
    if after is None:
        raise TicketError(refusal(action, row.id, status))
    return after


def _event(row: TicketRow, kind: EventKind, now: datetime, by: str, facts: Facts) -> TicketEventRow:
    assert row.id is not None
    return records.event_row(row.id, kind, at=now, by=by, facts=facts)


def _open_statuses() -> list[str]:
    return [status.value for status in Status if not status.resolved]

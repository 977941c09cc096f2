"""The outbox of ticket posts: what the thread of each ticket is still owed, and who may post it.

Every change to a ticket is saved with the reply it owes (see `billbot.tickets.service`); the relay
(`billbot.slack.tickets.relay`) reads what is owed here, posts it and marks it posted. A ticket filed
without a channel (from a terminal, with no ticket channel set) is owed nothing until it has one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from billbot.store.session import session_scope
from billbot.store.tables import TicketEventRow, TicketRow
from billbot.tickets.domain.events import EventKind, Facts
from billbot.tickets.domain.ticket import Ticket, TicketEvent
from billbot.tickets.store import records

RELAY_LOCK = 0x6269_6C6C_626F_74  # "billbot": the advisory lock key of the outbox relay


class TicketOutbox:
    """Posts owed to Slack by the tickets in one store."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def queue_post(
        self,
        ticket_id: int,
        kind: EventKind,
        *,
        by: str,
        now: datetime,
        facts: Facts | None = None,
        once_key: str | None = None,
    ) -> bool:
        """Queue a thread post that changes nothing else (a file, a reminder); False: `once_key` was used."""
        try:
            with session_scope(self.engine) as session:
                session.add(records.event_row(ticket_id, kind, at=now, by=by, facts=facts, once_key=once_key))
        except IntegrityError:
            return False  # queued before under this once-key (by this or another process)
        return True

    def unposted(self, limit: int = 100) -> list[TicketEvent]:
        """Events whose thread reply is still owed, oldest first (only of tickets that have a thread)."""
        with session_scope(self.engine, read_only=True) as session:
            rows = session.exec(
                select(TicketEventRow)
                .join(TicketRow, col(TicketRow.id) == col(TicketEventRow.ticket_id))
                .where(col(TicketEventRow.posted_ts).is_(None), col(TicketRow.header_ts).is_not(None))
                .order_by(col(TicketEventRow.id))
                .limit(limit)
            )
            return [records.event(row) for row in rows]

    def unthreaded(self) -> list[Ticket]:
        """Tickets with a channel whose header message is not posted yet (filed in a terminal: none)."""
        with session_scope(self.engine, read_only=True) as session:
            rows = session.exec(
                select(TicketRow).where(col(TicketRow.header_ts).is_(None), TicketRow.channel_id != "")
            )
            return records.load_all(session, list(rows))

    def set_header(self, ticket_id: int, *, channel_id: str, ts: str) -> None:
        """Record where the ticket's header message (and so its thread) is."""
        with session_scope(self.engine) as session:
            row = session.get(TicketRow, ticket_id)
            if row is None:
                return
            row.header_ts, row.channel_id = ts, channel_id
            session.add(row)

    def mark_posted(self, event_id: int, ts: str) -> None:
        """The event's reply is in the thread."""
        with session_scope(self.engine) as session:
            row = session.get(TicketEventRow, event_id)
            if row is not None:
                row.posted_ts = ts
                session.add(row)

    @contextmanager
    def relay_turn(self) -> Iterator[bool]:
        """Whether this process may post the outbox now: one relay at a time across processes.

        On PostgreSQL (several web processes) a session advisory lock elects one; the others skip
        this turn, as the one posting reads every process's saved changes. SQLite: always (one process).
        """
        if self.engine.dialect.name != "postgresql":
            yield True
            return
        with self.engine.connect() as connection:
            got = bool(
                connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": RELAY_LOCK}).scalar()
            )
            try:
                yield got
            finally:
                if got:
                    connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": RELAY_LOCK})
                connection.commit()

"""Delivery dedupe in the store: the same rules as `billbot.slack.dedupe`, shared by every process.

With several web processes behind a load balancer, Slack's retry of a delivery may reach another
process than the first attempt; a table in the shared database (PostgreSQL) lets that process see the
attempt. Same semantics: `claim` admits the first attempt, turns retries away while it is in progress
(its lease) or done (its TTL), and admits one again after `release` or once the lease ran out.
Times are the wall clock's (injected): they measure Slack's deliveries, not a simulated world.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from billbot.slack.dedupe import DONE_TTL_S, LEASE_S
from billbot.store.session import session_scope
from billbot.store.tables import SlackDelivery

SWEEP_EVERY = 200  # claims between two sweeps of expired rows


class StoreDeliveries:
    """The delivery table of `billbot.slack.dedupe`, kept in the database."""

    def __init__(
        self,
        engine: Engine,
        now: Callable[[], datetime],
        *,
        lease_s: float = LEASE_S,
        ttl_s: float = DONE_TTL_S,
    ) -> None:
        self.engine = engine
        self.now = now
        self.lease = timedelta(seconds=lease_s)
        self.ttl = timedelta(seconds=ttl_s)
        self._claims = 0

    def claim(self, key: str) -> bool:
        """True: this attempt should run. False: another attempt (in any process) did or is doing it."""
        now = self.now()
        self._sweep(now)
        try:
            with session_scope(self.engine) as session:
                query = select(SlackDelivery).where(SlackDelivery.key == key).with_for_update()
                row = session.exec(query).first()
                if row is not None and row.expires_at > now:
                    return False
                if row is not None:
                    row.done, row.expires_at = False, now + self.lease  # expired: a fresh attempt
                else:
                    row = SlackDelivery(key=key, done=False, expires_at=now + self.lease)
                session.add(row)
        except IntegrityError:
            return False  # another process inserted the same key first
        return True

    def done(self, key: str) -> None:
        """The effect happened: turn retries away for the TTL."""
        with session_scope(self.engine) as session:
            row = session.get(SlackDelivery, key, with_for_update=True)
            expires = self.now() + self.ttl
            if row is None:
                row = SlackDelivery(key=key, done=True, expires_at=expires)
            row.done, row.expires_at = True, expires
            session.add(row)

    def release(self, key: str) -> None:
        """The attempt failed before its effect: a retry may run."""
        with session_scope(self.engine) as session:
            session.execute(
                delete(SlackDelivery).where(col(SlackDelivery.key) == key, col(SlackDelivery.done).is_(False))
            )

    def _sweep(self, now: datetime) -> None:
        self._claims += 1
        if self._claims % SWEEP_EVERY:
            return
        with session_scope(self.engine) as session:
            session.execute(delete(SlackDelivery).where(col(SlackDelivery.expires_at) <= now))


def shared_deliveries(engine: Engine) -> StoreDeliveries | None:
    """The store's delivery table where several processes may share it (PostgreSQL); else None (memory)."""
    if engine.dialect.name != "postgresql":
        return None  # SQLite: one process, and the in-memory table keeps acks off the write lock
    return StoreDeliveries(engine, lambda: datetime.now(UTC))

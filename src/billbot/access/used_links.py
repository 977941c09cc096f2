"""Which sign-in links were used, in the store: a link works once, whichever process redeems it.

Kept in the Slack delivery table (`slack_delivery`, migration 0003) under `web-sign-in:<link id>`, with
the same semantics as a delivery that is done: the first claim of a key wins (the primary key makes
it atomic across processes, on SQLite and PostgreSQL alike) and the row is kept until after the link
has expired, when the delivery sweep (or ours) removes it. No table of its own, no migration.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, delete
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from billbot.store.session import session_scope
from billbot.store.tables import SlackDelivery

PREFIX = "web-sign-in:"
KEEP_AFTER_EXPIRY = timedelta(hours=1)  # clocks of several processes may disagree a little
SWEEP_EVERY = 100  # claims between two sweeps of expired rows


class UsedLinks:
    """The set of redeemed link ids."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)) -> None:
        self.engine = engine
        self.clock = clock
        self._claims = 0

    def used(self, link_id: str) -> bool:
        """Whether the link was redeemed already."""
        with session_scope(self.engine, read_only=True) as session:
            return session.get(SlackDelivery, PREFIX + link_id) is not None

    def claim(self, link_id: str, expires_at: datetime) -> bool:
        """Record the link as used; False if it was already (here or in another process)."""
        self._sweep()
        row = SlackDelivery(key=PREFIX + link_id, done=True, expires_at=expires_at + KEEP_AFTER_EXPIRY)
        try:
            with session_scope(self.engine) as session:
                session.add(row)
        except IntegrityError:
            return False
        return True

    def _sweep(self) -> None:
        self._claims += 1
        if self._claims % SWEEP_EVERY:
            return
        with session_scope(self.engine) as session:
            session.execute(
                delete(SlackDelivery).where(
                    col(SlackDelivery.key).startswith(PREFIX), col(SlackDelivery.expires_at) <= self.clock()
                )
            )

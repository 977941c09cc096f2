"""Alerts in the store, and the outbox of their posts: what the alert channel is still owed, and who posts it.

A run's transitions are saved in one transaction with the posts they owe (`save_transitions`), so a
crash loses nothing (the run is redone) and repeats nothing (a post's `(alert, once_key)` is unique).
A relay (the lead's Slack wiring) then:
- posts each alert's `open` post as a top-level message in its channel and records where
  (`set_message`), then its thread posts in order (`mark_posted`);
- edits the message of every alert whose `version` is ahead of `rendered_version` (`unrendered`,
  `mark_rendered`): edits are idempotent, so redoing one after a crash is harmless.
An alert without a channel is owed nothing until it has one (App Home and `/claude-alerts` show it).
With several processes on PostgreSQL, `run_turn` and `relay_turn` elect one each with advisory locks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, or_, text
from sqlmodel import Session, col, select

from billbot.store.session import session_scope
from billbot.store.tables import WatchAlertRow, WatchPostRow
from billbot.watch.alerts import Alert
from billbot.watch.findings import Finding
from billbot.watch.lifecycle import AlertKey, Transition
from billbot.watch.records import alert_from_row, fill_row

RUN_LOCK = 0x6269_6C6C_7761_7463  # "billwatc": one watch run at a time
APPLY_LOCK = 0x6269_6C6C_7761_7461  # "billwata": one run's transitions saved at a time
RELAY_LOCK = 0x6269_6C6C_7761_7472  # "billwatr": one relay posting alerts at a time


class AlertNotFound(LookupError):
    """No alert has that id."""

    def __init__(self, alert_id: int) -> None:
        super().__init__(f"there is no alert #{alert_id} (`/claude-alerts all` lists them)")
        self.alert_id = alert_id


@dataclass(frozen=True, slots=True)
class StoredAlert:
    """An alert with where its message is."""

    id: int
    alert: Alert
    channel_id: str
    message_ts: str | None
    version: int
    rendered_version: int


@dataclass(frozen=True, slots=True)
class PendingPost:
    """A post still owed: the alert's top-level message (`open`) or a thread reply."""

    id: int
    alert_id: int
    kind: str
    once_key: str
    text: str
    channel_id: str
    thread_ts: str | None  # the alert's message, for a thread reply


class AlertStore:
    """Alerts and their outbox in one store."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # --- the lifecycle's side -------------------------------------------------------------------

    def relevant(self, session: Session, findings: Sequence[Finding], now: datetime) -> dict[AlertKey, Alert]:
        """Alerts a run must look at: firing ones, snoozed ones (their mutes), those the findings name."""
        periods = sorted({f.period_key for f in findings})
        rows = session.exec(
            select(WatchAlertRow).where(
                or_(
                    col(WatchAlertRow.status) == "firing",
                    col(WatchAlertRow.snoozed_until) > now,
                    col(WatchAlertRow.period_key).in_(periods),
                )
            )
        )
        return {(row.rule, row.scope_key, row.period_key): alert_from_row(row) for row in rows}

    def save_transitions(
        self,
        session: Session,
        transitions: Sequence[Transition],
        channel_for: Callable[[Finding], str],
        now: datetime,
    ) -> int:
        """Save new and changed alerts with the posts they owe; how many posts were queued."""
        queued = 0
        for change in transitions:
            after = change.after
            if after is None:
                continue
            row = self._row(session, change.key) or _new_row(after, channel_for(after.finding), now)
            session.add(fill_row(row, after, now))
            session.flush()
            assert row.id is not None
            owed = set(
                session.exec(select(WatchPostRow.once_key).where(WatchPostRow.alert_id == row.id)).all()
            )
            for post in change.posts:
                if post.once_key in owed:
                    continue
                session.add(WatchPostRow(alert_id=row.id, kind=post.kind, once_key=post.once_key,
                                         text=post.text, created_at=now))  # fmt: skip
                owed.add(post.once_key)
                queued += 1
        return queued

    @staticmethod
    def _row(session: Session, key: AlertKey) -> WatchAlertRow | None:
        rule, scope_key, period_key = key
        return session.exec(
            select(WatchAlertRow).where(
                WatchAlertRow.rule == rule,
                WatchAlertRow.scope_key == scope_key,
                WatchAlertRow.period_key == period_key,
            )
        ).first()

    # --- people's side ------------------------------------------------------------------------------

    def alerts(self, *, active_only: bool, limit: int = 50) -> list[StoredAlert]:
        """Alerts newest first: the firing ones, or all."""
        with session_scope(self.engine, read_only=True) as session:
            query = select(WatchAlertRow)
            if active_only:
                query = query.where(WatchAlertRow.status == "firing")
            rows = session.exec(
                query.order_by(col(WatchAlertRow.opened_at).desc(), col(WatchAlertRow.id).desc())
            )
            return [_stored(row) for row in list(rows)[:limit]]

    def get(self, alert_id: int) -> StoredAlert:
        """One alert; `AlertNotFound` if there is none with that id."""
        with session_scope(self.engine, read_only=True) as session:
            row = session.get(WatchAlertRow, alert_id)
            if row is None:
                raise AlertNotFound(alert_id)
            return _stored(row)

    def change(self, alert_id: int, act: Callable[[Alert], Alert], now: datetime) -> StoredAlert:
        """Apply a person's action (acknowledge, snooze, feedback) to one alert, saved at once."""
        with session_scope(self.engine) as session:
            row = session.get(WatchAlertRow, alert_id)
            if row is None:
                raise AlertNotFound(alert_id)
            before = alert_from_row(row)
            after = act(before)
            if after != before:
                session.add(fill_row(row, after, now))
            return _stored(row)

    def opened_between(self, start: datetime, end: datetime) -> list[StoredAlert]:
        """Alerts opened in `[start, end)` (the digest's "opened")."""
        with session_scope(self.engine, read_only=True) as session:
            rows = session.exec(
                select(WatchAlertRow).where(WatchAlertRow.opened_at >= start, WatchAlertRow.opened_at < end)
            )
            return [_stored(row) for row in rows]

    def closed_between(self, start: datetime, end: datetime) -> list[StoredAlert]:
        """Alerts recovered or closed whose last change fell in `[start, end)` (the digest's "closed")."""
        with session_scope(self.engine, read_only=True) as session:
            rows = session.exec(
                select(WatchAlertRow).where(
                    col(WatchAlertRow.status).in_(("recovered", "closed")),
                    WatchAlertRow.updated_at >= start,
                    WatchAlertRow.updated_at < end,
                )
            )
            return [_stored(row) for row in rows]

    def with_feedback_since(self, since: datetime) -> list[Alert]:
        """Alerts that got feedback since `since` (what tunes later runs)."""
        with session_scope(self.engine, read_only=True) as session:
            rows = session.exec(select(WatchAlertRow).where(col(WatchAlertRow.feedback_at) >= since))
            return [alert_from_row(row) for row in rows]

    # --- the relay's side ----------------------------------------------------------------------------

    def unposted(self, limit: int = 100) -> list[PendingPost]:
        """Posts owed, oldest first: top-level messages, and thread replies of alerts that have one."""
        with session_scope(self.engine, read_only=True) as session:
            rows = session.exec(
                select(WatchPostRow, WatchAlertRow)
                .join(WatchAlertRow, col(WatchAlertRow.id) == col(WatchPostRow.alert_id))
                .where(col(WatchPostRow.posted_ts).is_(None), WatchAlertRow.channel_id != "")
                .where(or_(col(WatchPostRow.kind) == "open", col(WatchAlertRow.message_ts).is_not(None)))
                .order_by(col(WatchPostRow.id))
                .limit(limit)
            )
            return [
                PendingPost(
                    post.id or 0,
                    post.alert_id,
                    post.kind,
                    post.once_key,
                    post.text,
                    alert.channel_id,
                    alert.message_ts,
                )
                for post, alert in rows
            ]

    def set_message(self, alert_id: int, *, channel_id: str, ts: str, version: int) -> None:
        """Record where the alert's message is, and which version it shows."""
        with session_scope(self.engine) as session:
            row = session.get(WatchAlertRow, alert_id)
            if row is not None:
                row.channel_id, row.message_ts = channel_id, ts
                row.rendered_version = max(row.rendered_version, version)
                session.add(row)

    def mark_posted(self, post_id: int, ts: str) -> None:
        """The post is in Slack."""
        with session_scope(self.engine) as session:
            row = session.get(WatchPostRow, post_id)
            if row is not None:
                row.posted_ts = ts
                session.add(row)

    def unrendered(self) -> list[StoredAlert]:
        """Alerts whose message shows an older version than their state (edit them in place)."""
        with session_scope(self.engine, read_only=True) as session:
            rows = session.exec(
                select(WatchAlertRow).where(
                    col(WatchAlertRow.message_ts).is_not(None),
                    col(WatchAlertRow.version) > col(WatchAlertRow.rendered_version),
                )
            )
            return [_stored(row) for row in rows]

    def mark_rendered(self, alert_id: int, version: int) -> None:
        """The message shows `version` (or later) now."""
        with session_scope(self.engine) as session:
            row = session.get(WatchAlertRow, alert_id)
            if row is not None and row.rendered_version < version:
                row.rendered_version = version
                session.add(row)

    @contextmanager
    def run_turn(self) -> Iterator[bool]:
        """Whether this process may run the watch now (PostgreSQL: an advisory lock; SQLite: yes)."""
        with _advisory(self.engine, RUN_LOCK) as mine:
            yield mine

    @contextmanager
    def relay_turn(self) -> Iterator[bool]:
        """Whether this process may post the outbox now (one relay at a time across processes)."""
        with _advisory(self.engine, RELAY_LOCK) as mine:
            yield mine


def lock_for_apply(session: Session) -> None:
    """Serialise saving runs' transitions across processes (PostgreSQL; SQLite's BEGIN IMMEDIATE does)."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": APPLY_LOCK})


@contextmanager
def _advisory(engine: Engine, key: int) -> Iterator[bool]:
    if engine.dialect.name != "postgresql":
        yield True
        return
    with engine.connect() as connection:
        got = bool(connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key}).scalar())
        try:
            yield got
        finally:
            if got:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
            connection.commit()


def _new_row(alert: Alert, channel_id: str, now: datetime) -> WatchAlertRow:
    rule, scope_key, period_key = alert.key
    return WatchAlertRow(
        rule=rule,
        scope_key=scope_key,
        period_key=period_key,
        status=alert.status,
        severity=alert.finding.severity,
        finding="",
        opened_at=alert.opened_at,
        last_seen_at=alert.last_seen_at,
        fired_rank=alert.fired_rank,
        opened_posted=alert.opened_posted,
        channel_id=channel_id,
        updated_at=now,
    )


def _stored(row: WatchAlertRow) -> StoredAlert:
    assert row.id is not None
    return StoredAlert(
        row.id, alert_from_row(row), row.channel_id, row.message_ts, row.version, row.rendered_version
    )

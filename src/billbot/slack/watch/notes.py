"""A person's action on an alert, saved with the thread note that says who did it (one transaction).

A button's change and its note go through the alerts' outbox together, as the watch's own posts do:
the note is a `watch_post` owed to the alert's thread, unique per alert and `once_key` (the alert's
version after the change), so a crash after saving posts it once, later, and an action that changes
nothing (a second "acknowledge", the same snooze) owes no note at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Literal

from sqlalchemy import Engine
from sqlmodel import Session, select

from billbot.app.grammar.watch import AlertAction
from billbot.store.session import session_scope
from billbot.store.tables import WatchAlertRow, WatchPostRow
from billbot.watch.alert_store import AlertNotFound
from billbot.watch.alerts import Alert, acknowledge, give_feedback, snooze, snooze_until
from billbot.watch.records import alert_from_row, fill_row


def apply_action(engine: Engine, alert_id: int, action: AlertAction, by: str, now: datetime) -> bool:
    """Apply a button's action to the alert and owe the note in its thread; whether anything changed."""
    with session_scope(engine) as session:
        row = _row(session, alert_id)
        before = alert_from_row(row)
        after = _change(action, by, now)(before)
        if after == before:
            return False
        session.add(fill_row(row, after, now))
        _owe_note(session, alert_id, f"action:{after.version}", action_note(action, by, after), now)
        return True


def note_dispute(engine: Engine, alert_id: int, link: str, by: str, now: datetime) -> bool:
    """Say in the alert's thread that a dispute was drafted, and have its message show the link."""
    with session_scope(engine) as session:
        row = _row(session, alert_id)
        owed = session.exec(
            select(WatchPostRow.id).where(
                WatchPostRow.alert_id == alert_id, WatchPostRow.once_key == "dispute"
            )
        ).first()
        if owed is not None:
            return False
        row.version += 1  # the message shows the ticket instead of the button
        row.updated_at = now
        session.add(row)
        _owe_note(session, alert_id, "dispute", f"<@{by}> drafted a dispute: {link}", now)
        return True


def action_note(action: AlertAction, by: str, after: Alert) -> str:
    """What the thread says about a person's action."""
    who = f"<@{by}>"
    if action == "acknowledge":
        return f"{who} acknowledged this alert."
    if action in ("snooze_day", "snooze_period"):
        until = after.snoozed_until
        when = f"{until:%a %d %b %H:%M} UTC" if until is not None else "later"
        return f"{who} snoozed this alert until {when}."
    word = "expected" if action == "expected" else "not expected"
    return f"{who} marked this alert {word}."


def _change(action: AlertAction, by: str, now: datetime) -> Callable[[Alert], Alert]:
    if action == "acknowledge":
        return lambda alert: acknowledge(alert, by, now)
    if action in ("snooze_day", "snooze_period"):
        how: Literal["day", "period"] = "day" if action == "snooze_day" else "period"
        return lambda alert: snooze(alert, snooze_until(alert, how, now), by, now)
    feedback: Literal["expected", "not_expected"] = "expected" if action == "expected" else "not_expected"
    return lambda alert: give_feedback(alert, feedback, by, now)


def _row(session: Session, alert_id: int) -> WatchAlertRow:
    row = session.get(WatchAlertRow, alert_id, with_for_update=True)  # two clicks at once: one waits
    if row is None:
        raise AlertNotFound(alert_id)
    return row


def _owe_note(session: Session, alert_id: int, once_key: str, text: str, now: datetime) -> None:
    session.add(WatchPostRow(alert_id=alert_id, kind="thread", once_key=once_key, text=text, created_at=now))

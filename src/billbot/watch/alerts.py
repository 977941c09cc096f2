"""The alert lifecycle, as a pure state machine: findings in, alert states and the posts they owe out.

An alert is keyed by (rule, scope, period). Rules:
- Opening: the first finding of a key opens the alert and owes one top-level post.
- Levels: a finding of a higher rank than any posted this period escalates the alert and owes one
  thread post for that level; the levels it skipped (catching up after downtime) are not posted. So a
  level is posted at most once per alert, and an alert posts at most once per level.
- Updates: any change in what the alert shows (figures, level, status, acknowledgement, snooze,
  feedback) bumps `version`; the relay edits the one message in place to the newest version. Equal
  findings change nothing, so a second run over the same data owes nothing.
- Recovery: when the finding is gone for `recover_after` (per rule: an hour for anomalies, so a
  flickering hour does not flap), the alert recovers and owes a thread post. If it comes back in the
  same period it reopens (one thread post each time). A finding gone after its period ended closes the
  alert quietly (the budget month is over; nothing recovered).
- Snooze: until `snoozed_until` the alert owes no posts (its message is still updated); a snooze also
  mutes new alerts of the same rule and scope until then (the caller passes `muted_until`).
- Acknowledge and feedback ("expected" / "not expected") are recorded and shown; later runs read the
  feedback (an "expected" anomaly raises that scope's thresholds, see `tuning_from`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Literal

from billbot.watch.findings import Finding
from billbot.watch.inputs import Tuning
from billbot.watch.periods import day_window

AlertStatus = Literal["firing", "recovered", "closed"]
Feedback = Literal["expected", "not_expected"]
PostKind = Literal["open", "thread"]
RECOVER_AFTER: dict[str, timedelta] = {
    "anomaly": timedelta(hours=1),
    "model_switch": timedelta(hours=1),
    "creep": timedelta(days=1),
    "runaway_reload": timedelta(hours=1),
}
FEEDBACK_MEMORY = timedelta(days=30)
FEEDBACK_STEP = Decimal("1.5")
FEEDBACK_MAX = Decimal(4)


@dataclass(frozen=True, slots=True)
class Post:
    """A post an alert owes: its top-level message or a thread reply; `once_key` is unique per alert."""

    kind: PostKind
    once_key: str
    text: str


@dataclass(frozen=True, slots=True)
class Alert:
    """One alert's state. `finding` is the latest one seen (what the message shows)."""

    finding: Finding
    status: AlertStatus
    opened_at: datetime
    last_seen_at: datetime
    fired_rank: int
    opened_posted: bool
    version: int = 1
    recoveries: int = 0
    reopenings: int = 0
    recovered_at: datetime | None = None
    acknowledged_by: str | None = None
    acknowledged_at: datetime | None = None
    snoozed_until: datetime | None = None
    feedback: Feedback | None = None
    feedback_by: str | None = None
    feedback_at: datetime | None = None
    id: int | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        """(rule, scope key, period key)."""
        return self.finding.alert_key

    def snoozed(self, now: datetime) -> bool:
        """Whether posts are held back at `now`."""
        return self.snoozed_until is not None and now < self.snoozed_until


@dataclass(frozen=True, slots=True)
class Step:
    """The result of one transition: the new state (None: no alert) and the posts it owes."""

    alert: Alert | None
    posts: tuple[Post, ...] = ()


def observe(
    alert: Alert | None,
    finding: Finding | None,
    now: datetime,
    *,
    muted_until: datetime | None = None,
    recover_after: Mapping[str, timedelta] = RECOVER_AFTER,
) -> Step:
    """Apply what a run saw for one alert key (`finding` None: the condition is absent)."""
    if alert is None:
        return Step(None) if finding is None else _open(finding, now, muted_until)
    if finding is None:
        return _absent(alert, now, recover_after)
    if alert.status == "firing":
        return _still(alert, finding, now)
    return _reopen(alert, finding, now)


def acknowledge(alert: Alert, by: str, now: datetime) -> Alert:
    """Record who acknowledged it (a repeat changes nothing)."""
    if alert.acknowledged_by is not None:
        return alert
    return replace(alert, acknowledged_by=by, acknowledged_at=now, version=alert.version + 1)


def snooze(alert: Alert, until: datetime, by: str, now: datetime) -> Alert:
    """Hold back its posts (and mute new alerts of its rule and scope) until `until`."""
    if until <= now or alert.snoozed_until == until:
        return alert
    return replace(alert, snoozed_until=until, version=alert.version + 1)


def snooze_until(alert: Alert, how: Literal["day", "period"], now: datetime) -> datetime:
    """When a snooze of one day, or until the next period, ends."""
    if how == "day":
        return now + timedelta(days=1)
    end = alert.finding.period_end
    return end if end is not None and end > now else day_window(now).end


def give_feedback(alert: Alert, feedback: Feedback, by: str, now: datetime) -> Alert:
    """Record "expected" or "not expected" (the same answer again changes nothing)."""
    if alert.feedback == feedback:
        return alert
    return replace(alert, feedback=feedback, feedback_by=by, feedback_at=now, version=alert.version + 1)


def tuning_from(alerts: Iterable[Alert], now: datetime) -> Tuning:
    """Sensitivity from recent feedback: each "expected" makes its rule × scope 1.5× less eager (≤ 4×)."""
    counts: dict[tuple[str, str], int] = {}
    for alert in alerts:
        if (
            alert.feedback == "expected"
            and alert.feedback_at is not None
            and now - alert.feedback_at <= FEEDBACK_MEMORY
        ):
            key = (alert.finding.rule, alert.finding.scope.key)
            counts[key] = counts.get(key, 0) + 1
    return Tuning({key: min(FEEDBACK_STEP**n, FEEDBACK_MAX) for key, n in counts.items()})


def _open(finding: Finding, now: datetime, muted_until: datetime | None) -> Step:
    muted = muted_until is not None and now < muted_until
    alert = Alert(
        finding=finding,
        status="firing",
        opened_at=now,
        last_seen_at=now,
        fired_rank=finding.rank,
        opened_posted=not muted,
        snoozed_until=muted_until if muted else None,
    )
    return Step(alert, () if muted else (Post("open", "open", finding.message),))


def _still(alert: Alert, finding: Finding, now: datetime) -> Step:
    posts = _level_posts(alert, finding, now, None)
    fired = max(alert.fired_rank, finding.rank)
    changed = finding != alert.finding or fired != alert.fired_rank
    updated = replace(
        alert,
        finding=finding,
        last_seen_at=now,
        fired_rank=fired,
        opened_posted=alert.opened_posted or bool(posts),
        version=alert.version + (1 if changed else 0),
    )
    return Step(updated, posts)


def _absent(alert: Alert, now: datetime, recover_after: Mapping[str, timedelta]) -> Step:
    if alert.status != "firing":
        return Step(alert)
    end = alert.finding.period_end
    if end is not None and now >= end:
        return Step(replace(alert, status="closed", version=alert.version + 1))
    if now - alert.last_seen_at < recover_after.get(alert.finding.rule, timedelta(0)):
        return Step(alert)
    number = alert.recoveries + 1
    recovered = replace(
        alert, status="recovered", recovered_at=now, recoveries=number, version=alert.version + 1
    )
    text = (
        f"Recovered: {alert.finding.scope.title} is back to normal ({alert.finding.rule.replace('_', ' ')})"
    )
    posts = (
        ()
        if alert.snoozed(now) or not alert.opened_posted
        else (Post("thread", f"recovered:{number}", text),)
    )
    return Step(recovered, posts)


def _reopen(alert: Alert, finding: Finding, now: datetime) -> Step:
    number = alert.reopenings + 1
    posts = _level_posts(
        alert, finding, now, Post("thread", f"reopened:{number}", f"Again: {finding.message}")
    )
    reopened = replace(
        alert,
        finding=finding,
        status="firing",
        last_seen_at=now,
        fired_rank=max(alert.fired_rank, finding.rank),
        reopenings=number,
        recovered_at=None,
        opened_posted=alert.opened_posted or bool(posts),
        version=alert.version + 1,
    )
    return Step(reopened, posts)


def _level_posts(alert: Alert, finding: Finding, now: datetime, otherwise: Post | None) -> tuple[Post, ...]:
    # What a firing finding owes: the opening post if it was muted at first, a higher level once, or
    # (reopening) a note in the thread. Nothing while snoozed: the level still counts as posted.
    if alert.snoozed(now):
        return ()
    if not alert.opened_posted:
        return (Post("open", "open", finding.message),)
    if finding.rank > alert.fired_rank:
        return (Post("thread", f"level:{finding.rank}", f"Now {finding.level}: {finding.message}"),)
    return () if otherwise is None else (otherwise,)

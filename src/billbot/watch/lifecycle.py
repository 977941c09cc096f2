"""One run of the lifecycle: a run's findings applied to the alerts they belong to, all at once.

Every alert still firing is looked at (its finding may be gone), and every finding finds or opens its
alert. Findings of one key are merged (the highest rank wins) so a key never moves twice in one run.
Snoozes mute new alerts of the same rule and scope until they end.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from billbot.watch.alerts import Alert, Post, observe
from billbot.watch.findings import Finding

AlertKey = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Transition:
    """What one run did to one alert key."""

    key: AlertKey
    before: Alert | None
    after: Alert | None
    posts: tuple[Post, ...]


def apply_findings(
    alerts: Mapping[AlertKey, Alert], findings: Sequence[Finding], now: datetime
) -> list[Transition]:
    """The transitions of every alert key the run touches (unchanged alerts are left out)."""
    latest: dict[AlertKey, Finding] = {}
    for finding in findings:
        held = latest.get(finding.alert_key)
        if held is None or finding.rank > held.rank:
            latest[finding.alert_key] = finding
    mutes = mute_map(alerts.values(), now)
    keys = sorted({key for key, alert in alerts.items() if alert.status == "firing"} | set(latest))
    transitions = []
    for key in keys:
        before = alerts.get(key)
        step = observe(before, latest.get(key), now, muted_until=mutes.get((key[0], key[1])))
        if step.alert != before or step.posts:
            transitions.append(Transition(key, before, step.alert, step.posts))
    return transitions


def mute_map(alerts: Iterable[Alert], now: datetime) -> dict[tuple[str, str], datetime]:
    """(rule, scope key) → the latest snooze still running among those alerts."""
    mutes: dict[tuple[str, str], datetime] = {}
    for alert in alerts:
        until = alert.snoozed_until
        if until is not None and until > now:
            key = (alert.finding.rule, alert.finding.scope.key)
            mutes[key] = max(until, mutes.get(key, until))
    return mutes


def active_periods(alerts: Mapping[AlertKey, Alert]) -> dict[tuple[str, str], str]:
    """(rule, scope key) → the period of its alert still firing (episodes keep their key)."""
    return {(key[0], key[1]): key[2] for key, alert in alerts.items() if alert.status == "firing"}

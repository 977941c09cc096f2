"""The scorecard of a finished drill (pure): detection, first right action, recovery, losses, runbook.

- `time_to_detect_s`: from the incident's start to the first billbot alert that opened during the
  drill (an alert before the incident counts as 0: the team was warned in time); null: none fired.
- `time_to_first_reaction_s`: to the first action anyone took after the incident started.
- `time_to_first_action_s`: to the first RIGHT action (one of the drill's `right_actions`, not
  refused); one taken before the incident (backoff already on) counts as 0.
- `time_to_recover_s`: for `served` drills, to the first minute with requests served again after
  the incident's last failure such that no failure of the incident's kind follows for `quiet_minutes`
  (all inside the drill; with no failure at all, the first right action recovered it);
  `reloads_quiet`: to the minute after the last auto-reload purchase that none follows within
  `quiet_minutes`; `action`: the drill's recovery action taken (within its deadline). Null where it
  never happened.
- `requests_failed`: calls that were never served (failed and not retried, or still waiting for a
  retry at the end); `dollars_lost_usd`: their list-price value, plus credit over-bought by runaway
  reloads, plus double charges no dispute was filed for in time.
- `runbook`: the steps taken (first use of each kind, in order) against the expected ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from billbot.drills.advice import advise
from billbot.drills.catalogue import STEP_LABELS
from billbot.drills.record import DrillRecord

MINUTE = 60


@dataclass(frozen=True, slots=True)
class Runbook:
    """The runbook steps taken, in order, against the expected ones."""

    expected: tuple[str, ...]
    taken: tuple[str, ...]
    missing: tuple[str, ...]
    in_order: bool

    def to_dict(self) -> dict[str, Any]:
        """JSON shape: step kinds plus their labels."""
        return {
            "expected": list(self.expected),
            "taken": list(self.taken),
            "missing": list(self.missing),
            "in_order": self.in_order,
            "labels": {step: STEP_LABELS[step] for step in (*self.expected, *self.taken)},
        }


@dataclass(frozen=True, slots=True)
class Scorecard:
    """A drill's score (see the module docstring for each figure)."""

    record: DrillRecord
    time_to_detect_s: int | None
    time_to_first_reaction_s: int | None
    time_to_first_action_s: int | None
    time_to_recover_s: int | None
    dollars_lost_usd: Decimal
    overcharge_lost_usd: Decimal
    runbook: Runbook
    advice: tuple[str, ...]

    @property
    def requests_failed(self) -> int:
        """Calls never served."""
        return self.record.requests_failed

    def to_dict(self) -> dict[str, Any]:
        """The scorecard as JSON-ready values (money as decimal strings)."""
        r = self.record
        return {
            "drill": r.drill,
            "seed": r.seed,
            "began_at": r.began_at.isoformat(),
            "duration_s": r.duration_s,
            "ended_by": r.ended_by,
            "incident_start_s": r.incident_s,
            "requests_failed": r.requests_failed,
            "error_responses": r.error_responses,
            "requests_not_sent": r.requests_not_sent,
            "dollars_lost_usd": str(self.dollars_lost_usd),
            "lost": {
                "failed_requests_usd": str(r.failed_value_usd),
                "overspent_usd": str(r.overspent_usd),
                "overcharged_undisputed_usd": str(self.overcharge_lost_usd),
            },
            "time_to_detect_s": self.time_to_detect_s,
            "time_to_first_reaction_s": self.time_to_first_reaction_s,
            "time_to_first_action_s": self.time_to_first_action_s,
            "time_to_recover_s": self.time_to_recover_s,
            "runbook": self.runbook.to_dict(),
            "alerts": [
                {"at_s": a.at_s, "rule": a.rule, "severity": a.severity, "message": a.message}
                for a in r.alerts
            ],
            "actions": [
                {"at_s": a.at_s, "by": a.by, "do": a.text, "ok": a.ok, "effect": a.effect} for a in r.actions
            ],
            "advice": list(self.advice),
        }

    def to_json(self) -> str:
        """Stable JSON: the same drill, seed and actions give the same bytes."""
        return json.dumps(self.to_dict(), indent=2, sort_keys=True, ensure_ascii=False)


def score(record: DrillRecord) -> Scorecard:
    """Score a finished drill."""
    incident = record.incident_s
    detect = reaction = first_right = None
    if incident is not None:
        if record.alerts:
            detect = max(0, record.alerts[0].at_s - incident)
        after = [a for a in record.actions if a.at_s >= incident and a.kind != "stop"]
        reaction = after[0].at_s - incident if after else None
        right = [a for a in record.actions if a.kind in record.right_actions and a.ok]
        first_right = max(0, right[0].at_s - incident) if right else None  # ready before it: 0
    recover = _recovery(record)
    overcharge_lost = record.overcharged_usd if not _disputed_in_time(record) else Decimal(0)
    lost = record.failed_value_usd + record.overspent_usd + overcharge_lost
    runbook = _runbook(record)
    card = Scorecard(record, detect, reaction, first_right, recover, lost, overcharge_lost, runbook, ())
    return Scorecard(
        record, detect, reaction, first_right, recover, lost, overcharge_lost, runbook, advise(card)
    )


def _recovery(record: DrillRecord) -> int | None:
    incident = record.incident_s
    if incident is None:
        return None
    if record.recovery_kind == "action":
        taken = [a for a in record.actions if a.kind == record.recovery_action and a.at_s >= incident]
        if not taken:
            return None
        delay = taken[0].at_s - incident
        within = record.recovery_within_s
        return delay if within is None or delay <= within else None
    quiet = record.quiet_minutes
    end_minute = record.duration_s // MINUTE
    start = incident // MINUTE
    if record.recovery_kind == "reloads_quiet":
        marks = [m for m in record.reload_minutes if m >= start]
        # Recovered at the minute after the last purchase that no other follows within `quiet`.
        for index, minute in enumerate(marks):
            following = marks[index + 1] if index + 1 < len(marks) else None
            if (following is None or following > minute + quiet) and minute + 1 + quiet <= end_minute:
                return (minute + 1) * MINUTE - incident
        return None if marks else (0 if start + quiet <= end_minute else None)
    failures = [m for m in record.failure_minutes if m >= start]
    if not failures:  # the team acted before anything failed: recovered by its first right action
        right = [a for a in record.actions if a.kind in record.right_actions and a.ok]
        return max(0, right[0].at_s - incident) if right else None
    served = [m for m in record.served_minutes if m >= start]
    for minute in served:
        earlier = [f for f in failures if f <= minute]
        if not earlier:
            continue
        later = [f for f in failures if f >= minute]
        if (not later or later[0] >= minute + quiet) and minute + quiet <= end_minute:
            return max(0, minute * MINUTE - incident)
    return None


def _disputed_in_time(record: DrillRecord) -> bool:
    incident = record.incident_s or 0
    within = record.recovery_within_s
    return any(
        a.kind == "dispute" and (within is None or a.at_s - incident <= within) for a in record.actions
    )


def _runbook(record: DrillRecord) -> Runbook:
    taken: list[str] = []
    for action in record.actions:
        if action.kind in STEP_LABELS and action.kind not in taken:
            taken.append(action.kind)
    expected = record.expected_runbook
    done = [step for step in taken if step in expected]
    in_order = done == [step for step in expected if step in done]
    return Runbook(expected, tuple(taken), tuple(s for s in expected if s not in taken), in_order)

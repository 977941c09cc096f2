"""A drill as plain text (pure): the headline, the timeline with failures grouped, the scorecard.

Consecutive minutes failing with the same status and message are one line ("00:59–01:42 400 … ×12"),
so a night of failures stays readable; alerts and actions keep their own lines. Times are the
simulated clock (UTC) and, in brackets, the offset from the drill's start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from billbot.core.money import usd
from billbot.drills.catalogue import STEP_LABELS, DrillSpec
from billbot.drills.record import DrillRecord
from billbot.drills.scorecard import Scorecard

MINUTE = 60


def headline(spec: DrillSpec) -> str:
    """`Drill credit-exhaustion: Credit exhaustion at night — …`."""
    return f"Drill {spec.name}: {spec.title} — {spec.summary} ({_span(spec.duration_s)} simulated)"


def clock(began: datetime, at_s: int) -> str:
    """`01:02 (+1 h 02 min)`."""
    return f"{began + timedelta(seconds=at_s):%H:%M} (+{_span(at_s)})"


def timeline(record: DrillRecord) -> list[str]:
    """The drill's timeline: failure runs, alerts and actions, in time order."""
    items: list[tuple[int, int, str]] = []
    for run in _failure_runs(record):
        span = clock(record.began_at, run.start * MINUTE)
        if run.end > run.start:
            span += f" to {record.began_at + timedelta(seconds=(run.end + 1) * MINUTE):%H:%M}"
        items.append((run.start * MINUTE, 0, f"{span}  {run.status} “{run.message}” ×{run.count}"))
    for alert in record.alerts:
        when = clock(record.began_at, alert.at_s)
        items.append(
            (alert.at_s, 1, f"{when}  billbot alert [{alert.severity}] {alert.rule}: {alert.message}")
        )
    for action in record.actions:
        mark = "" if action.ok else " (refused)"
        line = f"{clock(record.began_at, action.at_s)}  {action.by}: {action.text} → {action.effect}{mark}"
        items.append((action.at_s, 2, line))
    return [line for _, _, line in sorted(items)]


def scorecard_text(card: Scorecard) -> str:
    """The scorecard as lines of text."""
    r = card.record
    lines = [
        f"Scorecard — {r.drill} (seed {r.seed}, ended by {r.ended_by} after {_span(r.duration_s)})",
        f"  requests failed        {r.requests_failed:,} (error responses {r.error_responses:,})",
        f"  dollars lost           {usd(card.dollars_lost_usd)}",
        f"  time to detect         {_maybe(card.time_to_detect_s)}",
        f"  first human reaction   {_maybe(card.time_to_first_reaction_s)}",
        f"  first right action     {_maybe(card.time_to_first_action_s)}",
        f"  time to recover        {_maybe(card.time_to_recover_s)}",
        "  runbook expected       " + " → ".join(STEP_LABELS[s] for s in card.runbook.expected),
        "  runbook taken          " + (" → ".join(STEP_LABELS[s] for s in card.runbook.taken) or "nothing"),
    ]
    if card.advice:
        lines.append("What to change:")
        lines += [f"  - {lesson}" for lesson in card.advice]
    return "\n".join(lines)


@dataclass
class _Run:
    start: int
    end: int
    status: int
    message: str
    count: int


def _failure_runs(record: DrillRecord) -> list[_Run]:
    runs: list[_Run] = []
    latest: dict[tuple[int, str], _Run] = {}
    for minute in record.errors:
        for status, message, count in minute.failures:
            run = latest.get((status, message))
            if run is not None and minute.minute - run.end <= 1:
                run.end, run.count = minute.minute, run.count + count
                continue
            latest[(status, message)] = run = _Run(minute.minute, minute.minute, status, message, count)
            runs.append(run)
    return runs


def _maybe(seconds: int | None) -> str:
    return "never" if seconds is None else _span(seconds)


def _span(seconds: int) -> str:
    if seconds >= 86_400 and seconds % 3600 == 0:
        return f"{seconds // 3600} h"
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    if seconds >= MINUTE:
        rest = f" {seconds % MINUTE:02d} s" if seconds % MINUTE else ""
        return f"{seconds // MINUTE} min{rest}"
    return f"{seconds} s"

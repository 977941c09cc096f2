"""What to change after a drill (pure): one sentence per lesson, from what the scorecard saw.

Lessons, in this order: the alert set-up (no alert, a late alert, no alert on a declined reload),
the response (no right action, runbook steps skipped or out of order, never recovered), and the
configuration (clients without backoff, auto-reload off when credits ran out, a target too low for
the traffic, an over-charge not disputed in time).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from billbot.drills.catalogue import STEP_LABELS

if TYPE_CHECKING:
    from billbot.drills.scorecard import Scorecard

LATE_ALERT_S = 10 * 60
MANY_RELOADS = 3


def advise(card: Scorecard) -> tuple[str, ...]:
    """The lessons of one scorecard, most important first."""
    r = card.record
    lessons: list[str] = []
    if r.incident_s is None:
        return ("The incident never started in this drill: nothing to score.",)
    if not r.alerts:
        lessons.append(
            "No billbot alert fired during the incident: add a budget or check the watch's alert channel "
            "so the team hears of it before the users do."
        )
    elif card.time_to_detect_s is not None and card.time_to_detect_s > LATE_ALERT_S:
        lessons.append(
            f"The first alert ({r.alerts[0].rule}) fired {_minutes(card.time_to_detect_s)} after "
            "the incident began: tighten its threshold or add an earlier warning."
        )
    if r.reload_declines and not any(a.rule == "reload_declined" for a in r.alerts):
        lessons.append("No alert on declined reloads: the card failed silently until requests did.")
    if card.time_to_first_action_s is None:
        right = " or ".join(STEP_LABELS[k] for k in r.right_actions)
        lessons.append(f"Nobody took a right action ({right}).")
    if card.runbook.missing:
        skipped = "; ".join(STEP_LABELS[s] for s in card.runbook.missing)
        lessons.append(f"Runbook steps skipped: {skipped}.")
    if not card.runbook.in_order:
        lessons.append("Runbook steps were taken out of order: " + " → ".join(card.runbook.expected) + ".")
    if card.time_to_recover_s is None and r.recovery_kind != "action":
        lessons.append("The incident was not recovered before the drill ended.")
    backed_off = any(a.kind == "backoff" and a.ok for a in r.actions)
    if set(r.failures) & {"rate_limit", "overload"} and not backed_off:
        lessons.append(
            "Clients do not back off: retry 429 and 529 after retry-after (or an exponential delay) "
            "with jitter, as seed 001 §6.2 says."
        )
    if "credit" in r.failures and not r.auto_reload_on:
        lessons.append("Auto-reload is off: with it on, credits are bought before the balance runs out.")
    successful = sum(1 for reload in r.reloads if reload.succeeded)
    if r.recovery_kind != "reloads_quiet" and successful >= MANY_RELOADS:
        lessons.append(
            f"Auto-reload ran {successful} times in {_minutes(r.duration_s)}: its target is too low for "
            "this traffic; raise it."
        )
    if r.recovery_kind == "action" and card.time_to_recover_s is None:
        lessons.append(f"No {r.recovery_action} was filed in time: the over-charge is lost.")
    return tuple(lessons)


def _minutes(seconds: int) -> str:
    if seconds >= 3600:
        return f"{seconds // 3600} h {seconds % 3600 // 60:02d} min"
    return f"{seconds // 60} min"

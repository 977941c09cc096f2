"""The watch's answers as renderer-neutral `Response`s: budgets, alerts, one alert, and findings as text.

`/claude-budget` and `/claude-alerts` (`billbot.app.watch`) answer with these in Slack, the terminal and
the web page alike; `alert_response` is also the body of an alert's own message; `findings_text` is
what `billbot watch --once` prints (`run_text`, and `run_line` per run of the loop).
"""

from __future__ import annotations

from collections.abc import Sequence

from billbot.app.grammar.watch import AlertAction
from billbot.app.replies.model import Fact, Response, Table
from billbot.core.money import usd
from billbot.watch.alert_store import StoredAlert
from billbot.watch.budgets import PERIOD_WORDS, Budget
from billbot.watch.findings import Finding
from billbot.watch.lifecycle import Transition
from billbot.watch.service import WatchRun

ACTION_WORDS: dict[AlertAction, str] = {
    "acknowledge": "Acknowledged",
    "snooze_day": "Snoozed for a day",
    "snooze_period": "Snoozed until its next period",
    "expected": "Marked expected (later runs are less eager on this rule and scope)",
    "not_expected": "Marked not expected",
}
SKIPPED = "skipped: another process is running the watch right now"
CHANGE_WORDS = ("opened", "updated", "reopened", "recovered", "closed")
STATUS_WORDS = {"firing": "active", "recovered": "recovered", "closed": "closed (its period ended)"}


def budgets_response(budgets: Sequence[Budget], source: str) -> Response:
    """`/claude-budget list`."""
    if not budgets:
        return Response("Budgets", source, notes=("No budgets yet: `/claude-budget set 5000 monthly`.",))
    rows = tuple(
        (f"#{b.id}", b.scope.title, PERIOD_WORDS[b.period], usd(b.amount),
         "/".join(str(t) for t in b.thresholds) + "%" + (" + forecast" if b.forecast else ""),
         f"<#{b.channel}>" if b.channel else "alert channel")
        for b in budgets
    )  # fmt: skip
    return Response(
        "Budgets", source, tables=(Table(("Id", "Scope", "Period", "Amount", "Alerts at", "Goes to"), rows),)
    )


def budget_saved_response(budget: Budget, created: bool, source: str) -> Response:
    """The reply to `/claude-budget set` (and, with `created` False for a replaced one, to `remove`)."""
    verb = "Budget set" if created else "Budget updated"
    return Response(f"{verb}: #{budget.id}", source, facts=(Fact("Budget", budget.describe),))


def budget_removed_response(budget: Budget, source: str) -> Response:
    """The reply to `/claude-budget remove ID`."""
    return Response(
        f"Budget removed: #{budget.id}",
        source,
        facts=(Fact("Budget", budget.describe),),
        notes=("Its alerts stay in `/claude-alerts all`.",),
    )


def alerts_response(alerts: Sequence[StoredAlert], *, active_only: bool, source: str) -> Response:
    """`/claude-alerts [active|all]`."""
    title = "Active alerts" if active_only else "Alerts"
    if not alerts:
        return Response(title, source, notes=("Nothing to report.",))
    rows = tuple(
        (f"#{s.id}", s.alert.finding.rule.replace("_", " "), s.alert.finding.scope.title,
         s.alert.finding.level or s.alert.finding.severity, STATUS_WORDS.get(s.alert.status, s.alert.status),
         f"{s.alert.opened_at:%d %b %H:%M}")
        for s in alerts
    )  # fmt: skip
    return Response(
        title, source, tables=(Table(("Id", "Rule", "Scope", "Level", "Status", "Opened (UTC)"), rows),)
    )


def alert_response(stored: StoredAlert, source: str) -> Response:
    """`/claude-alerts ID` and the alert's own message: what, figures, evidence, status."""
    alert, finding = stored.alert, stored.alert.finding
    facts = [Fact(label, value) for label, value in finding.figures]
    status = STATUS_WORDS.get(alert.status, alert.status)
    if alert.acknowledged_by:
        status += f" · acknowledged by <@{alert.acknowledged_by}>"
    if alert.snoozed_until is not None:
        status += f" · snoozed until {alert.snoozed_until:%d %b %H:%M} UTC"
    if alert.feedback:
        status += f" · marked {alert.feedback.replace('_', ' ')}"
    facts.append(Fact("Status", status))
    warnings = ("Estimate: usage × price list",) if finding.basis == "estimate" else ()
    return Response(
        f"#{stored.id} {finding.message}",
        source,
        facts=tuple(facts),
        notes=finding.evidence,
        warnings=warnings,
    )


def alert_action_response(stored: StoredAlert, action: AlertAction, source: str) -> Response:
    """The reply to `/claude-alerts ack|snooze|expected|unexpected ID`: what was done, then the alert."""
    shown = alert_response(stored, source)
    done = f"{ACTION_WORDS[action]}: #{stored.id}."
    return Response(shown.title, source, shown.facts, shown.tables, (done, *shown.notes), shown.warnings)


def findings_text(findings: Sequence[Finding]) -> str:
    """Findings as plain text lines: severity, rule, scope and message (empty: "no findings")."""
    if not findings:
        return "no findings"
    return "\n".join(f"[{f.severity}] {f.rule} · {f.scope.label} · {f.message}" for f in findings)


def run_text(run: WatchRun, source: str) -> str:
    """What `billbot watch --once` prints: the findings with their amounts and evidence, what changed."""
    lines = [f"billbot watch · {run.now:%Y-%m-%d %H:%M} UTC", f"source: {source}"]
    if run.skipped:
        return "\n".join([*lines, SKIPPED])
    count = len(run.findings)
    lines.append(f"{count} finding{'s' if count != 1 else ''}" + (":" if count else ""))
    for finding in run.findings:
        amount = "" if finding.amount_usd is None else f" · {usd(finding.amount_usd)}"
        lines.append(
            f"  [{finding.severity}] {finding.rule} · {finding.scope.label}{amount} · {finding.message}"
        )
        lines += [f"      {line}" for line in finding.evidence]
    lines.append(f"alerts: {changes_text(run.transitions)}")
    posts = [(change, post) for change in run.transitions for post in change.posts]
    lines.append(
        f"{run.posts_queued} new post{'s' if run.posts_queued != 1 else ''}" + (":" if posts else "")
    )
    for change, post in posts:
        lines.append(f"  {post.kind} · {change.key[0].replace('_', ' ')} · {post.text}")
    return "\n".join(lines)


def run_line(run: WatchRun) -> str:
    """One line per run of the `billbot watch` loop (a clock process's log)."""
    if run.skipped:
        return f"{run.now:%Y-%m-%d %H:%M} UTC · {SKIPPED}"
    return (
        f"{run.now:%Y-%m-%d %H:%M} UTC · {len(run.findings)} findings · alerts: "
        f"{changes_text(run.transitions)} · {run.posts_queued} new posts"
    )


def changes_text(transitions: Sequence[Transition]) -> str:
    """`1 opened, 2 updated` (or `no change`): what a run did to the alerts."""
    counts: dict[str, int] = {}
    for change in transitions:
        word = _change_word(change)
        counts[word] = counts.get(word, 0) + 1
    return ", ".join(f"{counts[word]} {word}" for word in CHANGE_WORDS if word in counts) or "no change"


def _change_word(change: Transition) -> str:
    before, after = change.before, change.after
    if before is None:
        return "opened"
    if after is None or after.status == before.status:
        return "updated"
    if after.status == "firing":
        return "reopened"
    return after.status  # recovered or closed

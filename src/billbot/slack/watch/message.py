"""An alert's Slack message: what happened, how bad, the figures and evidence, and its buttons (pure).

Built from the same `alert_response` `/claude-alerts ID` gives, plus a severity line and the buttons:
Acknowledge (until someone has), Snooze 1 day, Snooze until next period, Expected, Not expected, and
for a reconciliation alert "Draft a dispute" — or, once drafted, a link to the dispute ticket.
Each button carries the alert id as its value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from billbot.app.grammar.watch import AlertAction
from billbot.app.replies.watch import alert_response
from billbot.slack.blocks import Block, blocks_for, fallback_text
from billbot.watch.alert_store import StoredAlert

ACTION_PREFIX = "watch_"
DISPUTE_ACTION = "watch_dispute"
BUTTONS: dict[AlertAction, str] = {
    "acknowledge": "Acknowledge",
    "snooze_day": "Snooze 1 day",
    "snooze_period": "Snooze until next period",
    "expected": "Expected",
    "not_expected": "Not expected",
}
ACTION_IDS: dict[str, AlertAction] = {f"{ACTION_PREFIX}{action}": action for action in BUTTONS}
ALL_ACTIONS = re.compile(
    rf"^{ACTION_PREFIX}(acknowledge|snooze_day|snooze_period|expected|not_expected|dispute)$"
)
SEVERITY_WORDS = {
    "info": ":information_source: Info",
    "warning": ":warning: Warning",
    "critical": ":rotating_light: Critical",
}
MAX_ALERT_ID = 2**63 - 1


@dataclass(frozen=True, slots=True)
class DisputeLink:
    """The dispute ticket drafted from an alert, and where its thread is (a permalink when Slack gave one)."""

    ticket_id: int
    channel_id: str
    permalink: str | None = None

    def mrkdwn(self) -> str:
        """ "ticket #12" linked to its thread, or named with its channel and command."""
        if self.permalink:
            return f"<{self.permalink}|ticket #{self.ticket_id}>"
        where = f" in <#{self.channel_id}>" if self.channel_id else ""
        return f"ticket #{self.ticket_id}{where} (`/claude-tickets {self.ticket_id}`)"


def alert_message(
    stored: StoredAlert, source: str, dispute: DisputeLink | None = None
) -> tuple[str, list[Block]]:
    """The fallback text and the blocks of the alert's one message."""
    response = alert_response(stored, source)
    finding = stored.alert.finding
    severity = SEVERITY_WORDS.get(finding.severity, finding.severity)
    rule = finding.rule.replace("_", " ")
    head = _context(f"{severity} · {rule} · {finding.scope.title}")
    tail: list[Block] = []
    if dispute is not None:
        tail.append(_section(f":page_facing_up: Dispute drafted: {dispute.mrkdwn()}"))
    tail.append(alert_buttons(stored, drafted=dispute is not None))
    blocks = blocks_for(response, actions=tail)
    text = f"{severity}: {fallback_text(response)}"
    return text[:3000], [blocks[0], head, *blocks[1:]]


def alert_buttons(stored: StoredAlert, *, drafted: bool = False) -> Block:
    """The alert's buttons (an `actions` block); "Draft a dispute" only for reconciliation, once."""
    value = str(stored.id)
    alert = stored.alert
    elements = [
        _button(f"{ACTION_PREFIX}{action}", label, value)
        for action, label in BUTTONS.items()
        if not (action == "acknowledge" and alert.acknowledged_by)
    ]
    if alert.finding.rule == "reconciliation" and not drafted:
        elements.append(_button(DISPUTE_ACTION, "Draft a dispute", value, style="primary"))
    return {"type": "actions", "block_id": f"watch_alert:{stored.id}", "elements": elements}


def alert_id_of(value: object) -> int | None:
    """An alert id from a button value: a positive integer the store can hold, else None."""
    text = str(value)
    if not re.fullmatch(r"[1-9][0-9]{0,18}", text) or int(text) > MAX_ALERT_ID:
        return None
    return int(text)


def _button(action_id: str, label: str, value: str, *, style: str | None = None) -> Block:
    button: Block = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label},
        "value": value,
    }
    if style:
        button["style"] = style
    return button


def _context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:2000]}]}


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}

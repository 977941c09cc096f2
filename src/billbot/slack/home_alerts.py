"""App Home's "Active alerts" section: each firing alert in a line, with its buttons (pure).

One section (severity, what, where its message is) and one `actions` block per alert, newest first,
at most `MAX_HOME_ALERTS`; beyond that a line says how many more `/claude-alerts` lists. A drafted
dispute shows its ticket instead of the "Draft a dispute" button, as the alert's message does.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from billbot.slack.blocks import Block
from billbot.slack.watch.message import SEVERITY_WORDS, DisputeLink, alert_buttons
from billbot.watch.alert_store import StoredAlert

MAX_HOME_ALERTS = 10  # two blocks each: the tab keeps room for the dashboard (100 blocks in all)


def alert_blocks(
    alerts: Sequence[StoredAlert], dispute_of: Callable[[int], DisputeLink | None] = lambda _: None
) -> list[Block]:
    """The section's blocks: a title, then each active alert with its buttons, or "no active alerts"."""
    blocks: list[Block] = [_mrkdwn_section("*Active alerts*" + ("" if alerts else "\nNo active alerts."))]
    for stored in alerts[:MAX_HOME_ALERTS]:
        finding = stored.alert.finding
        where = f" · <#{stored.channel_id}>" if stored.channel_id and stored.message_ts else ""
        status = ""
        if stored.alert.acknowledged_by:
            status += f" · acknowledged by <@{stored.alert.acknowledged_by}>"
        if stored.alert.snoozed_until is not None:
            status += f" · snoozed until {stored.alert.snoozed_until:%d %b %H:%M} UTC"
        severity = SEVERITY_WORDS.get(finding.severity, finding.severity)
        dispute = dispute_of(stored.id)
        drafted = f"\n:page_facing_up: Dispute drafted: {dispute.mrkdwn()}" if dispute is not None else ""
        blocks.append(_mrkdwn_section(f"{severity} *#{stored.id}* {finding.message}{where}{status}{drafted}"))
        blocks.append(alert_buttons(stored, drafted=dispute is not None))
    hidden = len(alerts) - MAX_HOME_ALERTS
    if hidden > 0:
        blocks.append(_mrkdwn_section(f"…and {hidden} more: `/claude-alerts active` lists them all."))
    return blocks


def _mrkdwn_section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}

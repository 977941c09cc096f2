"""The ticket listeners: the modals' submissions and the header's buttons (`actions` does the work)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext

from billbot.slack.deps import Deps
from billbot.slack.tickets.actions import on_button, on_filed, on_followup
from billbot.slack.tickets.desk import TicketDesk
from billbot.slack.tickets.views import ANSWER_VIEW, EVIDENCE_VIEW, FILE_VIEW, RESOLVE_VIEW

BUTTONS = re.compile(r"^ticket_(submitted|add_evidence|record_answer|resolve|reopen|packet)$")
FOLLOWUPS = {EVIDENCE_VIEW: "evidence", ANSWER_VIEW: "answer", RESOLVE_VIEW: "resolve"}


def register(app: App, deps: Deps) -> None:
    """Listen for ticket modals and buttons (only when billbot has a ticket desk)."""
    desk = deps.tickets
    if desk is None:
        return

    @app.view(FILE_VIEW)
    def ticket_filed(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        on_filed(deps, desk, ack, body, context)

    @app.action(BUTTONS)
    def ticket_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        on_button(deps, desk, ack, body, context)

    for callback_id, which in FOLLOWUPS.items():
        app.view(callback_id)(_followup(deps, desk, which))


def _followup(deps: Deps, desk: TicketDesk, which: str) -> Callable[[Ack, dict[str, Any], BoltContext], None]:
    # Bolt injects listener arguments by name, so `which` is bound here rather than as a parameter.
    def ticket_followup(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        on_followup(deps, desk, ack, body, context, which)

    return ticket_followup

"""The ticket modals' submissions and the thread header's buttons (`slack.ticket_actions`)."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext

from billbot.slack.deps import Deps
from billbot.slack.ticket_actions import on_button, on_filed, on_followup
from billbot.slack.ticket_views import ANSWER_VIEW, EVIDENCE_VIEW, FILE_VIEW, RESOLVE_VIEW

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

        def followup(ack: Ack, body: dict[str, Any], context: BoltContext, which: str = which) -> None:
            on_followup(deps, desk, ack, body, context, which)

        app.view(callback_id)(followup)

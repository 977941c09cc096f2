"""`/claude-dispute`: ack first, then the work (`slack.ticket_commands`)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from billbot.slack.deps import Deps
from billbot.slack.ticket_commands import on_ticket_command

COMMAND = "/claude-dispute"


def register(app: App, deps: Deps) -> None:
    """Listen for `/claude-dispute`."""

    @app.command(COMMAND)
    def claude_dispute(
        ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        on_ticket_command(deps, ack, command, client, context, respond)

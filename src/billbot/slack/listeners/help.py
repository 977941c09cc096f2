"""`/claude-help`: ack first, then the answer, ephemeral with a share button (`slack.answering`)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from billbot.slack.answering import on_command
from billbot.slack.deps import Deps

COMMAND = "/claude-help"


def register(app: App, deps: Deps) -> None:
    """Listen for `/claude-help`."""

    @app.command(COMMAND)
    def claude_help(
        ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        on_command(deps, ack, command, client, context, respond)

"""The "Share in channel" button: re-run the command and post the answer for everyone."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from billbot.slack.answering import SHARE_ACTION, on_share
from billbot.slack.deps import Deps


def register(app: App, deps: Deps) -> None:
    """Listen for the share button."""

    @app.action(SHARE_ACTION)
    def share_answer(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        on_share(deps, ack, body, client, context, respond)

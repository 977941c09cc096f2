"""`app_home_opened`: publish the dashboard (events are acked by Bolt before this runs)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from billbot.slack.answering import run_job
from billbot.slack.deps import Deps
from billbot.slack.home import home_user, publish_home


def register(app: App, deps: Deps) -> None:
    """Listen for the Home tab being opened."""

    @app.event("app_home_opened")
    def app_home_opened(
        event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        user = home_user(event)
        key: str | None = context.get("delivery_key")
        if user is None:
            if key is not None:
                deps.deliveries.done(key)
            return
        run_job(deps, key, body, client, lambda: publish_home(deps, user, client))

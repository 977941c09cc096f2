"""The App Home tab: gather the dashboard's parts from the answers service and publish the view."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from billbot.app.errors import explain
from billbot.app.replies.model import Response
from billbot.app.replies.tickets import attention
from billbot.slack.commands import run_job
from billbot.slack.deps import Deps
from billbot.slack.errors import slack_text
from billbot.slack.home_alerts import alert_blocks
from billbot.slack.home_view import Part, home_view

log = logging.getLogger("billbot.slack")


def register_home(app: App, deps: Deps) -> None:
    """Publish the dashboard when a user opens the Home tab (events are acked by Bolt first)."""

    @app.event("app_home_opened")
    def app_home_opened(
        event: dict[str, Any], body: dict[str, Any], client: WebClient, context: BoltContext
    ) -> None:
        user = home_user(event)
        key: str | None = context.get("delivery_key")
        if user is None:
            deps.finish(key)
            return
        run_job(deps, key, body, client, lambda: publish_home(deps, user, client))


def publish_home(deps: Deps, user: str, client: WebClient) -> None:
    """Compute the dashboard for `user` and publish it (each part fails on its own)."""
    now = deps.now()
    actor = deps.actor(user, None)

    def part(command: str) -> Part:
        try:
            reply = deps.answer(command, actor)
            assert isinstance(reply, Response)
            return reply
        except Exception as exc:
            message = explain(exc)
            if not message.expected:
                log.error("home part failed ref=%s type=%s", message.ref, type(exc).__name__, exc_info=exc)
            return slack_text(message)

    desk = deps.tickets
    tickets = attention(desk.service.tickets(include_resolved=False), now) if desk is not None else []
    watch = deps.watch
    alerts = (
        alert_blocks(watch.service.alerts(active_only=True), watch.dispute_link) if watch is not None else []
    )
    view = home_view(
        part("/claude-balance"),
        part("/claude-spend mtd"),
        part("/claude-limits"),
        updated=now,
        tickets=tickets,
        alerts=alerts,
    )
    client.views_publish(user_id=user, view=view)


def home_user(event: Mapping[str, Any]) -> str | None:
    """The user whose Home tab was opened (None for the Messages tab)."""
    if event.get("tab", "home") != "home":
        return None
    user = event.get("user")
    return str(user) if user else None

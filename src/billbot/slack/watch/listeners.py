"""The alert message's buttons: acknowledge, snooze, feedback, and "Draft a dispute".

Each click acks at once; its change runs on the job pool, saved with the thread note that says who
did it, then posted by the relay (which also edits the message). Slack's retried delivery of the
same click (same trigger) is turned away by the app's delivery dedupe (in the store on PostgreSQL);
a click that changes nothing — a second acknowledge — is told to the clicker privately, nothing more.
A click in App Home publishes the clicker's Home tab again, showing the change.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from billbot.slack.commands import run_job
from billbot.slack.deps import Deps
from billbot.slack.home import publish_home
from billbot.slack.watch.desk import DisputeUnavailable, NotDisputable, WatchDesk
from billbot.slack.watch.message import ACTION_IDS, ALL_ACTIONS, DISPUTE_ACTION, alert_id_of
from billbot.tickets.service import TicketError
from billbot.watch.alert_store import AlertNotFound

NOT_AN_ALERT = "That button does not name an alert: use the buttons of an alert's message."
UNCHANGED = "Nothing to change: alert #{id} already shows that."


def register(app: App, deps: Deps) -> None:
    """Listen for the alert buttons (only when billbot has a watch desk)."""
    desk = deps.watch
    if desk is None:
        return

    @app.action(ALL_ACTIONS)
    def watch_button(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        on_button(deps, desk, ack, body, context)


def on_button(deps: Deps, desk: WatchDesk, ack: Ack, body: Mapping[str, Any], context: BoltContext) -> None:
    """An alert button: apply its action (or draft the dispute) off the ack path."""
    ack()
    action = body["actions"][0]
    action_id, user = str(action["action_id"]), str(body["user"]["id"])
    client = context.client
    assert client is not None
    key: str | None = context.get("delivery_key")
    alert_id = alert_id_of(action.get("value"))
    if alert_id is None:
        tell(client, body, user, NOT_AN_ALERT)
        deps.finish(key)
        return

    def work() -> None:
        try:
            if action_id == DISPUTE_ACTION:
                desk.dispute(alert_id, user)
            elif not desk.act(alert_id, ACTION_IDS[action_id], user):
                tell(client, body, user, UNCHANGED.format(id=alert_id))
        except (AlertNotFound, NotDisputable, DisputeUnavailable, TicketError) as exc:
            tell(client, body, user, f":warning: {exc}")
        if (body.get("container") or {}).get("type") == "view":
            publish_home(deps, user, client)  # clicked in App Home: show the change there too

    run_job(deps, key, body, client, work)


def tell(client: WebClient, body: Mapping[str, Any], user: str, text: str) -> None:
    """Say `text` to the clicker only, in the channel of the message clicked."""
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    if channel:
        client.chat_postEphemeral(channel=str(channel), user=user, text=text)

"""The drill thread's buttons and its "Type an action…" form: an action for the drill, from a member.

A button's value names the run and the action; the form's private metadata the run and channel. The
request key of a click is its run, user and `action_ts` (a retried delivery carries the same), of a
form its view id: the store claims each once, so a retried click is applied once.
"""

from __future__ import annotations

import json
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from billbot.slack.deps import Deps
from billbot.slack.drill_blocks import ACT_ACTION, FORM_CALLBACK, TYPE_ACTION, action_form, clicked

UNREADABLE = "This button could not be read; start a drill again with /claude-drill NAME."


def register_drill(app: App, deps: Deps) -> None:
    """Listen for the drill headline's buttons and the action form."""

    @app.action(re.compile(f"^{ACT_ACTION}_\\d+$"))
    def drill_act(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        channel, user = _where(body)
        request = clicked(body)
        desk = deps.drills
        if request is None or desk is None:
            client.chat_postEphemeral(channel=channel, user=user, text=UNREADABLE)
        else:
            run_id, text = request
            action_ts = str(body["actions"][0].get("action_ts", ""))
            refusal = desk.act(run_id, f"drill:{run_id}:{user}:{action_ts}", text, user, channel)
            if refusal is not None:
                client.chat_postEphemeral(channel=channel, user=user, text=refusal)
        deps.finish(context.get("delivery_key"))

    @app.action(TYPE_ACTION)
    def drill_type(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        channel, user = _where(body)
        request = clicked(body)
        if request is None:
            client.chat_postEphemeral(channel=channel, user=user, text=UNREADABLE)
        else:
            client.views_open(trigger_id=body["trigger_id"], view=action_form(request[0], channel))
        deps.finish(context.get("delivery_key"))

    @app.view(FORM_CALLBACK)
    def drill_form(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        view = body.get("view") or {}
        user = str((body.get("user") or {}).get("id", ""))
        desk = deps.drills
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
            run_id, channel = int(meta["run"]), str(meta["channel"])
            text = str(view["state"]["values"]["action"]["text"]["value"] or "")
        except (KeyError, TypeError, ValueError):
            ack(response_action="errors", errors={"action": UNREADABLE})
            return
        refusal = (
            OVER_DESK
            if desk is None
            else desk.act(run_id, f"drill:{run_id}:view:{view.get('id')}", text, user, channel)
        )
        if refusal is None:
            ack()
        else:
            ack(response_action="errors", errors={"action": refusal[:150]})
        deps.finish(context.get("delivery_key"))


OVER_DESK = "Drills are not played by this billbot."


def _where(body: dict[str, Any]) -> tuple[str, str]:
    channel = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    return str(channel), str((body.get("user") or {}).get("id", ""))

"""The what-if thread's "run again" buttons: the same what-if with one lever changed, in that thread."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from billbot.app.command import authorize
from billbot.app.errors import Refused, explain
from billbot.app.grammar.answers import CommandError
from billbot.app.table import parse
from billbot.slack.commands import run_job
from billbot.slack.deps import Deps
from billbot.slack.errors import slack_text
from billbot.slack.whatif import RERUN_ACTION, rerun_request

UNREADABLE = "This button could not be read; run /claude-whatif again."


def register_whatif(app: App, deps: Deps) -> None:
    """Listen for the "run again" buttons of what-if threads."""

    @app.action(re.compile(f"^{RERUN_ACTION}_\\d+$"))
    def whatif_rerun(ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
        ack()
        key: str | None = context.get("delivery_key")
        channel, user = (body.get("channel") or {}).get("id"), (body.get("user") or {}).get("id", "")
        actor = deps.actor(str(user), channel)
        request = rerun_request(body)
        desk = deps.whatifs
        if request is None or desk is None:
            client.chat_postEphemeral(channel=str(channel), user=user, text=UNREADABLE)
            deps.finish(key)
            return
        request_key, command, thread = request
        try:
            authorize(parse(command, deps.now()), actor, deps.settings.channels)
        except (CommandError, Refused) as exc:
            client.chat_postEphemeral(channel=str(channel), user=user, text=slack_text(explain(exc)))
            deps.finish(key)
            return
        run_job(deps, key, body, client, lambda: desk.start(request_key, command, actor, thread_ts=thread))

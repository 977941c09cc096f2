"""The work behind `/claude-dispute`, `/claude-refund` and `/claude-tickets`.

Filing opens the modal right after the ack (a `trigger_id` lives 3 seconds, so never after slow work);
`/claude-tickets` answers ephemeral off the ack path like every other answer.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from billbot.commands.grammar import CommandError
from billbot.commands.tickets import FilingQuery, parse_ticket_command
from billbot.slack.answering import command_text, finish, not_here, post_ephemeral, run_job
from billbot.slack.deps import Deps
from billbot.slack.tickets.views import filing_modal
from billbot.tickets.queries import tickets_answer

NO_TICKETS = "Tickets need the store: billbot was started without one (see docs/TICKETS.md)."


def on_ticket_command(
    deps: Deps,
    ack: Ack,
    command: Mapping[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond,
) -> None:
    """Everything a ticket command listener does."""
    key: str | None = context.get("delivery_key")
    text, desk = command_text(command), deps.tickets
    channel, user = str(command.get("channel_id") or ""), str(command.get("user_id") or "")
    refusal = "" if deps.allowed_in(channel) else not_here(deps)
    try:
        query = parse_ticket_command(text, deps.now())
    except CommandError as exc:
        refusal = refusal or f":warning: {exc}\nUsage: `{exc.usage}`"
        query = None
    if refusal or query is None or desk is None:
        ack(text=refusal or NO_TICKETS, response_type="ephemeral")
        finish(deps, key)
        return
    ack()
    if isinstance(query, FilingQuery):
        hook = str(command.get("response_url") or "")
        view = filing_modal(query.kind, desk.providers(), desk.default_provider, channel, query.prefill, hook)
        client.views_open(trigger_id=command["trigger_id"], view=view)
        finish(deps, key)
        return

    def work() -> None:
        post_ephemeral(client, respond, channel, user, tickets_answer(desk.service, query, deps.now()), None)

    run_job(deps, key, dict(command), client, work)

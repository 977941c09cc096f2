"""Slash commands and the share button in Slack, one listener per row of the command table.

`on_command` parses and authorizes through the table and acks at once — with the message and usage
line for bad input or a refusal — otherwise acks empty. An `immediate` command (a ticket form: its
trigger lives three seconds) runs right after the ack; any other runs on the job pool and its answer
is posted ephemeral with a "Share in channel" button. `on_share` re-runs the command from the
button's value and posts it in the channel (in the thread, if any). A job marks its delivery done only
after its effect; a failure goes to `report_failure`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from billbot.app.command import Actor, Invocation, OpenForm, Reply, authorize
from billbot.app.errors import Refused, explain
from billbot.app.grammar.answers import CommandError
from billbot.app.replies.model import Response
from billbot.app.table import COMMANDS, DRILL_COMMAND, execute, parse
from billbot.slack.blocks import Block, blocks_for, fallback_text
from billbot.slack.deps import Deps
from billbot.slack.errors import report_failure, slack_text
from billbot.slack.tickets.views import filing_modal

SHARE_ACTION = "share_answer"
MAX_BUTTON_VALUE = 2000
NO_MEMBER_ERRORS = ("channel_not_found", "not_in_channel")
NO_SHARED_CHANGE = "A change cannot be shared: run it again yourself."
NO_CHANNEL = "Slack sent this command without a channel or user, so billbot cannot answer it."

Listener = Callable[[Ack, dict[str, Any], WebClient, BoltContext, Respond], None]


def register_commands(app: App, deps: Deps) -> None:
    """One listener per command of the table, plus the share button."""
    for command in COMMANDS:
        app.command(command.name)(_listener(deps))

    @app.action(SHARE_ACTION)
    def share_answer(
        ack: Ack, body: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        on_share(deps, ack, body, client, context, respond)


def _listener(deps: Deps) -> Listener:
    # Bolt injects listener arguments by name, so the deps are bound here rather than passed.
    def slash_command(
        ack: Ack, command: dict[str, Any], client: WebClient, context: BoltContext, respond: Respond
    ) -> None:
        on_command(deps, ack, command, client, context, respond)

    return slash_command


def on_command(
    deps: Deps,
    ack: Ack,
    command: Mapping[str, Any],
    client: WebClient,
    context: BoltContext,
    respond: Respond,
) -> None:
    """Everything a slash-command listener does."""
    key: str | None = context.get("delivery_key")
    text = command_text(command)
    channel, user = command.get("channel_id"), command.get("user_id")
    if not channel or not user:  # nowhere to answer but the ack itself
        ack(text=NO_CHANNEL, response_type="ephemeral")
        deps.finish(key)
        return
    actor = deps.actor(str(user), str(channel), forms=True)
    refusal, invocation = _prepare(deps, text, actor)
    if invocation is None:
        ack(text=refusal, response_type="ephemeral")
        deps.finish(key)
        return
    ack()
    if invocation.command.immediate:
        _answer_now(deps, invocation, actor, command, client, respond, key)
        return
    if _is_drill(invocation) and deps.drills is not None:
        drills, request = deps.drills, key or f"trigger:{command.get('trigger_id', '')}"
        query = invocation.query

        def play() -> None:
            if query.kind == "history":
                post_ephemeral(client, respond, actor, drills.history(actor.channel), None)
            else:
                drills.start(request, query, actor)

        run_job(deps, key, dict(command), client, play)
        return
    if invocation.command.public and deps.whatifs is not None:
        request = key or f"trigger:{command.get('trigger_id', '')}"
        desk = deps.whatifs
        run_job(deps, key, dict(command), client, lambda: desk.start(request, invocation.text, actor))
        return
    share = text if invocation.shareable and len(text) <= MAX_BUTTON_VALUE else None

    def work() -> None:
        post_ephemeral(client, respond, actor, _response(deps.answer(invocation.text, actor)), share)

    run_job(deps, key, dict(command), client, work)


def on_share(
    deps: Deps, ack: Ack, body: Mapping[str, Any], client: WebClient, context: BoltContext, respond: Respond
) -> None:
    """The "Share in channel" button: the same command again, posted for everyone."""
    ack()
    key: str | None = context.get("delivery_key")
    text = str(body["actions"][0].get("value", ""))
    channel, user = (body.get("channel") or {}).get("id"), (body.get("user") or {}).get("id", "")
    container = body.get("container") or {}
    thread_ts = container.get("thread_ts") or (body.get("message") or {}).get("thread_ts")
    actor = deps.actor(str(user), channel)
    refusal, invocation = _prepare(deps, text, actor)
    if invocation is not None and not invocation.shareable:
        refusal, invocation = NO_SHARED_CHANGE, None

    def work() -> None:
        if invocation is None:
            client.chat_postEphemeral(channel=str(channel), user=user, text=refusal)
            return
        response = _response(deps.answer(invocation.text, actor))
        shared_by = {"type": "context", "elements": [{"type": "mrkdwn", "text": f"shared by <@{user}>"}]}
        text, blocks = fallback_text(response), blocks_for(response, actions=[shared_by])
        try:
            client.chat_postMessage(channel=str(channel), thread_ts=thread_ts, text=text, blocks=blocks)
        except SlackApiError as exc:
            if exc.response.get("error") not in NO_MEMBER_ERRORS:
                raise
            # Not a member (a private channel, a DM): the response URL can still post for everyone.
            respond(text=text, blocks=blocks, response_type="in_channel", thread_ts=thread_ts)

    run_job(deps, key, body, client, work)


def _answer_now(
    deps: Deps,
    invocation: Invocation,
    actor: Actor,
    command: Mapping[str, Any],
    client: WebClient,
    respond: Respond,
    key: str | None,
) -> None:
    """Run an immediate command right after its ack: open its form, or post its answer."""
    try:
        reply = execute(invocation, deps.services(), actor, deps.now())
        if isinstance(reply, OpenForm):
            desk = deps.tickets
            assert desk is not None, "a form is offered only where tickets are kept"
            hook = str(command.get("response_url") or "")
            view = filing_modal(
                reply.kind, desk.providers(), desk.default_provider, str(actor.channel), reply.prefill, hook
            )
            client.views_open(trigger_id=command["trigger_id"], view=view)
        else:
            post_ephemeral(client, respond, actor, reply, None)
    except Exception as exc:
        report_failure(exc, command, client, deps.deliveries, key)
    else:
        deps.finish(key)


def _is_drill(invocation: Invocation) -> bool:
    """A drill to play in a thread, or the drill history (the list is answered like any command)."""
    return invocation.command.name == DRILL_COMMAND and invocation.query.kind != "list"


def _prepare(deps: Deps, text: str, actor: Actor) -> tuple[str, Invocation | None]:
    """A refusal and None, or "" and the parsed, authorized command."""
    try:
        invocation = parse(text, deps.now())
        authorize(invocation, actor, deps.settings.channels)
    except (CommandError, Refused) as exc:
        return slack_text(explain(exc)), None
    return "", invocation


def _response(reply: Reply) -> Response:
    assert isinstance(reply, Response), "only immediate commands open forms"
    return reply


def post_ephemeral(
    client: WebClient, respond: Respond, actor: Actor, response: Response, share: str | None
) -> None:
    """Post an answer only the user sees; where the bot is not a member, through the response URL."""
    actions = [share_button(share)] if share else None
    blocks = blocks_for(response, actions=actions)
    text = fallback_text(response)
    try:
        client.chat_postEphemeral(channel=str(actor.channel), user=actor.user, text=text, blocks=blocks)
    except SlackApiError as exc:
        if exc.response.get("error") not in NO_MEMBER_ERRORS:
            raise
        respond(text=text, blocks=blocks, response_type="ephemeral")


def share_button(command_text: str) -> Block:
    """An actions block with the "Share in channel" button; its value is the command to re-run."""
    button = {
        "type": "button",
        "action_id": SHARE_ACTION,
        "text": {"type": "plain_text", "text": "Share in channel"},
        "value": command_text,
    }
    return {"type": "actions", "elements": [button]}


def run_job(
    deps: Deps, key: str | None, body: Mapping[str, Any], client: WebClient, work: Callable[[], None]
) -> None:
    """Run `work` on the job pool; done after its effect, reported (and released) if it fails."""

    def job() -> None:
        try:
            work()
        except Exception as exc:
            report_failure(exc, body, client, deps.deliveries, key)
        else:
            deps.finish(key)

    deps.jobs.submit(job)


def command_text(command: Mapping[str, Any]) -> str:
    """The command as the user typed it: `/claude-spend 7d by model`."""
    return f"{command.get('command', '')} {command.get('text') or ''}".strip()

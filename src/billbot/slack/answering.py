"""The work behind every slash command and the share button: ack first, then answer off the ack path.

`on_command` acks at once — with the message and usage line for bad input, or a polite refusal for a
non-admin's money change or a channel outside the allowlist — and otherwise acks empty and hands the
answer to the job pool, which posts it ephemeral with a "Share in channel" button. `on_share` re-runs
the command from the button's value and posts the answer in the channel (in the thread, if any).
A job marks its delivery done only after its effect; a failure goes to `report_failure`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from billbot.commands.grammar import BalanceQuery, CommandError, Query, parse_command
from billbot.responses.model import Response
from billbot.slack.blocks import Block, blocks_for, fallback_text
from billbot.slack.deps import Deps
from billbot.slack.errors import report_failure

SHARE_ACTION = "share_answer"
MAX_BUTTON_VALUE = 2000
NOT_ADMIN = (
    "Sorry, only billbot admins can change the balance records. "
    "Ask one of them, or use /claude-balance to see the balance."
)
NOT_HERE = "Sorry, billbot is not enabled in this channel. Ask an admin, or try it in one of: {channels}."
NO_MEMBER_ERRORS = ("channel_not_found", "not_in_channel")


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
    channel, user = command.get("channel_id"), command.get("user_id", "")
    refusal, query = _check(deps, text, channel, user)
    if query is None:
        ack(text=refusal, response_type="ephemeral")
        finish(deps, key)
        return
    ack()
    shareable = not isinstance(query, BalanceQuery) or query.action in ("show", "history")

    def work() -> None:
        response = respond_to(deps, query, user)
        share = text if shareable and len(text) <= MAX_BUTTON_VALUE else None
        post_ephemeral(client, respond, str(channel), user, response, share)

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
    refusal, query = _check(deps, text, channel, user)
    if query is not None and isinstance(query, BalanceQuery) and query.changes_money:
        refusal, query = "A change to the balance cannot be shared.", None

    def work() -> None:
        if query is None:
            client.chat_postEphemeral(channel=str(channel), user=user, text=refusal)
            return
        response = respond_to(deps, query, user)
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


def respond_to(deps: Deps, query: Query, user: str) -> Response:
    """The answer to a parsed command: the answers service, or the balance book for its sub-commands."""
    now = deps.now()
    if isinstance(query, BalanceQuery) and query.action != "show":
        book = deps.book
        if book is None:
            return Response(
                "Claude API balance",
                deps.answers().data.label,
                notes=(
                    "A sandbox knows its balance exactly, so there is nothing to record; change it with "
                    "/sandbox/v1/topups or /sandbox/v1/auto_reload (docs/SANDBOX.md).",
                ),
            )
        return book.history() if query.action == "history" else book.record(query, by=user, now=now)
    return deps.answers().answer(query, now)


def post_ephemeral(
    client: WebClient, respond: Respond, channel: str, user: str, response: Response, share: str | None
) -> None:
    """Post an answer only the user sees; where the bot is not a member, through the response URL."""
    actions = [share_button(share)] if share else None
    blocks = blocks_for(response, actions=actions)
    text = fallback_text(response)
    try:
        client.chat_postEphemeral(channel=channel, user=user, text=text, blocks=blocks)
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
            finish(deps, key)

    deps.jobs.submit(job)


def _check(deps: Deps, text: str, channel: str | None, user: str) -> tuple[str, Query | None]:
    """A refusal and None, or "" and the parsed query."""
    if not deps.allowed_in(channel):
        return not_here(deps), None
    try:
        query = parse_command(text, deps.now())
    except CommandError as exc:
        return f":warning: {exc}\nUsage: `{exc.usage}`", None
    if isinstance(query, BalanceQuery) and query.changes_money and not deps.settings.is_admin(user):
        return NOT_ADMIN, None
    return "", query


def not_here(deps: Deps) -> str:
    """The refusal for a channel outside the allowlist, naming the channels where billbot runs."""
    return NOT_HERE.format(channels=", ".join(f"<#{c}>" for c in sorted(deps.settings.channels)))


def command_text(command: Mapping[str, Any]) -> str:
    """The command as the user typed it: `/claude-spend 7d by model`."""
    return f"{command.get('command', '')} {command.get('text') or ''}".strip()


def finish(deps: Deps, key: str | None) -> None:
    """Mark a delivery done (its effect happened, or there was nothing to do)."""
    if key is not None:
        deps.deliveries.done(key)

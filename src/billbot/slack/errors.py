"""Failures in Slack: the sentence of `billbot.app.errors.explain`, shown to the user, logged with its ref.

Expected outcomes (bad input, a refusal, nothing recorded yet) are logged quietly and their delivery
is done; anything else is logged with its traceback under the correlation id the user sees, and its
delivery released so Slack's retry may try again. Exception text is never posted: only the sentence.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from billbot.app.errors import UserMessage, explain
from billbot.slack.dedupe import DeliveryTable

log = logging.getLogger("billbot.slack")


def slack_text(message: UserMessage) -> str:
    """The message as Slack shows it: a warning sign and the usage line for input errors."""
    if message.kind == "usage" and message.usage:
        return f":warning: {message.text}\nUsage: `{message.usage}`"
    if message.kind == "source" and message.ref:
        return f"{message.text} (ref {message.ref})"
    return message.text


def report_failure(
    error: BaseException,
    body: Mapping[str, Any],
    client: WebClient,
    deliveries: DeliveryTable | None = None,
    key: str | None = None,
) -> str | None:
    """Log the failure, release (or finish) its delivery, tell the user; the correlation id, if any."""
    message = explain(error)
    log.log(
        logging.INFO if message.expected else logging.ERROR,
        "billbot failure ref=%s kind=%s type=%s",
        message.ref,
        message.kind,
        type(error).__name__,
        exc_info=None if message.expected else error,
    )
    if deliveries is not None and key is not None:
        if message.expected:
            deliveries.done(key)  # the user got their answer: a retry must not say it twice
        else:
            deliveries.release(key)
    channel, user = _where(body)
    if channel and user:
        try:
            client.chat_postEphemeral(channel=channel, user=user, text=slack_text(message))
        except SlackApiError as exc:
            log.warning("could not tell the user about ref=%s: %s", message.ref, exc.response.get("error"))
    return message.ref


def _where(body: Mapping[str, Any]) -> tuple[str | None, str | None]:
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    return channel, user

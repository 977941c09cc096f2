"""One place that turns any failure into a short user message, with a correlation id and no secret.

Known, user-facing problems (an unknown workspace, no balance recorded yet, a failing data source:
the sentence of `billbot.admin_api.messages`, as in the terminal) get their own sentence; anything
else gets "something went wrong" and the id, and the full story goes to the log under the same id.
Exception text is never posted for unknown errors: it may carry a URL, a key or a token.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from billbot.admin_api import AdminApiError
from billbot.admin_api.messages import describe
from billbot.service import NoBalanceRecord, UnknownWorkspace
from billbot.slack.dedupe import DeliveryTable

log = logging.getLogger("billbot.slack")


def correlation_id() -> str:
    """A short id to quote in the message and find in the log."""
    return uuid.uuid4().hex[:8]


def user_message(error: BaseException, ref: str) -> str:
    """One short sentence for the user; nothing secret in it."""
    if isinstance(error, UnknownWorkspace | NoBalanceRecord):
        return str(error)
    if isinstance(error, AdminApiError):
        return f"{describe(error)} (ref {ref})"
    return f"Sorry, something went wrong (ref {ref}). An admin can find the details in billbot's log."


def report_failure(
    error: BaseException,
    body: Mapping[str, Any],
    client: WebClient,
    deliveries: DeliveryTable | None = None,
    key: str | None = None,
) -> str:
    """Log the failure under a new id, release its delivery for a retry, tell the user; the id."""
    ref = correlation_id()
    expected = isinstance(error, UnknownWorkspace | NoBalanceRecord)
    log.log(
        logging.INFO if expected else logging.ERROR,
        "billbot failure ref=%s type=%s",
        ref,
        type(error).__name__,
        exc_info=None if expected else error,
    )
    if deliveries is not None and key is not None:
        if expected:
            deliveries.done(key)  # the user got their answer: a retry must not say it twice
        else:
            deliveries.release(key)
    channel, user = _where(body)
    if channel and user:
        try:
            client.chat_postEphemeral(channel=channel, user=user, text=user_message(error, ref))
        except SlackApiError as exc:
            log.warning("could not tell the user about ref=%s: %s", ref, exc.response.get("error"))
    return ref


def _where(body: Mapping[str, Any]) -> tuple[str | None, str | None]:
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    return channel, user

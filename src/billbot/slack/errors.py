"""One place that turns any failure into a short user message, with a correlation id and no secret.

Known, user-facing problems (an unknown workspace, no balance recorded yet, a failing data source)
get their own sentence; anything else gets "something went wrong" and the id, and the full story
goes to the log under the same id. Exception text is never posted for unknown errors: it may carry
a URL, a key or a token.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Mapping
from typing import Any

import httpx
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from billbot.http_data import IncompleteReport
from billbot.service import NoBalanceRecord, UnknownWorkspace
from billbot.slack.dedupe import Deliveries

log = logging.getLogger("billbot.slack")


def correlation_id() -> str:
    """A short id to quote in the message and find in the log."""
    return uuid.uuid4().hex[:8]


def user_message(error: BaseException, ref: str) -> str:
    """One short sentence for the user; nothing secret in it."""
    if isinstance(error, UnknownWorkspace | NoBalanceRecord):
        return str(error)
    if isinstance(error, httpx.HTTPStatusError):
        status = error.response.status_code
        what = "rejected the key" if status in (401, 403) else f"answered HTTP {status}"
        return f"The billing data source {what}; try again later (ref {ref})."
    if isinstance(error, httpx.TransportError):
        return f"The billing data source cannot be reached right now; try again later (ref {ref})."
    if isinstance(error, IncompleteReport):
        return f"The billing data source sent an incomplete report; try again later (ref {ref})."
    return f"Sorry, something went wrong (ref {ref}). An admin can find the details in billbot's log."


def report_failure(
    error: BaseException,
    body: Mapping[str, Any],
    client: WebClient,
    deliveries: Deliveries | None = None,
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

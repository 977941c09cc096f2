"""A sandbox's request log, read as evidence: one request by its `request-id`, priced and with its outcome.

Anthropic has no request-log API; a sandbox has `GET /sandbox/v1/requests/{request_id}` (admin key),
which answers what the simulator decided for that request: tokens, the amount charged and the outcome.
An id the log does not know is `None` here, not an error: "not found in the request log" is evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol
from urllib.parse import quote

from billbot.admin_api.client import AdminClient
from billbot.admin_api.errors import MalformedResponse, NotFound
from billbot.core.usage import TokenTotals

REQUESTS_PATH = "/sandbox/v1/requests"


# A request is billed for the same token types the usage report counts.
RequestTokens = TokenTotals


@dataclass(frozen=True, slots=True)
class RequestRecord:
    """One request-log entry: when, which key and model, the outcome, tokens and what was charged."""

    request_id: str
    at: datetime
    model: str
    status: int
    outcome: str  # `served`, `overload`, `outage`, `credit`, `rate_limit`, …
    cost: Decimal  # USD charged in total (a duplicate charge counts twice)
    times_charged: int = 0
    tokens: RequestTokens | None = None  # None: rejected before any token was counted
    api_key_id: str | None = None
    workspace_id: str | None = None
    stream: bool = False
    interrupted: bool = False
    error: str | None = None  # the error type and message the caller got

    @property
    def unit_cost(self) -> Decimal:
        """What one charge of this request cost (the computed price, whatever the times charged)."""
        return self.cost / self.times_charged if self.times_charged > 1 else self.cost


class RequestLog(Protocol):
    """Looks requests up by id."""

    def lookup(self, request_id: str) -> RequestRecord | None:
        """The request's record, or None when the log has no such id."""
        ...


class SandboxRequestLog:
    """`RequestLog` over a sandbox's control API, through billbot's Admin API client."""

    def __init__(self, client: AdminClient) -> None:
        self.client = client

    def lookup(self, request_id: str) -> RequestRecord | None:
        """GET the request; None on 404 (other failures raise `AdminApiError`)."""
        path = f"{REQUESTS_PATH}/{quote(request_id, safe='')}"
        try:
            body = self.client.get(path)
        except NotFound:
            return None
        try:
            return parse_record(body)
        except (KeyError, TypeError, ValueError, InvalidOperation) as exc:
            raise MalformedResponse(f"GET {REQUESTS_PATH}/…", message=f"unreadable request: {exc}") from None


def parse_record(body: dict[str, Any]) -> RequestRecord:
    """A `request_view` JSON object as a `RequestRecord`."""
    usage = body.get("usage")
    error = body.get("error")
    return RequestRecord(
        request_id=str(body["request_id"]),
        at=parse_time(str(body["at"])),
        model=str(body.get("model") or ""),
        status=int(body["status"]),
        outcome=str(body["outcome"]),
        cost=Decimal(str(body["cost_usd"])),
        times_charged=int(body.get("times_charged") or 0),
        tokens=None if usage is None else _tokens(usage),
        api_key_id=body.get("api_key_id"),
        workspace_id=body.get("workspace_id"),
        stream=bool(body.get("stream")),
        interrupted=bool(body.get("interrupted")),
        error=None if not isinstance(error, dict) else f"{error.get('type')}: {error.get('message')}",
    )


def _tokens(usage: dict[str, Any]) -> RequestTokens:
    return RequestTokens(
        int(usage.get("uncached_input_tokens") or 0),
        int(usage.get("cache_creation_5m_input_tokens") or 0),
        int(usage.get("cache_creation_1h_input_tokens") or 0),
        int(usage.get("cache_read_input_tokens") or 0),
        int(usage.get("output_tokens") or 0),
        int(usage.get("web_search_requests") or 0),
    )


def parse_time(text: str) -> datetime:
    """An RFC 3339 time (`Z` or an offset) as an aware UTC datetime."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise ValueError("a time without a UTC offset")
    return moment.astimezone(UTC)

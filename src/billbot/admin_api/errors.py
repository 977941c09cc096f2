"""Typed Admin API failures: what went wrong, with status, error type, message and `request-id`.

The tree: `AdminApiError` → one class per HTTP outcome (401, 403, 404, 400, 429, 5xx/529), plus
`ConnectionFailed` (no answer), `DeadlineExceeded` (out of time across retries and pages),
`MalformedResponse` (a body that is not the documented JSON) and `IncompleteResult` (pages stopped
half-way; what arrived is kept as `partial`, never as the result). `str()` is one sentence; no class
holds a request, its headers or the key, and server messages are scrubbed of anything key-shaped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# Anything shaped like an Anthropic secret (admin or API key), in case a server echoes one back.
_KEY_SHAPED = re.compile(r"sk-ant-[A-Za-z0-9_\-]+")
_MAX_MESSAGE = 300


def scrub(text: str) -> str:
    """One line, bounded, with anything key-shaped masked: safe to show and to log."""
    one_line = " ".join(text.split())
    masked = _KEY_SHAPED.sub("sk-ant-[redacted]", one_line)
    return masked if len(masked) <= _MAX_MESSAGE else masked[: _MAX_MESSAGE - 1] + "…"


class AdminApiError(Exception):
    """Any failure talking to the Admin API; the base of the tree."""

    summary = "The Admin API request failed"

    def __init__(
        self,
        what: str,
        *,
        status: int | None = None,
        error_type: str | None = None,
        message: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self.what = what
        self.status = status
        self.error_type = error_type
        self.message = None if message is None else scrub(message)
        self.request_id = request_id
        super().__init__(self._sentence())

    def _sentence(self) -> str:
        return f"{self.summary} for {self.what}{self._details()}."

    def _details(self) -> str:
        parts = []
        if self.status is not None:
            head = " ".join(str(part) for part in (self.status, self.error_type) if part)
            parts.append(f"{head}: {self.message}" if self.message else head)
        elif self.message:
            parts.append(self.message)
        parts.append(f"request-id {self.request_id or 'none'}")
        return f" ({'; '.join(parts)})"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"


class InvalidRequest(AdminApiError):
    """400: the API refused the parameters (or a cursor from another query)."""

    summary = "The Admin API refused the request"


class AuthenticationFailed(AdminApiError):
    """401: the key is wrong, revoked or expired."""

    summary = "The Admin API rejected the key"


class PermissionDenied(AdminApiError):
    """403: the key is valid but may not do this (e.g. a workspace API key, or a missing scope)."""

    summary = "The Admin API key is not allowed to do this"


class NotFound(AdminApiError):
    """404: no such path, id or model."""

    summary = "The Admin API found nothing"


class RateLimited(AdminApiError):
    """429: too many requests (or a spend cap); `retry_after` is the server's hint in seconds."""

    summary = "The Admin API is rate limiting us"

    def __init__(
        self,
        what: str,
        *,
        status: int | None = 429,
        error_type: str | None = None,
        message: str | None = None,
        request_id: str | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.retry_after = retry_after
        super().__init__(what, status=status, error_type=error_type, message=message, request_id=request_id)


class ServerError(AdminApiError):
    """5xx or 529: Anthropic's side failed or is overloaded."""

    summary = "The Admin API failed on its side"


class ConnectionFailed(AdminApiError):
    """No HTTP answer at all: connection refused or reset, DNS, or a timeout."""

    summary = "Could not reach the Admin API"


class DeadlineExceeded(AdminApiError):
    """The overall deadline of one call (all its retries and pages) passed; `last_failure` says why."""

    summary = "Gave up waiting on the Admin API"

    def __init__(self, what: str, *, reason: str, last_failure: AdminApiError | None = None) -> None:
        self.last_failure = last_failure
        last = last_failure or AdminApiError(what)
        super().__init__(
            what, status=last.status, error_type=last.error_type, message=reason, request_id=last.request_id
        )


class MalformedResponse(AdminApiError):
    """A body that is not the documented JSON: truncated, invalid, or the wrong shape."""

    summary = "The Admin API sent a response billbot cannot read"


class IncompleteResult(AdminApiError):
    """Pagination stopped part-way; `partial` holds what arrived and is not the whole result."""

    summary = "The Admin API result is incomplete"

    def __init__(
        self, what: str, *, pages: int, partial: Sequence[object], cause: AdminApiError | None, reason: str
    ) -> None:
        self.pages = pages
        self.partial = tuple(partial)
        self.cause = cause
        self.reason = reason
        source = cause or AdminApiError(what)
        super().__init__(
            what, status=source.status, error_type=source.error_type, request_id=source.request_id
        )

    def _sentence(self) -> str:
        count = len(self.partial)
        fetched = (
            f"{self.pages} page{'s' if self.pages != 1 else ''} ({count} item{'s' if count != 1 else ''})"
        )
        return f"{self.summary} for {self.what}: it stopped after {fetched} because {self.reason}."


def for_status(status: int) -> type[AdminApiError]:
    """The exception class for an HTTP error status."""
    if status >= 500:
        return ServerError
    return _BY_STATUS.get(status, AdminApiError)


_BY_STATUS: dict[int, type[AdminApiError]] = {
    400: InvalidRequest,
    401: AuthenticationFailed,
    403: PermissionDenied,
    404: NotFound,
    429: RateLimited,
}

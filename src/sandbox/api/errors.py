"""Errors the sandbox answers with the real API's error body (`{"type":"error","error":{…},"request_id":…}`).

Handlers raise `WireError`; the app turns it into the response in one place, adding the request id.
Messages are the real API's where they are known (https://platform.claude.com/docs/en/api/errors and the
rate limits page, https://platform.claude.com/docs/en/api/rate-limits).
"""

from __future__ import annotations

from typing import Any

from sandbox.messages import ApiError

NOT_FOUND_MESSAGE = "The requested resource could not be found."
BAD_KEY_MESSAGE = "invalid x-api-key"


class WireError(Exception):
    """A client-visible API error: HTTP status, error type, message, optional details and headers."""

    def __init__(
        self,
        status: int,
        error_type: str,
        message: str,
        *,
        details: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = ApiError(error_type, message, details)
        self.headers = headers or {}

    def body(self, request_id: str) -> dict[str, Any]:
        """The JSON error body."""
        return self.error.body(request_id)


def invalid_request(message: str) -> WireError:
    """400 `invalid_request_error`: a parameter is missing, malformed or out of range."""
    return WireError(400, "invalid_request_error", message)


def not_found(message: str = NOT_FOUND_MESSAGE) -> WireError:
    """404 `not_found_error`: an unknown path, id or model."""
    return WireError(404, "not_found_error", message)


def authentication_failed(message: str = BAD_KEY_MESSAGE) -> WireError:
    """401 `authentication_error`: no key, or a key the organisation does not have."""
    return WireError(401, "authentication_error", message)


def permission_denied(message: str) -> WireError:
    """403 `permission_error`: a valid key that may not use this endpoint."""
    return WireError(403, "permission_error", message)

"""The one sentence a person sees when the Admin API fails, in the terminal and in Slack alike.

`describe` turns each typed `AdminApiError` into "what happened (status, request-id): what to do".
The request-id is what Anthropic support asks for; the key is never in it (the errors hold none, and
server messages were scrubbed of anything key-shaped when the error was made).
"""

from __future__ import annotations

from billbot.admin_api.errors import (
    AdminApiError,
    AuthenticationFailed,
    ConnectionFailed,
    DeadlineExceeded,
    IncompleteResult,
    MalformedResponse,
    PermissionDenied,
    RateLimited,
    ServerError,
)

# What the reader can do about it; most specific class first (DeadlineExceeded etc. are leaves).
_HINTS: tuple[tuple[type[AdminApiError], str], ...] = (
    (AuthenticationFailed, "check ANTHROPIC_ADMIN_KEY (an Admin API key, sk-ant-admin…)"),
    (PermissionDenied, "billbot needs an Admin API key (sk-ant-admin…) of an organisation admin"),
    (RateLimited, "try again in a minute"),
    (ServerError, "try again later"),
    (ConnectionFailed, "check ANTHROPIC_BASE_URL and the network"),
    (DeadlineExceeded, "try again later"),
    (MalformedResponse, "try again later; if it persists, report it with the request-id"),
    (IncompleteResult, "no partial answer is shown; try again"),
)


def describe(error: AdminApiError) -> str:
    """One sentence for a person, e.g. "The Admin API rejected the key (401, request-id req_…): …"."""
    hint = next((text for cls, text in _HINTS if isinstance(error, cls)), None)
    return f"{error.summary} ({_details(error)}){f': {hint}' if hint else ''}."


def _details(error: AdminApiError) -> str:
    parts: list[str] = []
    if isinstance(error, IncompleteResult):
        parts.append(f"{error.what} stopped after {error.pages} page{'s' if error.pages != 1 else ''}")
    elif isinstance(error, ConnectionFailed | DeadlineExceeded | MalformedResponse) and error.message:
        parts.append(error.message)
    elif error.status is not None and error.message and not isinstance(error, AuthenticationFailed):
        parts.append(f"{error.message}")
    if error.status is not None:
        parts.insert(0, str(error.status))
    parts.append(f"request-id {error.request_id or 'none'}")
    return ", ".join(parts)

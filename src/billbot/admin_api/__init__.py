"""billbot's Admin API client: own wire models, pagination to the end, retries, typed errors."""

from billbot.admin_api.client import AdminClient
from billbot.admin_api.errors import (
    AdminApiError,
    AuthenticationFailed,
    ConnectionFailed,
    DeadlineExceeded,
    IncompleteResult,
    InvalidRequest,
    MalformedResponse,
    NotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
)

__all__ = [
    "AdminApiError",
    "AdminClient",
    "AuthenticationFailed",
    "ConnectionFailed",
    "DeadlineExceeded",
    "IncompleteResult",
    "InvalidRequest",
    "MalformedResponse",
    "NotFound",
    "PermissionDenied",
    "RateLimited",
    "ServerError",
]

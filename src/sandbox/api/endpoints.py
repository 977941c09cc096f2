"""From a handler to an HTTP response: authentication, the request id, and the one error mapping.

Handlers are plain functions `(state, request, body) -> dict | WireResponse` that raise `WireError` for
anything a client did wrong. This module is the single place where that becomes HTTP: a JSON body or an
SSE stream, always with a `request-id` header, errors always in the real API's body with the same id.
A failure that is not a `WireError` is a sandbox bug: logged with its traceback, answered with a 500
`api_error` that says nothing more.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse

from sandbox.api.auth import presented_key
from sandbox.api.errors import WireError, authentication_failed, not_found, permission_denied
from sandbox.api.responses import WireResponse
from sandbox.api.state import SandboxState
from sandbox.api.versions import api_version

logger = logging.getLogger("sandbox.api")

Handler = Callable[[SandboxState, Request, bytes], "dict[str, Any] | WireResponse"]
Endpoint = Callable[[Request], Awaitable[Response]]
Auth = Literal["admin", "none"]

MISSING_KEY = "x-api-key header is required"
NOT_ADMIN = "This endpoint requires an Admin API key (sk-ant-admin01-…); an API key cannot use it."


def endpoint(handler: Handler, *, auth: Auth, offload: bool = True) -> Endpoint:
    """Wrap a handler: check the key, run it (off the event loop if `offload`), map its result to HTTP.

    Handlers that may take a while (a reset rebuilds a world; reports scan history) run in a thread;
    the Messages API decides in microseconds under the world's lock, so it skips the thread hop.
    """

    async def run(request: Request) -> Response:
        state: SandboxState = request.app.state.sandbox
        body = await request.body()
        try:
            if auth == "admin":
                require_admin(state, request)
                api_version(request.headers)  # an unknown anthropic-version is a 400
            if offload:
                result = await run_in_threadpool(handler, state, request, body)
            else:
                result = handler(state, request, body)
        except WireError as exc:
            return error_response(state, exc)
        return to_response(state, result)

    return run


def require_admin(state: SandboxState, request: Request) -> None:
    """401 without a known key, 403 for a Messages API key on an Admin path."""
    key = presented_key(request.headers)
    if key is None:
        raise authentication_failed(MISSING_KEY)
    org = state.world.org
    if org.is_admin_key(key):
        return
    if org.key_for_secret(key) is not None:
        raise permission_denied(NOT_ADMIN)
    raise authentication_failed()


def to_response(state: SandboxState, result: dict[str, Any] | WireResponse) -> Response:
    """A handler's result as HTTP, with a `request-id` header whatever it carried."""
    if isinstance(result, dict):
        result = WireResponse(200, result)
    headers = dict(result.headers)
    headers.setdefault("request-id", state.world.new_request_id())
    if result.events is not None:
        return StreamingResponse(
            result.events, status_code=result.status, headers=headers, media_type="text/event-stream"
        )
    return JSONResponse(result.body, status_code=result.status, headers=headers)


def error_response(state: SandboxState, error: WireError) -> Response:
    """The real API's error body, its request id repeated in the `request-id` header."""
    request_id = state.world.new_request_id()
    headers = {**error.headers, "request-id": request_id}
    return JSONResponse(error.body(request_id), status_code=error.status, headers=headers)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own 404/405 (an unknown path or method) in the API's error shape."""
    state: SandboxState = request.app.state.sandbox
    status = exc.status_code if isinstance(exc, HTTPException) else 500
    if status == 404:
        return error_response(state, not_found())
    if status == 405:
        return error_response(state, WireError(405, "invalid_request_error", "Method not allowed"))
    return error_response(state, WireError(status, "api_error", "Internal server error"))


async def unexpected_error(request: Request, exc: Exception) -> Response:
    """A sandbox bug: log it with its traceback; the client sees only a 500 `api_error`."""
    logger.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
    state: SandboxState = request.app.state.sandbox
    return error_response(state, WireError(500, "api_error", "Internal server error"))

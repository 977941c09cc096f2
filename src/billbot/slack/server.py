"""HTTP mode: the bolt app behind Starlette and uvicorn (`POST /slack/events`, `GET /healthz`).

Bolt's Starlette adapter calls the sync `App.dispatch` on the event loop, which would hold every
other request while one waits for its ack; here the same conversion helpers are used, but dispatch
runs in a worker thread, so acks from concurrent commands overlap. A body that is not what Slack
sends (a `payload=` that is not a JSON object, a truncated event) is a 400 when it is signed — a
401 when it is not — and never reaches bolt, where it would be a crash and a 500.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Sequence

import uvicorn
from slack_bolt import App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_bolt.request.internals import parse_body
from slack_sdk.signature import SignatureVerifier
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute, Route

EVENTS_PATH = "/slack/events"
log = logging.getLogger("billbot.slack")


def create_asgi(app: App, signing_secret: str, *, routes: Sequence[BaseRoute] = ()) -> Starlette:
    """The ASGI app: Slack's requests (commands, interactivity, events) on one path, and a health check.

    `routes` are served beside them (the web page's, from `billbot.runtime.http`).
    """
    verifier = SignatureVerifier(signing_secret)

    async def events(request: Request) -> Response:
        body = await request.body()
        if not _readable(body.decode("utf-8", "replace"), request.headers.get("content-type")):
            signed = verifier.is_valid_request(body, dict(request.headers))
            log.info("unreadable request body (%d bytes, signed=%s)", len(body), signed)
            return PlainTextResponse(
                "malformed request" if signed else "", status_code=400 if signed else 401
            )
        bolt_response = await run_in_threadpool(app.dispatch, to_bolt_request(request, body))
        return to_starlette_response(bolt_response)

    async def healthz(request: Request) -> Response:
        return JSONResponse({"ok": True})

    return Starlette(
        routes=[
            Route(EVENTS_PATH, events, methods=["POST"]),
            Route("/healthz", healthz, methods=["GET"]),
            *routes,
        ]
    )


def _readable(body: str, content_type: str | None) -> bool:
    """Whether bolt can read the body: a form, or JSON (in `payload=` or the body) that is an object."""
    try:
        return isinstance(parse_body(body, content_type), dict)
    except ValueError:  # JSON that does not parse (json.JSONDecodeError is a ValueError)
        return False


def uvicorn_server(asgi: Starlette, *, on_ready: Callable[[], None] | None = None) -> uvicorn.Server:
    """A uvicorn server for `asgi` (run it with `server.run(sockets=[sock])`)."""
    config = uvicorn.Config(asgi, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    if on_ready is not None:
        original_startup = server.startup

        async def startup(sockets: list[socket.socket] | None = None) -> None:
            await original_startup(sockets)
            on_ready()

        server.startup = startup  # type: ignore[method-assign]
    return server

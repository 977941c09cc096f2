"""`billbot serve` (HTTP mode) and `billbot socket` (Socket Mode): read the settings, run the Slack app.

The runtime picks the data source exactly as `billbot ask` does (no admin key → the embedded sandbox)
and stays open while the app runs. Missing Slack credentials, a port in use or a bad ticket setting
are one clear line and exit 2; a data source that cannot be opened is exit 1.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from billbot.settings import Settings

if TYPE_CHECKING:  # slack_bolt and the data sources load only when a Slack mode starts
    from billbot.runtime import Runtime

Built = TypeVar("Built")

EXIT_SOURCE, EXIT_CONFIG = 1, 2
NEEDS_CREDENTIALS = "error: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see docs/DEPLOY.md)"
NEEDS_APP_TOKEN = (
    "error: Socket Mode needs SLACK_APP_TOKEN (an xapp-… app-level token with connections:write; "
    "see docs/DEPLOY.md)"
)
log = logging.getLogger("billbot.slack")


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[
        int | None, typer.Option(min=0, max=65535, help="Port (default: $PORT, else 3000; 0 picks one).")
    ] = None,
) -> None:
    """HTTP mode: Slack requests at POST /slack/events, GET /healthz, and the web page at / (signed in)."""
    from billbot.runtime.http import http_app
    from billbot.slack.server import uvicorn_server
    from sandbox.api.serve import base_url, bind

    settings = Settings()
    chosen = settings.port if port is None else port
    try:
        sock = bind(host, chosen)
    except OSError as exc:
        typer.echo(f"error: cannot listen on {host}:{chosen}: {exc.strerror}", err=True)
        raise typer.Exit(EXIT_CONFIG) from exc
    with _built(settings, http_app) as asgi:
        url = base_url(sock)
        server = uvicorn_server(asgi, on_ready=lambda: typer.echo(f"billbot listening on {url}"))
        with contextlib.suppress(KeyboardInterrupt):
            server.run(sockets=[sock])


def socket() -> None:
    """Socket Mode (for local development): needs SLACK_APP_TOKEN (xapp-…) besides the bot token."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    from billbot.runtime.slack import slack_app

    settings = Settings()
    if settings.slack_app_token is None:
        typer.echo(NEEDS_APP_TOKEN, err=True)
        raise typer.Exit(EXIT_CONFIG)
    with _built(settings, slack_app) as app:
        handler = SocketModeHandler(app, settings.slack_app_token.get_secret_value())
        typer.echo("billbot connected in Socket Mode; Ctrl-C stops it")
        with contextlib.suppress(KeyboardInterrupt):
            handler.start()  # type: ignore[no-untyped-call]


@contextlib.contextmanager
def _built(settings: Settings, build: Callable[[Runtime], Built]) -> Iterator[Built]:
    """What `build` makes of a runtime over the settings (the Slack app, or HTTP mode's whole app)."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for chatty in ("httpx", "alembic"):  # one line per Admin API call would drown billbot's own lines
        logging.getLogger(chatty).setLevel(logging.WARNING)
    if settings.slack_bot_token is None or settings.slack_signing_secret is None:
        typer.echo(NEEDS_CREDENTIALS, err=True)
        raise typer.Exit(EXIT_CONFIG)
    from billbot.app.errors import explain
    from billbot.runtime import open_runtime

    with contextlib.ExitStack() as stack:
        try:
            runtime = stack.enter_context(open_runtime(settings, say=lambda line: typer.echo(line, err=True)))
            built = build(runtime)
        except Exception as exc:
            message = explain(exc)
            if message.kind == "fault":
                raise
            typer.echo(f"error: {message.text}", err=True)  # e.g. the key rejected, a bad BILLBOT_PROVIDER
            raise typer.Exit(EXIT_CONFIG if message.expected else EXIT_SOURCE) from None
        yield built

"""`billbot serve` (HTTP mode) and `billbot socket` (Socket Mode): the Slack app's composition root.

Settings pick the data source exactly as `billbot ask` does (no admin key → the embedded sandbox);
the source stays open while the app runs. Missing Slack credentials are one clear line, exit 2.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer

from billbot.settings import Settings

if TYPE_CHECKING:  # slack_bolt and the data sources load only when a Slack mode starts
    from slack_bolt import App

    from billbot.service import Answers
    from billbot.sources import Source

EXIT_SOURCE, EXIT_CONFIG = 1, 2
log = logging.getLogger("billbot.slack")


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[
        int | None, typer.Option(min=0, max=65535, help="Port (default: $PORT, else 3000; 0 picks one).")
    ] = None,
) -> None:
    """HTTP mode: Slack requests at POST /slack/events, a health check at GET /healthz."""
    from billbot.slack.server import create_asgi, uvicorn_server
    from sandbox.api.serve import base_url, bind

    settings = Settings()
    try:
        sock = bind(host, settings.port if port is None else port)
    except OSError as exc:
        typer.echo(f"error: cannot listen on {host}:{port}: {exc.strerror}", err=True)
        raise typer.Exit(EXIT_CONFIG) from exc
    with _app(settings) as app:
        url = base_url(sock)
        server = uvicorn_server(create_asgi(app), on_ready=lambda: typer.echo(f"billbot listening on {url}"))
        with contextlib.suppress(KeyboardInterrupt):
            server.run(sockets=[sock])


def socket() -> None:
    """Socket Mode (for local development): needs SLACK_APP_TOKEN (xapp-…) besides the bot token."""
    from slack_bolt.adapter.socket_mode import SocketModeHandler

    settings = Settings()
    if settings.slack_app_token is None:
        typer.echo("error: Socket Mode needs SLACK_APP_TOKEN (an xapp-… app-level token with "
                   "connections:write; see docs/DEPLOY.md)", err=True)  # fmt: skip
        raise typer.Exit(EXIT_CONFIG)
    with _app(settings) as app:
        handler = SocketModeHandler(app, settings.slack_app_token.get_secret_value())
        typer.echo("billbot connected in Socket Mode; Ctrl-C stops it")
        with contextlib.suppress(KeyboardInterrupt):
            handler.start()  # type: ignore[no-untyped-call]


@contextlib.contextmanager
def _app(settings: Settings) -> Iterator[App]:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for chatty in ("httpx", "alembic"):  # one line per Admin API call would drown billbot's own lines
        logging.getLogger(chatty).setLevel(logging.WARNING)
    if settings.slack_bot_token is None or settings.slack_signing_secret is None:
        typer.echo("error: set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (see docs/DEPLOY.md)", err=True)
        raise typer.Exit(EXIT_CONFIG)
    from billbot.admin_api import AdminApiError
    from billbot.admin_api.messages import describe
    from billbot.slack.app import create_app, web_client_for
    from billbot.slack.store_dedupe import shared_deliveries
    from billbot.slack.tickets.desk import Ticker
    from billbot.sources import open_source
    from billbot.ticket_store import TicketConfigError
    from billbot.ticket_wiring import open_ticket_desk
    from billbot.tickets.catalog import ProfileError

    with contextlib.ExitStack() as stack:
        try:
            source = stack.enter_context(open_source(settings, say=lambda line: typer.echo(line, err=True)))
        except AdminApiError as exc:  # e.g. ANTHROPIC_BASE_URL unreachable, or the key rejected
            typer.echo(f"error: {describe(exc)}", err=True)
            raise typer.Exit(EXIT_SOURCE) from None
        client = web_client_for(settings)
        try:
            desk = stack.enter_context(open_ticket_desk(settings, source, client))
        except (TicketConfigError, ProfileError) as exc:  # a bad BILLBOT_PROVIDER or profile file
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(EXIT_CONFIG) from None
        app = create_app(
            settings, answers_for(source), now=source.now, book=source.book, web_client=client,
            deliveries=shared_deliveries(desk.service.engine), tickets=desk,
        )  # fmt: skip
        # Reminders and the outbox: at once (what a killed process left unposted), then every minute.
        stack.callback(Ticker(desk, source.now).start().stop)
        yield app


def answers_for(source: Source) -> Answers:
    """The answers service over an opened source (see `billbot.sources.answers_for`)."""
    from billbot.sources import answers_for

    return answers_for(source)

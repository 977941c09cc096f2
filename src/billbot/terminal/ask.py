"""`billbot ask "/claude-spend mtd by model"`: one slash command answered in the terminal.

The composition root for the terminal: settings pick the data source (no admin key → the embedded
sandbox running the `demo` scenario, in-process; `ANTHROPIC_BASE_URL` → that API, a sandbox if it
says so), the answer is the same `Response` Slack would get, rendered as text. The local operator
acts as an admin. Exit codes (DESIGN.md 4.1): 0 answered, 2 a usage error (message and usage line on
stderr), 1 the data source failed (one clear line, never the key).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx

from billbot.balance_book import BalanceBook
from billbot.commands.grammar import BalanceQuery, CommandError, parse_command
from billbot.core.estimate import UsagePricer
from billbot.http_data import HttpBillingData, IncompleteReport
from billbot.responses.model import Response
from billbot.service import Answers, NoBalanceRecord, UnknownWorkspace
from billbot.settings import Settings
from billbot.store.engine import make_engine
from billbot.store.migrate import migrate
from billbot.terminal.render import render_text
from sandbox.pricing import PriceList

EMBEDDED_KEY = "sk-ant-admin01-embedded-sandbox"
ANTHROPIC_VERSION = "2023-06-01"
EXIT_OK, EXIT_SOURCE, EXIT_USAGE = 0, 1, 2


@dataclass
class Source:
    """An opened data source: where answers come from, what time it is there, and the balance book."""

    data: HttpBillingData
    now: Callable[[], datetime]
    book: BalanceBook | None


@contextmanager
def open_source(settings: Settings, *, say: Callable[[str], None]) -> Iterator[Source]:
    """The data source the settings name, closed afterwards."""
    if settings.uses_embedded_sandbox:
        from sandbox.api.app import create_app
        from sandbox.api.state import SandboxState, ServeOptions
        from sandbox.api.transport import SandboxTransport

        say("no ANTHROPIC_ADMIN_KEY: answering from the embedded sandbox (simulated org 'demo')…")
        state = SandboxState(ServeOptions(scenario="demo", speed=1.0, admin_keys=(EMBEDDED_KEY,)))
        transport = SandboxTransport(create_app(state))
        with _client("http://sandbox", EMBEDDED_KEY, transport) as client:
            yield Source(
                HttpBillingData(client, "sandbox · simulated org 'demo'", sandbox=True), state.clock.now, None
            )
        return
    assert settings.anthropic_admin_key is not None
    key = settings.anthropic_admin_key.get_secret_value()
    with _client(settings.anthropic_base_url, key, None) as client:
        sandbox = _is_sandbox(client)
        label = f"sandbox at {settings.anthropic_base_url} · simulated" if sandbox else "Anthropic Admin API"
        data = HttpBillingData(client, label, sandbox=sandbox)
        book = None if sandbox else _book(settings, client, label)
        yield Source(data, lambda: datetime.now(UTC), book)


def ask(text: str, settings: Settings, *, out: Callable[[str], None], err: Callable[[str], None]) -> int:
    """Answer one command; the exit code."""
    try:
        with open_source(settings, say=err) as source:
            now = source.now()
            query = parse_command(text, now)
            response = _respond(source, query, now)
    except CommandError as exc:
        err(f"error: {exc}\nusage: {exc.usage}")
        return EXIT_USAGE
    except UnknownWorkspace as exc:
        err(f"error: {exc}")
        return EXIT_USAGE
    except NoBalanceRecord as exc:
        out(str(exc))
        return EXIT_OK
    except (httpx.HTTPError, IncompleteReport) as exc:
        err(f"error: the data source failed: {_describe(exc)}")
        return EXIT_SOURCE
    out(render_text(response))
    return EXIT_OK


def _respond(source: Source, query: object, now: datetime) -> Response:
    book = source.book
    answers = Answers(
        source.data,
        UsagePricer(PriceList.default()),
        balance_record=(lambda: book.current(now)) if book is not None else (lambda: None),
    )
    if isinstance(query, BalanceQuery) and query.action != "show":
        if source.book is None:
            return Response(
                "Claude API balance", source.data.label,
                notes=("A sandbox knows its balance exactly; change it with /sandbox/v1/topups or "
                       "/sandbox/v1/auto_reload (docs/SANDBOX.md).",),
            )  # fmt: skip
        if query.action == "history":
            return source.book.history()
        return source.book.record(query, by="terminal", now=now)
    return answers.answer(query, now)  # type: ignore[arg-type]


def _client(base_url: str, key: str, transport: httpx.BaseTransport | None) -> httpx.Client:
    headers = {"x-api-key": key, "anthropic-version": ANTHROPIC_VERSION}
    return httpx.Client(base_url=base_url, headers=headers, transport=transport, timeout=30)


def _is_sandbox(client: httpx.Client) -> bool:
    # Only a sandbox has /sandbox/v1/state; Anthropic answers 404 (no balance API exists there).
    return client.get("/sandbox/v1/state").status_code == 200


def _book(settings: Settings, client: httpx.Client, label: str) -> BalanceBook:
    url = settings.database_url.get_secret_value() if settings.database_url else None
    engine = make_engine(url)
    migrate(engine)
    org = client.get("/v1/organizations/me").raise_for_status().json()["id"]
    return BalanceBook(engine, org, label)


def _describe(exc: Exception) -> str:
    if isinstance(exc, httpx.HTTPStatusError):
        response = exc.response
        request_id = response.headers.get("request-id", "none")
        if response.status_code == 401:
            return f"the Admin API rejected the key (401, request-id {request_id})"
        return f"HTTP {response.status_code} from {response.request.url.path} (request-id {request_id})"
    if isinstance(exc, httpx.TransportError):
        return f"cannot reach the API ({type(exc).__name__})"
    return str(exc)


def main_ask(text: str) -> int:
    """Entry used by the CLI: real settings, real stdout/stderr."""
    return ask(text, Settings(), out=print, err=lambda line: print(line, file=sys.stderr))

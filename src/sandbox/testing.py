"""`AnthropicSandbox`: a simulated Anthropic organisation for a test, with the official SDK wired to it.

What the pytest plugin's `anthropic_sandbox` fixture gives (see docs/TESTING-WITH-THE-SANDBOX.md):
`.client` / `.async_client` (`anthropic.Anthropic` / `AsyncAnthropic` with the organisation's API key,
in-process: no socket), `.admin_client` (the Admin key, for `/v1/organizations/…`), `.base_url` (a
loopback server started on first use, for any other HTTP client), and control helpers that go through
the same code as the `/sandbox/v1/` control API: `.topup`, `.set_balance`, `.faults`, `.advance`,
`.requests`, `.balance`, `.now`.

Rules:
- The clock is frozen (speed 0): time moves only through `.advance(seconds)`, so a test that waits out a
  `retry-after` advances the clock instead of sleeping, and every run is the same.
- The SDK clients are made with `max_retries=0`: the SDK's own retries would sleep real time against a
  frozen clock. `make_client(max_retries=…)` gives one with the SDK's retry policy.
- Money is exact: amounts are `Decimal`, `int` or decimal strings; a float is refused.
- `anthropic` (and its `httpx2`) is imported only when a client is asked for.
"""

from __future__ import annotations

import asyncio
import json
import threading
from datetime import datetime
from decimal import Decimal
from importlib import resources
from typing import TYPE_CHECKING, Any

from sandbox.api.admin.analytics.options import AnalyticsOptions
from sandbox.api.app import create_app
from sandbox.api.control import handlers as control
from sandbox.api.control.view import request_view
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.clock import to_datetime
from sandbox.world import World

if TYPE_CHECKING:
    import anthropic
    import uvicorn

ADMIN_KEY = "sk-ant-admin01-pytest-sandbox-admin"
API_KEY = "sk-ant-api03-pytest-sandbox-key"
IN_PROCESS_URL = "http://anthropic-sandbox.invalid"
Amount = Decimal | int | str


def funded_scenario() -> str:
    """The path of the default world: a fresh organisation with $100 of credit on the Build tier."""
    return str(resources.files("sandbox.data").joinpath("funded.toml"))


class AnthropicSandbox:
    """One simulated organisation, its SDK clients and its control helpers; `close()` when done."""

    def __init__(
        self,
        scenario: str | None = None,
        *,
        seed: int = 0,
        end: datetime | None = None,
        analytics: AnalyticsOptions | None = None,
    ) -> None:
        options = ServeOptions(
            scenario or funded_scenario(),
            seed,
            0.0,
            (ADMIN_KEY,),
            (API_KEY,),
            end=end,
            analytics=analytics or AnalyticsOptions(),
        )
        self.state = SandboxState(options)
        self.app = create_app(self.state)
        self.api_key, self.admin_key = API_KEY, ADMIN_KEY
        self._clients: dict[str, Any] = {}
        self._opened: list[Any] = []
        self._async_opened: list[Any] = []
        self._server: tuple[uvicorn.Server, threading.Thread, str] | None = None

    # -- clients ------------------------------------------------------------------------------------

    @property
    def client(self) -> anthropic.Anthropic:
        """The official SDK with the organisation's API key, in-process (`max_retries=0`)."""
        if "client" not in self._clients:
            self._clients["client"] = self.make_client()
        return self._clients["client"]  # type: ignore[no-any-return]

    @property
    def admin_client(self) -> anthropic.Anthropic:
        """The official SDK with the Admin key (`client.organization…`, `client.beta.organization…`)."""
        if "admin" not in self._clients:
            self._clients["admin"] = self.make_client(admin=True)
        return self._clients["admin"]  # type: ignore[no-any-return]

    @property
    def async_client(self) -> anthropic.AsyncAnthropic:
        """`anthropic.AsyncAnthropic` with the organisation's API key, in-process (`max_retries=0`)."""
        if "async" not in self._clients:
            self._clients["async"] = self.make_async_client()
        return self._clients["async"]  # type: ignore[no-any-return]

    def make_client(self, *, admin: bool = False, **options: Any) -> anthropic.Anthropic:
        """A new in-process `anthropic.Anthropic`; `options` go to it (e.g. `max_retries=2`)."""
        import anthropic
        import httpx2

        from sandbox.api.sdk_transport import SdkTransport

        http = httpx2.Client(transport=SdkTransport(self.app), base_url=IN_PROCESS_URL)
        settings: dict[str, Any] = {"max_retries": 0, **options}
        key = self.admin_key if admin else self.api_key
        client = anthropic.Anthropic(api_key=key, base_url=IN_PROCESS_URL, http_client=http, **settings)
        self._opened.append(client)
        return client

    def make_async_client(self, *, admin: bool = False, **options: Any) -> anthropic.AsyncAnthropic:
        """A new in-process `anthropic.AsyncAnthropic`; `options` go to it."""
        import anthropic
        import httpx2

        from sandbox.api.sdk_transport import sdk_async_transport

        http = httpx2.AsyncClient(transport=sdk_async_transport(self.app), base_url=IN_PROCESS_URL)
        settings: dict[str, Any] = {"max_retries": 0, **options}
        key = self.admin_key if admin else self.api_key
        client = anthropic.AsyncAnthropic(api_key=key, base_url=IN_PROCESS_URL, http_client=http, **settings)
        self._async_opened.append(client)
        return client

    @property
    def base_url(self) -> str:
        """A loopback HTTP server for this sandbox (started on first use, stopped by `close`)."""
        if self._server is None:
            self._server = _start_server(self.state)
        return self._server[2]

    # -- control ------------------------------------------------------------------------------------

    @property
    def world(self) -> World:
        """The engine itself, for what the helpers do not cover."""
        return self.state.world

    @property
    def balance(self) -> Decimal:
        """The credit balance now (negative: a debt)."""
        return self.world.ledger.balance(self.world.clock.now_ns())

    @property
    def now(self) -> datetime:
        """The sandbox's time (UTC)."""
        return to_datetime(self.world.clock.now_ns())

    def topup(self, amount: Amount) -> Decimal:
        """Buy `amount` of credit, as a purchase in the Console; the new balance."""
        control.top_up(self.state, _body(amount=_money(amount)))
        return self.balance

    def set_balance(self, amount: Amount) -> Decimal:
        """Make the balance exactly `amount` (0: the next request is refused for credit)."""
        control.set_balance(self.state, _body(amount=_money(amount)))
        return self.balance

    def faults(self, **changes: Any) -> dict[str, Any]:
        """Change faults as `PUT /sandbox/v1/faults` does, e.g. `overload_minutes=10`, `on_hold=True`."""
        view: dict[str, Any] = control.set_faults(self.state, _body(**changes))["faults"]
        return view

    def advance(self, seconds: float) -> datetime:
        """Move the sandbox's clock forward; the new time."""
        control.move_clock(self.state, _body(advance_seconds=seconds))
        return self.now

    def requests(self, *, limit: int | None = None, outcome: str | None = None) -> list[dict[str, Any]]:
        """The request log, newest first, in the shape of `GET /sandbox/v1/requests`.

        `outcome` keeps one kind ("served", "credit", "rate_limit", "overload", …); `limit` the newest n.
        """
        chosen = []
        with self.world.lock:
            log = list(self.world.records.requests)
        for entry in reversed(log):
            if outcome is None or entry.reason == outcome:
                chosen.append(request_view(entry))
                if limit is not None and len(chosen) == limit:
                    break
        return chosen

    def close(self) -> None:
        """Close every client made and stop the loopback server."""
        for client in self._opened:
            client.close()
        if self._async_opened:
            asyncio.run(_close_all(self._async_opened))
        self._opened, self._async_opened, self._clients = [], [], {}
        if self._server is not None:
            server, thread, _ = self._server
            server.should_exit = True
            thread.join(timeout=30)
            self._server = None

    def __enter__(self) -> AnthropicSandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


async def _close_all(clients: list[Any]) -> None:
    for client in clients:
        await client.close()


def _money(amount: Amount) -> str:
    if isinstance(amount, float):
        raise TypeError(f"give money as a Decimal, int or string, not the float {amount!r}")
    return str(Decimal(amount))


def _body(**fields: Any) -> bytes:
    return json.dumps(fields).encode()


def _start_server(state: SandboxState) -> tuple[uvicorn.Server, threading.Thread, str]:
    import uvicorn

    from sandbox.api.serve import base_url, bind

    sock = bind("127.0.0.1", 0)
    config = uvicorn.Config(create_app(state), log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    started = threading.Event()
    while not started.wait(0.01):  # bounded by uvicorn's start-up; no request is served before it
        if server.started or not thread.is_alive():
            started.set()
    if not server.started:
        raise RuntimeError("the sandbox's loopback server did not start")
    return server, thread, base_url(sock)

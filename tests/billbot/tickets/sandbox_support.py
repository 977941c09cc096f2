"""The embedded sandbox for the evidence and packet tests, built as `open_data_source(None)` builds it.

The same `demo` scenario, app and in-process transport, but on a frozen clock (speed 0) so times are
exact, and with a Messages API key so a test can make requests and then look them up as evidence.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from billbot.admin_api.billing import AdminBillingData
from billbot.admin_api.client import AdminClient
from billbot.admin_api.source import DataSource
from billbot.runtime.embedded import EMBEDDED_URL
from sandbox.api.app import create_app
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.api.transport import SandboxTransport

ADMIN_KEY = "sk-ant-admin01-evidence-test-admin-key"
API_KEY = "sk-ant-api03-evidence-test-api-key"


@dataclass
class Sandbox:
    """A served demo sandbox: its state, an opened `DataSource`, raw clients and a `BillingData`."""

    state: SandboxState
    transport: SandboxTransport
    source: DataSource
    admin: httpx.Client
    data: AdminBillingData

    def send(self, text: str = "Hello", **fields: Any) -> str:
        """POST /v1/messages with the API key; the `request-id` it was given."""
        body = {"model": "claude-sonnet-5", "max_tokens": 40, "messages": [{"role": "user", "content": text}]}
        headers = {"x-api-key": API_KEY, "anthropic-version": "2023-06-01"}
        response = self.admin.post("/v1/messages", headers=headers, json=body | fields)
        assert response.status_code == 200, response.text
        return response.headers["request-id"]

    def balance(self) -> Decimal:
        """The simulated balance now."""
        return Decimal(self.admin.get("/sandbox/v1/state").json()["balance"]["balance_usd"])

    def control(self, method: str, path: str, body: dict[str, Any]) -> dict[str, Any]:
        """Call the control API (faults, clock, auto-reload)."""
        response = self.admin.request(method, f"/sandbox/v1{path}", json=body)
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    def now(self) -> datetime:
        """The sandbox clock."""
        return self.state.clock.now()


def billing_data(source: DataSource) -> AdminBillingData:
    """The `BillingData` the tests read through: billbot's own, over the source's Admin API client."""
    return AdminBillingData(source)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    """One demo sandbox per test module (building it takes seconds); auto-reload off, clock +10 min."""
    state = SandboxState(ServeOptions(scenario="demo", speed=0, admin_keys=(ADMIN_KEY,), api_keys=(API_KEY,)))
    transport = SandboxTransport(create_app(state))
    label = f"sandbox · simulated org '{state.world.org.name}'"
    client = AdminClient(EMBEDDED_URL, SecretStr(ADMIN_KEY), transport=transport)
    source = DataSource("embedded_sandbox", label, client, state.clock.now)
    admin = httpx.Client(transport=transport, base_url=EMBEDDED_URL, headers={"x-api-key": ADMIN_KEY})
    box = Sandbox(state, transport, source, admin, billing_data(source))
    # A reload would add money between two balance reads; the charged amount must be the whole drop.
    box.control("PUT", "/auto_reload", {"enabled": False})
    box.control("POST", "/clock", {"advance_seconds": 600})
    yield box
    # Both clients share the transport; closing it once stops its event loop (no sockets to free).
    transport.close()

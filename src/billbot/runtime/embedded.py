"""The embedded sandbox: the `demo` scenario served in-process, its history ending now (or at a pin).

Without an admin key billbot answers from a simulated organisation. Its 90 days of history are
generated up to the current time (deterministic for a given end instant and seed) and its clock then
runs with the wall clock, so a newcomer sees today's data and actions taken now line up with it.
`BILLBOT_DEMO_AT` pins the end for tests and reproducible demos.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime

from pydantic import SecretStr

from billbot.admin_api.client import AdminClient
from billbot.admin_api.source import DataSource

EMBEDDED_URL = "http://sandbox"
DEMO = "demo"


def embedded_source(
    end: datetime | None, *, wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> DataSource:
    """The demo sandbox whose history ends at `end` (None: the wall clock's now), read over its wire."""
    # Imported here only, so a bot on the real Admin API never loads the simulator.
    from sandbox.api.app import create_app
    from sandbox.api.state import SandboxState, ServeOptions
    from sandbox.api.transport import SandboxTransport

    key = f"sk-ant-admin01-embedded-{secrets.token_urlsafe(24)}"
    options = ServeOptions(scenario=DEMO, speed=1.0, admin_keys=(key,), end=end or wall_clock())
    state = SandboxState(options)
    client = AdminClient(EMBEDDED_URL, SecretStr(key), transport=SandboxTransport(create_app(state)))
    label = f"sandbox · simulated org '{state.world.org.name}'"
    return DataSource("embedded_sandbox", label, client, state.clock.now)

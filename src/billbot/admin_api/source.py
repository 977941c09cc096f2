"""Where answers come from (DESIGN.md 4.2): the embedded sandbox, a sandbox at a URL, or Anthropic.

- no admin key → the embedded sandbox (built by `billbot.runtime.embedded`, served in-process);
- a base URL whose `/sandbox/v1/state` answers → a remote sandbox (`billbot sandbox serve`);
- otherwise → the Anthropic Admin API (at the official URL no probe is sent).

The `DataSource` names itself for honest labels and says what time it is there: a sandbox's clock is
simulated and need not be today, so answers must be computed against it, not the wall clock.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
from pydantic import SecretStr

from billbot.admin_api.client import AdminClient
from billbot.admin_api.errors import MalformedResponse, NotFound
from billbot.admin_api.sandbox_state import SANDBOX_STATE

ANTHROPIC_API_URL = "https://api.anthropic.com"
SourceKind = Literal["embedded_sandbox", "remote_sandbox", "anthropic"]


@dataclass(frozen=True, slots=True)
class DataSource:
    """An opened source: its kind, a label for answers, the client, and the time there."""

    kind: SourceKind
    label: str
    client: AdminClient
    now: Callable[[], datetime]

    @property
    def simulated(self) -> bool:
        """Whether the numbers are a sandbox's (never to be shown as real)."""
        return self.kind != "anthropic"

    def close(self) -> None:
        """Close the client and its transport."""
        self.client.close()

    def __enter__(self) -> DataSource:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def open_data_source(
    admin_key: SecretStr,
    base_url: str = ANTHROPIC_API_URL,
    *,
    transport: httpx.BaseTransport | None = None,
    wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    monotonic: Callable[[], float] = time.monotonic,
) -> DataSource:
    """The source a key names; close it after use. Probing a custom URL may raise `AdminApiError`."""
    client = AdminClient(base_url, admin_key, transport=transport)
    if base_url.rstrip("/") == ANTHROPIC_API_URL:
        return DataSource("anthropic", "Anthropic Admin API", client, wall_clock)
    try:
        state = client.get(SANDBOX_STATE)
        now = _remote_clock(state, monotonic)
    except NotFound:
        # Not a sandbox (Anthropic has no such path): a proxy or gateway in front of the real API.
        return DataSource("anthropic", f"Anthropic Admin API via {safe_url(base_url)}", client, wall_clock)
    except BaseException:
        client.close()
        raise
    name = str((state.get("organization") or {}).get("name") or "unnamed")
    label = f"sandbox at {safe_url(base_url)} · simulated org '{name}'"
    return DataSource("remote_sandbox", label, client, now)


def _remote_clock(state: dict[str, Any], monotonic: Callable[[], float]) -> Callable[[], datetime]:
    """The remote sandbox's time, read once from its state and run forward at its speed."""
    clock = state.get("clock")
    try:
        if not isinstance(clock, dict):
            raise TypeError("no clock object")
        then = datetime.fromisoformat(str(clock["now"]).replace("Z", "+00:00"))
        speed = float(clock.get("speed") or 0.0)
        if then.tzinfo is None:
            raise ValueError("naive time")
    except (KeyError, TypeError, ValueError):
        raise MalformedResponse(
            f"GET {SANDBOX_STATE}", message="no readable clock.now and clock.speed"
        ) from None
    then, started = then.astimezone(UTC), monotonic()
    return lambda: then + timedelta(seconds=(monotonic() - started) * speed)


def safe_url(url: str) -> str:
    """The URL without credentials, path or query: safe for a label."""
    parts = urlsplit(url)
    host = parts.hostname or url
    return f"{parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}"

"""An in-process sandbox for billbot's Admin API client, and virtual time so retries never really sleep."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from billbot.admin_api import AdminClient
from sandbox.api.app import create_app
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.api.transport import SandboxTransport
from tests.billbot.admin_api.faults import FakeTime, Fault, FaultTransport

ADMIN_KEY = "sk-ant-admin01-billbot-client-test"

# Two days of history in a small organisation: enough for every listing and report, quick to build.
SMALL = """
name = "small"
start = 2026-11-10T00:00:00Z
days = 2
[org]
name = "small"
tier = "Build"
users = 3
workspaces = [{ name = "Apps", keys = 2 }, { name = "Batch", keys = 1 }]
[credits]
lots = [{ amount = "500", day = -30 }]
[traffic]
requests_per_day = 300
models = [
  { model = "claude-sonnet-5", share = 0.7, input_median = 3000, output_median = 300 },
  { model = "claude-haiku-4-5", share = 0.3, input_median = 1000, output_median = 100 },
]
"""


@pytest.fixture(scope="session")
def small_scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small scenario as a file."""
    path = tmp_path_factory.mktemp("admin_api") / "small.toml"
    path.write_text(SMALL)
    return path


@pytest.fixture
def state(small_scenario: Path) -> SandboxState:
    """A fresh sandbox on a frozen clock that accepts ADMIN_KEY."""
    return SandboxState(ServeOptions(str(small_scenario), seed=1, speed=0, admin_keys=(ADMIN_KEY,)))


@pytest.fixture
def sandbox(state: SandboxState) -> Iterator[httpx.BaseTransport]:
    """The sandbox app behind an in-process httpx transport."""
    transport = SandboxTransport(create_app(state))
    yield transport
    transport.close()


@pytest.fixture
def fake_time() -> FakeTime:
    """A monotonic clock that moves only when slept on (or when a fault says time passed)."""
    return FakeTime()


MakeClient = Callable[..., tuple[AdminClient, FaultTransport]]


@pytest.fixture
def make_client(sandbox: httpx.BaseTransport, fake_time: FakeTime) -> Iterator[MakeClient]:
    """`make_client(script, key=…, **options)`: a client on virtual time, faults first, then the sandbox."""
    clients: list[AdminClient] = []

    def make(
        script: Iterable[Fault | None] = (), *, key: str = ADMIN_KEY, **options: Any
    ) -> tuple[AdminClient, FaultTransport]:
        faults = FaultTransport(sandbox, script)
        options = {"sleep": fake_time.sleep, "clock": fake_time.clock, "rng": random.Random(7), **options}
        admin = AdminClient("http://sandbox", SecretStr(key), transport=faults, **options)
        clients.append(admin)
        return admin, faults

    yield make
    for admin in clients:
        admin.close()


@pytest.fixture
def client(make_client: MakeClient) -> AdminClient:
    """billbot's Admin API client talking to the in-process sandbox."""
    return make_client()[0]

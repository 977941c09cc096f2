"""A sandbox served in-process on a frozen clock, with a request log, and billbot's source opened on it.

The source is opened as `billbot ask` opens it (settings with a key and a base URL, a SQLite store
file), with the sandbox as its transport: a remote sandbox as far as billbot can tell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest

from billbot.runtime import Runtime, open_runtime
from billbot.settings import Settings
from sandbox.api.app import create_app
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.api.transport import SandboxTransport

ADMIN_KEY = "sk-ant-admin01-cache-test"
API_KEY = "sk-ant-api03-cache-test"
SCENARIO = """
name = "cached"
start = 2026-10-05T00:00:00Z
days = 40
[org]
name = "cached"
tier = "Build"
workspaces = [{ name = "Apps", keys = 2 }, { name = "Batch", keys = 1 }]
[credits]
lots = [{ amount = "5000", day = -30 }]
[traffic]
requests_per_day = 120
models = [
  { model = "claude-sonnet-5", share = 0.7, input_median = 3000, output_median = 300 },
  { model = "claude-haiku-4-5", share = 0.3, input_median = 1000, output_median = 100 },
]
"""


class RequestLog(httpx.BaseTransport):
    """Passes every request to the sandbox and remembers its path; `fail` makes chosen ones fail."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.paths: list[str] = []
        self.fail: Callable[[httpx.Request], bool] = lambda _: False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.paths.append(request.url.path)
        if self.fail(request):
            body = {"type": "error", "error": {"type": "invalid_request_error", "message": "no"}}
            return httpx.Response(400, json=body, headers={"request-id": "req_fault"})
        return self.inner.handle_request(request)

    def count(self, word: str) -> int:
        """Requests so far whose path holds `word`."""
        return sum(word in path for path in self.paths)


@pytest.fixture(scope="session")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cache") / "cached.toml"
    path.write_text(SCENARIO)
    return path


@pytest.fixture
def state(scenario: Path) -> SandboxState:
    return SandboxState(
        ServeOptions(str(scenario), seed=3, speed=0, admin_keys=(ADMIN_KEY,), api_keys=(API_KEY,))
    )


@pytest.fixture
def wire(state: SandboxState) -> Iterator[RequestLog]:
    transport = SandboxTransport(create_app(state))
    yield RequestLog(transport)
    transport.close()


OpenSource = Callable[[], AbstractContextManager[Runtime]]


@pytest.fixture
def opened(wire: RequestLog, tmp_path: Path) -> OpenSource:
    """`with opened() as source:` billbot's source over the sandbox, on one store file per test."""
    settings = Settings(
        ANTHROPIC_ADMIN_KEY=ADMIN_KEY,
        ANTHROPIC_BASE_URL="http://sandbox.test",
        DATABASE_URL=f"sqlite:///{tmp_path / 'billbot.db'}",
    )
    return lambda: open_runtime(settings, say=lambda _: None, transport=wire)

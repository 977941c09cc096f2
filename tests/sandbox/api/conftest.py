"""A served sandbox for API tests: in-process through the httpx transport, and `billbot sandbox serve`."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from sandbox.api.app import create_app
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.api.transport import SandboxTransport

ADMIN_KEY = "sk-ant-admin01-test-admin-key"
API_KEY = "sk-ant-api03-test-api-key"

# A query as a list of (name, value) pairs. A list is invariant, so a plain `list[tuple[str, str]]` is not
# one of the query types httpx accepts: the pairs carry httpx's own value type (str, int, float, bool, None).
Query = list[tuple[str, str | int | float | bool | None]]

# Two days of history in a small organisation: enough for reports, quick to build.
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
    """The small scenario as a file, as an operator would pass it to `--scenario`."""
    path = tmp_path_factory.mktemp("scenarios") / "small.toml"
    path.write_text(SMALL)
    return path


@pytest.fixture
def state(small_scenario: Path) -> SandboxState:
    """A fresh sandbox on a frozen clock (time moves only through /sandbox/v1/clock)."""
    return SandboxState(
        ServeOptions(str(small_scenario), seed=1, speed=0, admin_keys=(ADMIN_KEY,), api_keys=(API_KEY,))
    )


@pytest.fixture
def admin(state: SandboxState) -> Iterator[httpx.Client]:
    """An httpx client with the admin key, talking to the app in-process."""
    transport = SandboxTransport(create_app(state))
    with httpx.Client(
        transport=transport, base_url="http://sandbox", headers={"x-api-key": ADMIN_KEY}
    ) as client:
        yield client


@dataclass
class Served:
    """A `billbot sandbox serve` process and what it printed on start-up."""

    process: subprocess.Popen[str]
    base_url: str
    banner: list[str]


def start_server(*args: str) -> Served:
    """Start `python -m billbot sandbox serve --port 0 …` and wait for its base URL (bounded)."""
    command = [sys.executable, "-m", "billbot", "sandbox", "serve", "--port", "0", *args]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    banner: list[str] = []
    for _ in range(500):  # the banner is one line per key: a few dozen
        line = process.stdout.readline()
        if not line:
            break
        banner.append(line.rstrip("\n"))
        if line.startswith("Ctrl-C stops"):
            break
    if not banner or not banner[0].startswith("sandbox listening on "):
        process.kill()
        raise AssertionError(
            f"server did not start: {banner} {process.stderr.read() if process.stderr else ''}"
        )
    return Served(process, banner[0].split()[3], banner)


def stop_server(served: Served) -> tuple[int, str]:
    """Interrupt the server as Ctrl-C would; its exit code and stderr."""
    served.process.send_signal(2)  # SIGINT
    _, stderr = served.process.communicate(timeout=30)
    return served.process.returncode, stderr

"""`billbot sandbox serve` on 127.0.0.1, driven by the official `anthropic` SDK and plain HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import anthropic
import httpx
import pytest

from tests.sandbox.api.conftest import ADMIN_KEY, API_KEY, Served, start_server, stop_server


@pytest.fixture(scope="module")
def served(small_scenario: Path) -> Iterator[Served]:
    server = start_server(
        "--scenario", str(small_scenario), "--seed", "1", "--speed", "0",
        "--admin-key", ADMIN_KEY, "--api-key", API_KEY,
    )  # fmt: skip
    yield server
    if server.process.poll() is None:
        stop_server(server)


@pytest.fixture
def admin_sdk(served: Served) -> anthropic.Anthropic:
    return anthropic.Anthropic(api_key=ADMIN_KEY, base_url=served.base_url, max_retries=0)


def test_banner_prints_the_base_url_and_every_key_it_accepts(served: Served) -> None:
    assert served.base_url.startswith("http://127.0.0.1:")
    assert f"admin key  {ADMIN_KEY}" in served.banner
    api_lines = [line for line in served.banner if line.startswith("api key")]
    assert len(api_lines) == 5 and any(API_KEY in line for line in api_lines)


def test_sdk_reads_the_organisation_and_pages_through_keys(admin_sdk: anthropic.Anthropic) -> None:
    organization = admin_sdk.organization.retrieve()
    assert organization.name == "small"
    keys = list(admin_sdk.organization.api_keys.list(limit=2))  # the SDK follows after_id itself
    assert len({key.id for key in keys}) == 5
    workspaces = [w.name for w in admin_sdk.organization.workspaces.list()]
    assert workspaces == ["Apps", "Batch"]
    users = list(admin_sdk.organization.users.list())
    assert len(users) == 3


def test_sdk_lists_rate_limits(admin_sdk: anthropic.Anthropic) -> None:
    groups = list(admin_sdk.organization.rate_limits.list())
    assert groups and all(group.limits for group in groups)


def test_sdk_raises_typed_errors_with_the_request_id(served: Served) -> None:
    client = anthropic.Anthropic(api_key="sk-ant-admin01-wrong", base_url=served.base_url, max_retries=0)
    with pytest.raises(anthropic.AuthenticationError) as caught:
        client.organization.retrieve()
    assert caught.value.request_id is not None and caught.value.request_id.startswith("req_")


def test_plain_http_with_x_api_key(served: Served) -> None:
    response = httpx.get(f"{served.base_url}/sandbox/v1/state", headers={"x-api-key": ADMIN_KEY}, timeout=10)
    assert response.status_code == 200 and response.json()["simulated"] is True


def test_interrupt_stops_the_server_cleanly(small_scenario: Path) -> None:
    server = start_server("--scenario", str(small_scenario), "--speed", "0")
    code, stderr = stop_server(server)
    assert code == 0
    assert "sandbox stopped" in stderr and "Traceback" not in stderr


def test_a_busy_port_is_a_usage_error(served: Served) -> None:
    port = served.base_url.rsplit(":", 1)[1]
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "billbot", "sandbox", "serve", "--port", port],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr

"""The source the settings name: the embedded sandbox, a sandbox at a URL, or Anthropic, labelled honestly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr

from billbot.admin_api import MalformedResponse
from billbot.admin_api.source import open_data_source
from billbot.runtime.source import open_source
from billbot.settings import Settings
from tests.billbot.admin_api.conftest import ADMIN_KEY
from tests.billbot.admin_api.faults import FaultTransport, body

WALL = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_no_admin_key_means_the_embedded_demo_sandbox() -> None:
    with open_source(Settings(ANTHROPIC_ADMIN_KEY=None), say=lambda _: None) as source:
        assert (source.kind, source.label, source.simulated) == (
            "embedded_sandbox",
            "sandbox · simulated org 'demo'",
            True,
        )
        assert source.client.me().name == "demo"
        assert source.client.get("/sandbox/v1/state")["simulated"] is True
        now = source.now()
        assert now.tzinfo is not None and now.utcoffset() == timedelta(0)


def test_a_base_url_serving_a_sandbox_is_a_remote_sandbox_labelled_without_credentials(
    sandbox: httpx.BaseTransport,
) -> None:
    wire = FaultTransport(sandbox)
    url = "http://operator:hunter2@sandbox.local:8765/"
    with open_data_source(SecretStr(ADMIN_KEY), url, transport=wire, wall_clock=lambda: WALL) as source:
        assert (source.kind, source.simulated) == ("remote_sandbox", True)
        assert source.label == "sandbox at http://sandbox.local:8765 · simulated org 'small'"
        assert source.now() == datetime(
            2026, 11, 12, tzinfo=UTC
        )  # the sandbox's frozen clock, not the wall's
        assert source.client.me().name == "small"
    assert wire.paths[0] == "/sandbox/v1/state"


def test_the_remote_sandbox_clock_runs_at_its_speed(sandbox: httpx.BaseTransport) -> None:
    state = {"organization": {"name": "fast"}, "clock": {"now": "2026-11-12T00:00:00Z", "speed": 60.0}}
    ticks = iter([100.0, 100.0, 101.5])
    wire = FaultTransport(sandbox, [body(state)])
    source = open_data_source(
        SecretStr(ADMIN_KEY), "http://sb", transport=wire, monotonic=lambda: next(ticks)
    )
    with source:
        assert source.now() == datetime(2026, 11, 12, tzinfo=UTC)
        assert source.now() == datetime(2026, 11, 12, 0, 1, 30, tzinfo=UTC)


def test_the_official_url_is_anthropic_without_a_probe(sandbox: httpx.BaseTransport) -> None:
    wire = FaultTransport(sandbox)
    with open_data_source(
        SecretStr(ADMIN_KEY), "https://api.anthropic.com/", transport=wire, wall_clock=lambda: WALL
    ) as source:
        assert (source.kind, source.label, source.simulated) == ("anthropic", "Anthropic Admin API", False)
        assert source.now() == WALL
    assert wire.requests == []


def test_a_custom_url_without_sandbox_state_is_anthropic_behind_a_proxy() -> None:
    def proxy(request: httpx.Request) -> httpx.Response:
        body = {"type": "error", "error": {"type": "not_found_error", "message": "Not found"}}
        return httpx.Response(404, json=body, headers={"request-id": "req_proxy"})

    transport = httpx.MockTransport(proxy)
    with open_data_source(
        SecretStr(ADMIN_KEY), "https://gateway.example/anthropic", transport=transport
    ) as source:
        assert (source.kind, source.label) == ("anthropic", "Anthropic Admin API via https://gateway.example")


def test_a_sandbox_state_without_a_clock_is_malformed(sandbox: httpx.BaseTransport) -> None:
    wire = FaultTransport(sandbox, [body({"organization": {"name": "x"}})])
    with pytest.raises(MalformedResponse, match="clock"):
        open_data_source(SecretStr(ADMIN_KEY), "http://sb", transport=wire)


@pytest.mark.parametrize(
    ("state", "where"),
    [
        ({"balance": {"balance_usd": "1", "lots": []}}, "auto_reload"),
        (
            {
                "balance": {"balance_usd": "1", "lots": [{"kind": "purchased", "original_usd": "5",
                            "remaining_usd": "5", "granted_at": "2026-11-01T00:00:00"}]},
                "auto_reload": {"enabled": False}, "tier": {"name": "Build"},
                "spend_limits": {"organization": {}},
            },
            "balance.lots.0.granted_at",
        ),
    ],
    ids=["a part missing", "a naive time"],
)  # fmt: skip
def test_an_unexpected_sandbox_state_is_a_malformed_response(state: dict[str, object], where: str) -> None:
    from billbot.admin_api.sandbox_state import parse_state

    with pytest.raises(MalformedResponse, match=where):
        parse_state(state)

"""The official `anthropic` SDK against `billbot sandbox serve` on 127.0.0.1: what a team's code will see."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import anthropic
import httpx
import pytest
from anthropic.types import MessageParam

from tests.sandbox.api.conftest import ADMIN_KEY, API_KEY, Served, start_server, stop_server

CREDIT_TOO_LOW = (
    "Your credit balance is too low to access the Anthropic API. "
    "Please go to Plans & Billing to upgrade or purchase credits."
)
HELLO: list[MessageParam] = [{"role": "user", "content": "Summarise our spend for the week."}]


def serve(*args: str) -> Iterator[Served]:
    server = start_server(*args, "--speed", "0", "--admin-key", ADMIN_KEY, "--api-key", API_KEY)
    yield server
    if server.process.poll() is None:
        stop_server(server)


@pytest.fixture(scope="module")
def small(small_scenario: Path) -> Iterator[Served]:
    yield from serve("--scenario", str(small_scenario), "--seed", "1")


_OPEN: list[anthropic.Anthropic] = []


@pytest.fixture(autouse=True)
def close_clients() -> Iterator[None]:
    """Close every SDK client a test opened (an open connection is a ResourceWarning, an error here)."""
    yield
    while _OPEN:
        _OPEN.pop().close()


def client(served: Served, **options: object) -> anthropic.Anthropic:
    sdk = anthropic.Anthropic(api_key=API_KEY, base_url=served.base_url, **options)  # type: ignore[arg-type]
    _OPEN.append(sdk)
    return sdk


def control(
    served: Served, method: str, path: str, body: dict[str, object] | None = None
) -> dict[str, object]:
    response = httpx.request(
        method, f"{served.base_url}/sandbox/v1{path}", json=body, headers={"x-api-key": ADMIN_KEY}, timeout=30
    )
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


def test_a_plain_message_is_served_billed_and_logged(small: Served) -> None:
    before = Decimal(str(control(small, "GET", "/state")["balance"]["balance_usd"]))  # type: ignore[index]
    message = client(small, max_retries=0).messages.create(
        model="claude-sonnet-5", max_tokens=300, messages=HELLO
    )
    assert message.type == "message" and message.content[0].type == "text"
    assert message.usage.input_tokens > 0 and message.usage.output_tokens > 0
    after = Decimal(str(control(small, "GET", "/state")["balance"]["balance_usd"]))  # type: ignore[index]
    request_id = message._request_id
    assert request_id is not None
    logged = control(small, "GET", f"/requests/{request_id}")
    assert logged["status"] == 200 and Decimal(str(logged["cost_usd"])) == before - after > 0


def test_a_streamed_message_arrives_as_the_documented_events(small: Served) -> None:
    sdk = client(small, max_retries=0)
    with sdk.messages.stream(model="claude-sonnet-5", max_tokens=300, messages=HELLO) as stream:
        text = "".join(stream.text_stream)
        final = stream.get_final_message()
    assert text and final.content[0].text == text  # type: ignore[union-attr]
    assert final.usage.output_tokens > 0 and final.stop_reason in ("end_turn", "max_tokens")


def test_bearer_auth_and_an_unknown_model(small: Served) -> None:
    sdk = client(small, max_retries=0)  # SDK 2.x sends Authorization: Bearer
    with pytest.raises(anthropic.NotFoundError) as caught:
        sdk.messages.create(model="claude-nope-9", max_tokens=10, messages=HELLO)
    assert caught.value.body["error"]["message"] == "model: claude-nope-9"  # type: ignore[index]


def test_credit_exhaustion_is_a_bad_request_with_the_exact_message() -> None:
    for served in serve("--scenario", "credit-exhaustion"):
        with pytest.raises(anthropic.BadRequestError) as caught:
            client(served, max_retries=0).messages.create(
                model="claude-sonnet-5", max_tokens=50, messages=HELLO
            )
        assert caught.value.body["error"]["message"] == CREDIT_TOO_LOW  # type: ignore[index]
        assert caught.value.request_id == caught.value.response.headers["request-id"]


def test_rate_limit_storm_gives_rate_limit_errors_with_retry_after() -> None:
    for served in serve("--scenario", "rate-limit-storm"):
        sdk = client(served, max_retries=0)
        with pytest.raises(anthropic.RateLimitError) as caught:
            for _ in range(10):  # 5 requests per minute on a frozen clock: the sixth at the latest fails
                sdk.messages.create(model="claude-sonnet-5", max_tokens=50, messages=HELLO)
        retry_after = caught.value.response.headers["retry-after"]
        assert int(retry_after) > 0
        assert "requests per minute" in caught.value.body["error"]["message"]  # type: ignore[index]


def test_an_overload_window_is_an_overloaded_error_and_the_sdk_retries_it(small: Served) -> None:
    control(small, "PUT", "/faults", {"overload_minutes": 5})
    try:
        with pytest.raises(anthropic.OverloadedError) as caught:
            client(small, max_retries=2).messages.create(
                model="claude-sonnet-5", max_tokens=50, messages=HELLO
            )
        # The SDK tried three times (two retries), each refused as overloaded and logged.
        recent = control(small, "GET", "/requests?limit=3")["data"]
        assert isinstance(recent, list)
        assert [entry["outcome"] for entry in recent] == ["overload"] * 3
        assert recent[0]["request_id"] == caught.value.request_id
    finally:
        control(small, "POST", "/clock", {"advance_seconds": 600})  # past the window


def test_count_tokens_is_free(small: Served) -> None:
    before = control(small, "GET", "/state")["balance"]
    counted = client(small).messages.count_tokens(model="claude-sonnet-5", messages=HELLO)
    assert counted.input_tokens > 0
    assert control(small, "GET", "/state")["balance"] == before

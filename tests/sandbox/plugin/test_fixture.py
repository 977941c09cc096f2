"""The `anthropic_sandbox` fixture and marker used the way a team's test suite would use them."""

from __future__ import annotations

from decimal import Decimal

import anthropic
import httpx
import pytest
from anthropic.types import MessageParam

from sandbox.testing import AnthropicSandbox

HI: list[MessageParam] = [{"role": "user", "content": "Summarise yesterday's incidents."}]
CREDIT_TOO_LOW = "Your credit balance is too low to access the Anthropic API."


def ask(client: anthropic.Anthropic, model: str = "claude-sonnet-5") -> anthropic.types.Message:
    return client.messages.create(model=model, max_tokens=200, messages=HI)


def test_the_default_world_is_a_fresh_funded_organisation(anthropic_sandbox: AnthropicSandbox) -> None:
    assert anthropic_sandbox.balance == Decimal(100) and anthropic_sandbox.requests() == []
    message = ask(anthropic_sandbox.client)
    assert message.content and message.usage.output_tokens > 0
    (logged,) = anthropic_sandbox.requests()
    assert logged["request_id"] == message._request_id and logged["outcome"] == "served"
    assert anthropic_sandbox.balance == Decimal(100) - Decimal(logged["cost_usd"])


def test_the_admin_client_reads_the_organisation(anthropic_sandbox: AnthropicSandbox) -> None:
    organisation = anthropic_sandbox.admin_client.organization.retrieve()
    assert organisation.name == "pytest"
    keys = anthropic_sandbox.admin_client.organization.api_keys.list()
    assert len(list(keys)) == 2  # the scenario's key and the fixture's own


def test_base_url_serves_any_http_client_on_loopback(anthropic_sandbox: AnthropicSandbox) -> None:
    url = anthropic_sandbox.base_url
    assert url.startswith("http://127.0.0.1:") and anthropic_sandbox.base_url == url  # started once
    body = {"model": "claude-sonnet-5", "max_tokens": 20, "messages": [{"role": "user", "content": "hi"}]}
    response = httpx.post(f"{url}/v1/messages", json=body, headers={"x-api-key": anthropic_sandbox.api_key})
    assert response.status_code == 200 and response.json()["type"] == "message"


@pytest.mark.anthropic_sandbox(scenario="credit-exhaustion", seed=1)
def test_stop_on_the_credit_error(anthropic_sandbox: AnthropicSandbox) -> None:
    served, before = 0, len(anthropic_sandbox.requests(outcome="served"))  # the scenario's history too
    with pytest.raises(anthropic.BadRequestError) as refused:
        for _ in range(1_000):
            ask(anthropic_sandbox.client)
            served += 1
    assert refused.value.status_code == 400 and CREDIT_TOO_LOW in refused.value.message
    assert refused.value.error_code is None  # no code: the body's message is what tells it apart
    assert anthropic_sandbox.balance <= 0
    assert len(anthropic_sandbox.requests(outcome="served")) == before + served


def test_set_balance_and_topup_move_the_money(anthropic_sandbox: AnthropicSandbox) -> None:
    assert anthropic_sandbox.set_balance("0") == Decimal(0)
    with pytest.raises(anthropic.BadRequestError, match="credit balance is too low"):
        ask(anthropic_sandbox.client)
    assert anthropic_sandbox.topup(5) == Decimal(5)
    assert ask(anthropic_sandbox.client).content
    assert anthropic_sandbox.set_balance(Decimal("-1.50")) == Decimal("-1.50")  # a debt
    with pytest.raises(TypeError, match="float"):
        anthropic_sandbox.topup(1.5)  # type: ignore[arg-type]


@pytest.mark.anthropic_sandbox(scenario="rate-limit-storm")
def test_retry_on_429_honouring_retry_after(anthropic_sandbox: AnthropicSandbox) -> None:
    waited: list[int] = []
    answers, before = 0, len(anthropic_sandbox.requests(outcome="rate_limit"))
    while answers < 12:  # more than the storm's 5 requests a minute allow
        try:
            ask(anthropic_sandbox.client)
            answers += 1
        except anthropic.RateLimitError as limited:
            wait = int(limited.response.headers["retry-after"])
            assert wait > 0 and "rate limit of 5 requests per minute" in limited.message
            waited.append(wait)
            anthropic_sandbox.advance(wait)  # the frozen clock moves instead of the test sleeping
    limited_now = len(anthropic_sandbox.requests(outcome="rate_limit")) - before
    assert waited and limited_now == len(waited)


def test_an_overload_window_is_529_until_it_passes(anthropic_sandbox: AnthropicSandbox) -> None:
    anthropic_sandbox.faults(overload_minutes=10)
    with pytest.raises(anthropic.InternalServerError) as overloaded:
        ask(anthropic_sandbox.client)
    assert overloaded.value.status_code == 529
    anthropic_sandbox.advance(600)
    assert ask(anthropic_sandbox.client).content


def test_a_stream_interrupted_by_an_overload_is_billed_for_what_arrived(
    anthropic_sandbox: AnthropicSandbox,
) -> None:
    anthropic_sandbox.faults(interrupt_probability=1.0)
    received: list[str] = []
    with (
        pytest.raises(anthropic.APIStatusError) as broken,
        anthropic_sandbox.client.messages.stream(
            model="claude-sonnet-5", max_tokens=500, messages=HI
        ) as stream,
    ):
        received.extend(stream.text_stream)
    assert "Overloaded" in str(broken.value)
    (logged,) = anthropic_sandbox.requests()
    assert logged["interrupted"] and logged["status"] == 200
    assert logged["usage"]["output_tokens"] * 4 >= len("".join(received))  # billed what was produced
    assert Decimal(logged["cost_usd"]) > 0


def test_the_sdk_retry_policy_is_available_on_request(anthropic_sandbox: AnthropicSandbox) -> None:
    anthropic_sandbox.faults(outage_minutes=1)
    patient = anthropic_sandbox.make_client(max_retries=1)
    with pytest.raises(anthropic.InternalServerError):
        patient.with_options(timeout=5).messages.create(model="claude-sonnet-5", max_tokens=20, messages=HI)
    assert len(anthropic_sandbox.requests(outcome="outage")) == 2  # the SDK tried twice


@pytest.mark.anthropic_sandbox("demo", seed=3)
def test_a_scenario_may_be_given_positionally_and_brings_its_history(
    anthropic_sandbox: AnthropicSandbox,
) -> None:
    assert len(anthropic_sandbox.world.records.requests) > 10_000
    assert anthropic_sandbox.admin_client.organization.retrieve().name == "demo"

"""The official `anthropic` SDK as a client of the handlers: it must read every answer they give.

SDK 1.x and later speak `httpx2`, so the handlers are reached through an `httpx2.MockTransport`.
"""

from __future__ import annotations

import anthropic
import httpx2
import pytest
from anthropic.types import MessageParam

from sandbox.api.messages.handler import count_tokens, create_message
from sandbox.build import Simulation
from tests.sandbox.api.messages.support import CREDIT
from tests.sandbox.conftest import WorldFactory

HI: list[MessageParam] = [{"role": "user", "content": "Hi"}]


def sdk_client(sim: Simulation, key: int = 1) -> anthropic.Anthropic:
    """An SDK client whose HTTP goes straight to the handlers (the app's routing, in miniature)."""

    def route(request: httpx2.Request) -> httpx2.Response:
        handler = count_tokens if request.url.path.endswith("/count_tokens") else create_message
        answer = handler(sim.world, request.headers, request.read())
        if answer.events is not None:
            return httpx2.Response(answer.status, headers=answer.headers, content=answer.events)
        return httpx2.Response(answer.status, headers=answer.headers, json=answer.body)

    http = httpx2.Client(transport=httpx2.MockTransport(route))
    return anthropic.Anthropic(
        api_key=sim.secrets[key], base_url="http://sandbox", http_client=http, max_retries=0
    )


def test_sdk_reads_a_message_a_stream_and_a_token_count(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    client = sdk_client(sim)
    message = client.messages.create(model="claude-sonnet-5", max_tokens=2048, messages=HI)
    assert message.usage.input_tokens == 8 and message.usage.service_tier == "standard"
    assert message.stop_reason == "end_turn"
    with client.messages.stream(model="claude-sonnet-5", max_tokens=2048, messages=HI) as stream:
        final = stream.get_final_message()
    texts = [[block.text for block in m.content if block.type == "text"] for m in (final, message)]
    assert texts[0] == texts[1] and final.usage.output_tokens == message.usage.output_tokens
    counted = client.messages.count_tokens(model="claude-sonnet-5", messages=HI)
    assert counted.input_tokens == 8


def test_sdk_raises_the_documented_errors(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT, replace={'tier = "Scale"': 'tier = "Start"'})
    client = sdk_client(sim)
    with pytest.raises(anthropic.NotFoundError) as missing:
        client.messages.create(model="claude-nope", max_tokens=10, messages=HI)
    assert missing.value.request_id == missing.value.response.headers["request-id"]
    with pytest.raises(anthropic.BadRequestError, match="max_tokens: Input should be greater"):
        client.messages.create(model="claude-sonnet-5", max_tokens=0, messages=HI)
    cap = sim.world.tiers.tier("Start").monthly_cap
    assert cap is not None  # Start is a capped tier
    sim.world.spend.record(None, cap, sim.clock.now_ns())
    with pytest.raises(anthropic.RateLimitError) as capped:
        client.messages.create(model="claude-sonnet-5", max_tokens=10, messages=HI)
    assert capped.value.body["error"]["details"] == {"error_code": "enforced_spend_limit_reached"}  # type: ignore[index]


def test_sdk_sees_an_interrupted_stream_as_an_error(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT + "\n[faults]\ninterrupt_probability = 1.0\n")
    client = sdk_client(sim)
    with pytest.raises(anthropic.APIStatusError, match="Overloaded"):  # noqa: SIM117
        with client.messages.stream(model="claude-sonnet-5", max_tokens=2048, messages=HI) as stream:
            stream.until_done()

"""Bad request bodies get a 400 naming the problem, never a crash; count_tokens uses the same rule."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any, get_args

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.api.messages.handler import count_tokens
from sandbox.api.messages.request import InferenceGeo
from sandbox.pricing import INFERENCE_GEOS
from tests.sandbox.api.messages.support import CREDIT, balance, body, send
from tests.sandbox.conftest import WorldFactory

USER = {"role": "user", "content": "Hi"}
DEEP: Any = []
for _ in range(150):
    DEEP = [DEEP]
CASES: list[tuple[dict[str, Any] | bytes, str]] = [
    (b"{oops", "The request body is not valid JSON: Expecting property name enclosed in double quotes"),
    (b"[1, 2]", "The request body must be a JSON object."),
    (body(tools=[{"type": "web_search_20250305", "name": "w", "x": DEEP}]), "The request body is nested"),
    (b"[" * 5000 + b"]" * 5000, "The request body is nested more than 100 levels deep."),
    (b'{"model": NaN}', "The request body is not valid JSON: NaN is not a valid JSON value"),
    (b'{"model": "\\udc00"}', "The request body is not valid JSON: surrogates not allowed"),
    ({"model": "claude-sonnet-5", "messages": [USER]}, "max_tokens: Field required"),
    (body(max_tokens=0), "max_tokens: Input should be greater than or equal to 1"),
    (body() | {"max_tokens": "10"}, "max_tokens: Input should be a valid integer"),  # a string, on purpose
    (body(max_tokens=200_000), "max_tokens: 200000 > 128000, which is the maximum allowed number"),
    (body(messages=[]), "messages: at least one message is required"),
    (body(messages=[{"role": "assistant", "content": "Hi"}]), 'messages: first message must use the "user"'),
    (body(messages=[{"role": "robot", "content": "Hi"}]), "messages.0.role: Input should be 'user',"),
    (body(messages=[{"role": "user", "content": ""}]), "messages.0: all messages must have non-empty"),
    (body(messages=[{"role": "user", "content": [{"type": "text", "text": ""}]}]), "messages: text content"),
    (body(messages=[{"role": "user", "content": 5}]), "messages.0.content: Input should be a valid list"),
    (
        body(messages=[{"role": "user", "content": [{"type": "gif"}]}]),
        "messages.0.content.0: Input tag 'gif'",
    ),
    (body(model=None), "model: Input should be a valid string"),
    (body(stream="yes"), "stream: Input should be a valid boolean"),
    (body(temperature=1.5), "temperature: Input should be less than or equal to 1"),
    (body(service_tier="priority"), "service_tier: Input should be 'auto' or 'standard_only'"),
    (body(inference_geo="eu"), "inference_geo: Input should be 'global' or 'us'"),
    (body(response_format={}), "response_format: Extra inputs are not permitted"),
    (body(tools=[{"name": "lookup"}]), "tools.0.custom.input_schema: Field required"),
    (body(tool_choice={"type": "tool"}), "tool_choice.tool.name: Field required"),
    (body(thinking={"type": "enabled", "budget_tokens": 10}), "thinking.enabled.budget_tokens: Input should"),
    (
        body(max_tokens=2000, thinking={"type": "enabled", "budget_tokens": 4000}),
        "max_tokens must be greater than thinking.budget_tokens",
    ),
    (body(speed="fast"), "speed: fast mode is not available for model claude-sonnet-5"),
    (body(system=[{"type": "text", "text": ""}]), "system: text content blocks must be non-empty"),
]


@pytest.mark.parametrize(("payload", "message"), CASES)
def test_invalid_body_is_400_with_a_specific_message(
    make_sim: WorldFactory, payload: dict[str, Any] | bytes, message: str
) -> None:
    sim = make_sim(CREDIT)
    response = send(sim, payload)
    assert response.status == 400 and response.body is not None
    assert response.body["error"]["type"] == "invalid_request_error"
    assert response.body["error"]["message"].startswith(message)
    assert response.body["request_id"] == response.headers["request-id"]
    assert balance(sim) == Decimal(100)


def test_oversized_body_is_413(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    response = send(sim, b" " * (32 * 1024 * 1024 + 1))
    assert response.status == 413 and response.body is not None
    assert response.body["error"]["type"] == "request_too_large"


def test_every_documented_block_and_tool_is_accepted(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    image = {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": "iVBO"}}
    turns = [
        {"role": "user", "content": [{"type": "text", "text": "Look"}, image]},
        {"role": "assistant", "content": [{"type": "tool_use", "id": "t1", "name": "lookup", "input": {}}]},
        {"role": "user", "content": [{"type": "tool_result", "tool_use_id": "t1", "content": "42"}]},
    ]
    tool = {"name": "lookup", "description": "Find", "input_schema": {"type": "object"}}
    response = send(
        sim,
        body(
            messages=turns,
            system="Be brief.",
            tools=[tool],
            tool_choice={"type": "auto"},
            metadata={"user_id": "u-1"},
            stop_sequences=["END"],
            temperature=0.5,
            top_k=5,
            service_tier="auto",
        ),
    )
    assert response.status == 200, response.body


def test_inference_geo_literal_follows_the_price_list() -> None:
    assert set(get_args(InferenceGeo)) == set(INFERENCE_GEOS)


def counted(sim: Any, payload: dict[str, Any]) -> Any:
    headers = httpx.Headers({"x-api-key": sim.secrets[1]})
    return count_tokens(sim.world, headers, json.dumps(payload).encode())


def test_count_tokens_matches_the_messages_input_and_costs_nothing(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    prompt = {"model": "claude-sonnet-5", "messages": [USER], "system": "s" * 5000}
    response = counted(sim, prompt)
    assert response.status == 200 and response.body == {"input_tokens": 4 + 3 + 1250 + 3 + 1}
    assert response.headers["request-id"].startswith("req_")
    assert balance(sim) == Decimal(100)
    served = send(sim, body(messages=[USER], system="s" * 5000))
    assert served.body is not None and served.body["usage"]["input_tokens"] == response.body["input_tokens"]


def test_count_tokens_refusals(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    unknown = counted(sim, {"model": "claude-nope", "messages": [USER]})
    assert unknown.status == 404 and unknown.body is not None
    assert unknown.body["error"]["message"] == "model: claude-nope"
    extra = counted(sim, {"model": "claude-sonnet-5", "messages": [USER], "max_tokens": 5})
    assert extra.status == 400 and extra.body is not None
    assert extra.body["error"]["message"] == "max_tokens: Extra inputs are not permitted"
    anonymous = count_tokens(sim.world, httpx.Headers({}), b"{}")
    assert anonymous.status == 401


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)
FIELDS = st.sampled_from(
    ["model", "max_tokens", "messages", "system", "tools", "tool_choice", "thinking", "stream",
     "cache_control", "metadata", "temperature", "service_tier", "inference_geo", "stop_sequences"]
)  # fmt: skip
BLOCK_TYPES = st.sampled_from(["text", "image", "tool_use", "tool_result", "document", "thinking", "x"])
BLOCK = st.fixed_dictionaries({"type": BLOCK_TYPES}, optional={"text": JSON, "cache_control": JSON})
MUTATED = st.builds(
    lambda base, changes, blocks: base | changes | {"messages": [{"role": "user", "content": blocks}]},
    st.just(body()),
    st.dictionaries(FIELDS, JSON, max_size=3),
    st.lists(BLOCK, max_size=3),
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.one_of(JSON.map(lambda v: json.dumps(v).encode()), MUTATED, st.binary(max_size=64)))
def test_any_body_gets_an_api_answer_never_a_crash(make_sim: WorldFactory, payload: Any) -> None:
    sim = make_sim(CREDIT)
    response = send(sim, payload)
    assert 200 <= response.status < 500
    if response.body is not None and response.status >= 400:
        assert response.body["request_id"] == response.headers["request-id"]
    if response.events is not None:
        assert b"".join(response.events).endswith(b"\n\n")

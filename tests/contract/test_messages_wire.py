"""The Messages wire shapes the sandbox emits match the documented examples (anthropic-api.md §2).

The documented JSON is copied verbatim from `reference/anthropic-api.md`; the sandbox's own wire
models forbid unknown keys, so a documented example that loads proves the sandbox knows every key,
and the sandbox's own output must then have the same keys and types.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx

from sandbox.api.messages.handler import create_message
from sandbox.api.messages.wire import ErrorBody, Message, Usage
from sandbox.build import Simulation, build_simulation
from sandbox.scenario import parse_scenario
from tests.sandbox.conftest import BASE

# §2.6
DOC_USAGE = json.loads("""
{"input_tokens": 105, "cache_creation_input_tokens": 7345, "cache_read_input_tokens": 7123,
 "cache_creation": {"ephemeral_5m_input_tokens": 7345, "ephemeral_1h_input_tokens": 0},
 "output_tokens": 6039, "server_tool_use": {"web_search_requests": 1},
 "service_tier": "standard", "inference_geo": "global"}
""")
# §2.1, §2.3 (a) and (c)
DOC_ERRORS = [
    json.loads("""{"type": "error",
     "error": {"type": "not_found_error", "message": "The requested resource could not be found."},
     "request_id": "req_011CSHoEeqs5C35K2UUqR7Fy"}"""),
    json.loads(
        '{"type":"error","error":{"type":"invalid_request_error","message":"Your credit balance is too low '
        'to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits."},'
        '"request_id":"req_011CZv3Gh3BsUXoDLwCn4j5q"}'
    ),
    json.loads(
        '{"type":"error","error":{"type":"rate_limit_error","message":"You have reached your API usage '
        "limits: your organization has crossed its monthly API usage threshold, set based on your "
        "organization's API tier. You will regain access on 2026-09-01 at 00:00 UTC.\","
        '"details":{"error_code":"enforced_spend_limit_reached"}},"request_id":"req_018EeWyXxfu5pfWkrYcMdjWG"}'
    ),
]
CREDIT = '\n[credits]\nlots = [{ amount = "0.001", day = -1 }]\n'


def simulation(replace: dict[str, str] | None = None) -> Simulation:
    """The test scenario with a little credit (a few requests' worth)."""
    text = BASE + CREDIT
    for old, new in (replace or {}).items():
        text = text.replace(old, new)
    return build_simulation(parse_scenario(text, source="contract.toml"), seed=0)


def shape(value: Any) -> Any:
    """Keys and JSON types of a value, recursively (numbers and strings reduced to their type)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(item) for item in value]
    return type(value).__name__


def post(sim: Simulation, **fields: Any) -> Any:
    """POST /v1/messages with a one-turn body, `fields` overriding it."""
    payload = {"model": "claude-sonnet-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}]}
    headers = httpx.Headers({"x-api-key": sim.secrets[1]})
    return create_message(sim.world, headers, json.dumps(payload | fields).encode())


def test_documented_usage_loads_into_the_sandbox_model_and_matches_its_output() -> None:
    Usage.model_validate(DOC_USAGE)
    sim = simulation()
    search = {"type": "web_search_20250305", "name": "web_search"}
    response = post(sim, tools=[search])
    assert response.status == 200
    Message.model_validate(response.body)
    assert shape(response.body["usage"]) == shape(DOC_USAGE)


def test_documented_error_bodies_match_the_sandbox_errors() -> None:
    for documented in DOC_ERRORS:
        ErrorBody.model_validate(documented)
    sim = simulation(replace={'tier = "Scale"': 'tier = "Start"'})
    not_found = post(sim, model="claude-nope")
    assert shape(not_found.body) == shape(DOC_ERRORS[0])
    while (answer := post(sim)).status == 200:  # spend the small credit
        pass
    assert shape(answer.body) == shape(DOC_ERRORS[1])
    assert answer.body["error"]["message"] == DOC_ERRORS[1]["error"]["message"]
    sim.world.top_up("contract-topup", Decimal(100))
    sim.world.spend.record(None, Decimal(500), sim.clock.now_ns())
    capped = post(sim)
    assert capped.status == 429
    assert shape(capped.body) == shape(DOC_ERRORS[2])
    assert capped.body["error"]["details"] == DOC_ERRORS[2]["error"]["details"]
    for body in (not_found.body, answer.body, capped.body):
        ErrorBody.model_validate(body)

"""POST /v1/messages through the handler: the Message, its usage and bill, and every refusal."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx

from sandbox.api.messages.handler import create_message
from sandbox.clock import NS_PER_HOUR
from sandbox.world import CREDIT_TOO_LOW
from tests.sandbox.api.messages.support import CREDIT, MTOK, balance, body, send
from tests.sandbox.conftest import WorldFactory

# "Hello": 4 (request) + 3 (message) + ceil(5 / 4) = 9 input tokens; max_tokens 10 caps the answer.
HELLO_COST = (9 * Decimal(2) + 10 * Decimal(10)) / MTOK


def test_served_message_reports_exact_usage_and_is_billed_its_price(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    response = send(sim, body())
    assert response.status == 200 and response.body is not None
    assert response.body["usage"] == {
        "input_tokens": 9,
        "cache_creation_input_tokens": 0,
        "cache_read_input_tokens": 0,
        "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 0},
        "output_tokens": 10,
        "service_tier": "standard",
        "inference_geo": "global",
    }
    assert response.body["stop_reason"] == "max_tokens" and response.body["stop_sequence"] is None
    [block] = response.body["content"]
    assert block["type"] == "text" and len(block["text"]) == 40  # four characters a token
    assert block["text"].startswith("[sandbox] simulated response")
    assert balance(sim) == Decimal(100) - HELLO_COST
    assert response.headers["request-id"] == "req_" + response.body["id"].removeprefix("msg_")
    assert response.headers["anthropic-organization-id"] == sim.world.org.id
    assert "anthropic-ratelimit-requests-remaining" in response.headers


def test_an_answer_within_max_tokens_ends_its_turn_and_is_four_characters_a_token(
    make_sim: WorldFactory,
) -> None:
    sim = make_sim(CREDIT)
    response = send(sim, body(max_tokens=4096))
    assert response.body is not None
    output = response.body["usage"]["output_tokens"]
    assert 16 <= output <= 1024 and response.body["stop_reason"] == "end_turn"
    assert len(response.body["content"][0]["text"]) == 4 * output
    again = send(sim, body(max_tokens=4096)).body
    assert again is not None and again["id"] != response.body["id"]
    assert (again["content"], again["usage"]) == (response.body["content"], response.body["usage"])


def test_bearer_and_x_api_key_are_both_accepted(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    assert send(sim, body()).status == 200
    assert send(sim, body(), bearer=True).status == 200


def test_missing_key_is_401_with_the_request_id_in_body_and_header(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    response = create_message(sim.world, httpx.Headers({}), b"{}")
    assert response.status == 401 and response.body is not None
    assert response.body["error"] == {
        "type": "authentication_error",
        "message": "x-api-key header is required",
    }
    assert response.body["request_id"] == response.headers["request-id"]


def test_unknown_key_is_401_even_with_a_bad_body(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    headers = httpx.Headers({"x-api-key": "sk-ant-api03-nope"})
    for raw in (json.dumps(body()).encode(), b"{not json"):
        response = create_message(sim.world, headers, raw)
        assert response.status == 401 and response.body is not None
        assert response.body["error"]["message"] == "invalid x-api-key"


def test_unknown_model_is_404_naming_it(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    response = send(sim, body(model="claude-nope"))
    assert response.status == 404 and response.body is not None
    assert response.body["error"] == {"type": "not_found_error", "message": "model: claude-nope"}
    assert balance(sim) == Decimal(100)


def test_an_alias_is_served_as_its_model_and_priced_so(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    response = send(sim, body(model="claude-haiku-4-5"))
    assert response.status == 200 and response.body is not None
    assert response.body["model"] == "claude-haiku-4-5-20251001"
    assert balance(sim) == Decimal(100) - (9 * Decimal(1) + 10 * Decimal(5)) / MTOK


def test_exhausted_credit_is_the_real_400_and_costs_nothing(make_sim: WorldFactory) -> None:
    sim = make_sim('\n[credits]\nlots = [{ amount = "0.0001", day = -1 }]\n')
    assert send(sim, body()).status == 200  # charge-after: this one takes the balance below zero
    refused = send(sim, body())
    assert refused.status == 400 and refused.body is not None
    assert refused.body == {
        "type": "error",
        "error": {"type": "invalid_request_error", "message": CREDIT_TOO_LOW},
        "request_id": refused.headers["request-id"],
    }
    assert CREDIT_TOO_LOW.startswith("Your credit balance is too low to access the Anthropic API.")
    assert balance(sim) == Decimal("0.0001") - HELLO_COST


def test_rate_limit_is_429_with_retry_after(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT + '\n[rate_limits]\n"*" = { rpm = 2 }\n')
    statuses = [send(sim, body()).status for _ in range(2)]
    limited = send(sim, body())
    assert statuses == [200, 200] and limited.status == 429 and limited.body is not None
    assert limited.body["error"]["type"] == "rate_limit_error"
    assert "of 2 requests per minute" in limited.body["error"]["message"]
    assert limited.headers["retry-after"] == "30"
    assert limited.headers["anthropic-ratelimit-requests-remaining"] == "0"


def test_tier_cap_is_429_with_error_code_and_no_retry_after(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT, replace={'tier = "Scale"': 'tier = "Start"'})
    sim.world.spend.record(None, Decimal("500"), sim.clock.now_ns())
    response = send(sim, body())
    assert response.status == 429 and response.body is not None
    assert response.body["error"]["type"] == "rate_limit_error"
    assert response.body["error"]["details"] == {"error_code": "enforced_spend_limit_reached"}
    assert "retry-after" not in response.headers


def test_overload_is_529_and_free(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT + "\n[faults]\noverload_windows = [{ day = 0, hours = 1 }]\n")
    response = send(sim, body())
    assert response.status == 529 and response.body is not None
    assert response.body["error"] == {"type": "overloaded_error", "message": "Overloaded"}
    assert balance(sim) == Decimal(100)
    sim.clock.advance(NS_PER_HOUR)
    assert send(sim, body()).status == 200


def test_web_search_tool_bills_one_search(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    search = {"type": "web_search_20250305", "name": "web_search", "max_uses": 3}
    response = send(sim, body(tools=[search]))
    assert response.body is not None
    assert response.body["usage"]["server_tool_use"] == {"web_search_requests": 1}
    tokens = response.body["usage"]["input_tokens"] * Decimal(2) + 10 * Decimal(10)
    assert balance(sim) == Decimal(100) - tokens / MTOK - Decimal("0.01")


def test_us_inference_is_reported_and_priced_at_1_1x(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    response = send(sim, body(inference_geo="us"))
    assert response.body is not None and response.body["usage"]["inference_geo"] == "us"
    assert balance(sim) == Decimal(100) - HELLO_COST * Decimal("1.1")

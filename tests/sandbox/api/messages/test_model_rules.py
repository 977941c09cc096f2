"""The Messages API against each model's rules: inference_geo, fast mode, retirement, windows, on the wire."""

from __future__ import annotations

import json
from decimal import Decimal

import httpx
import pytest

from sandbox.api.messages.handler import FAST_MODE_BETA, count_tokens
from tests.sandbox.api.messages.support import CREDIT, balance, body, events, send
from tests.sandbox.conftest import WorldFactory

FAST = {"anthropic-beta": FAST_MODE_BETA}


def at(day: str) -> dict[str, str]:
    """A scenario starting at 00:00 UTC on `day`."""
    return {"start = 2026-11-10T00:00:00Z": f"start = {day}T00:00:00Z"}


@pytest.mark.parametrize("geo", ["us", "global"])
def test_inference_geo_on_a_model_older_than_4_6_is_a_400_even_global(
    make_sim: WorldFactory, geo: str
) -> None:
    sim = make_sim(CREDIT)
    response = send(sim, body(model="claude-haiku-4-5", inference_geo=geo))
    assert response.status == 400 and response.body is not None
    assert response.body["error"]["type"] == "invalid_request_error"
    assert response.body["error"]["message"].startswith(
        "inference_geo: not supported for model claude-haiku-4-5"
    )
    assert balance(sim) == Decimal(100)


def test_inference_geo_from_opus_4_6_on_is_served_and_reported(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    response = send(sim, body(model="claude-opus-4-6", inference_geo="us"))
    assert response.status == 200 and response.body is not None
    assert response.body["usage"]["inference_geo"] == "us"


def test_an_older_model_reports_not_available_in_its_usage(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    response = send(sim, body(model="claude-haiku-4-5"))
    assert response.status == 200 and response.body is not None
    assert response.body["usage"]["inference_geo"] == "not_available"


def test_fast_mode_on_opus_5_5_is_served_and_reports_its_speed(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    fast = send(sim, body(model="claude-opus-5-5", speed="fast"))
    assert fast.status == 200 and fast.body is not None
    assert fast.body["usage"]["speed"] == "fast"
    spent_fast = Decimal(100) - balance(sim)
    standard = send(sim, body(model="claude-opus-5-5"))
    assert standard.body is not None and "speed" not in standard.body["usage"]
    assert spent_fast == 2 * (Decimal(100) - spent_fast - balance(sim))


def test_fast_mode_on_a_preview_model_needs_the_beta_header(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    refused = send(sim, body(model="claude-opus-5", speed="fast"))
    assert refused.status == 400 and refused.body is not None
    assert FAST_MODE_BETA in refused.body["error"]["message"]
    served = send(sim, body(model="claude-opus-5", speed="fast"), extra_headers=FAST)
    assert served.status == 200


def test_a_streamed_fast_request_carries_speed_in_its_usage(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    stream = events(send(sim, body(model="claude-fable-5-2", speed="fast", stream=True)))
    start = next(data for name, data in stream if name == "message_start")
    assert start["message"]["usage"]["speed"] == "fast"


def test_fast_mode_on_opus_4_8_after_its_removal_is_a_400(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT, replace=at("2026-12-01"))
    refused = send(sim, body(model="claude-opus-4-8", speed="fast"), extra_headers=FAST)
    assert refused.status == 400 and refused.body is not None
    assert refused.body["error"]["message"] == "speed: fast mode for claude-opus-4-8 ended on 2026-11-30"


def test_a_retired_model_is_the_real_404_for_messages_and_count_tokens(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT, replace=at("2026-12-01"))
    response = send(sim, body(model="claude-sonnet-4-5"))
    assert response.status == 404 and response.body is not None
    assert response.body["error"] == {"type": "not_found_error", "message": "model: claude-sonnet-4-5"}
    payload = {"model": "claude-sonnet-4-5", "messages": [{"role": "user", "content": "Hello"}]}
    counted = count_tokens(
        sim.world, httpx.Headers({"x-api-key": sim.secrets[1]}), json.dumps(payload).encode()
    )
    assert counted.status == 404


def test_mythos_5_2_answers(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    response = send(sim, body(model="claude-mythos-5-2"))
    assert response.status == 200 and response.body is not None
    assert response.body["model"] == "claude-mythos-5-2"
    assert Decimal(100) - balance(sim) == (9 * Decimal(8) + 10 * Decimal(40)) / 1_000_000


def test_a_prompt_over_haiku_4_5s_200k_window_is_the_real_400(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    text = "x" * (4 * 200_000)  # about 200,000 tokens of text plus the request overhead
    response = send(sim, body(text, model="claude-haiku-4-5"))
    assert response.status == 400 and response.body is not None
    assert response.body["error"]["message"].startswith("prompt is too long: ")
    assert response.body["error"]["message"].endswith(" tokens > 200000 maximum")
    assert send(sim, body(text, model="claude-sonnet-5")).status == 200


def test_the_1m_context_beta_header_widens_sonnet_4_5(make_sim: WorldFactory) -> None:
    sim = make_sim(CREDIT)
    text = "x" * (4 * 250_000)
    assert send(sim, body(text, model="claude-sonnet-4-5")).status == 400
    wide = send(
        sim, body(text, model="claude-sonnet-4-5"), extra_headers={"anthropic-beta": "context-1m-2025-08-07"}
    )
    assert wide.status == 200

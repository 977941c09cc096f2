"""Every model in the price list answers on the wire by its API ID and each documented alias.

A model the price list retires is tried on a day it was still served (the day before its retirement):
from that day on it is the real 404, which `test_retirement.py` shows.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import httpx
import pytest

from sandbox.api.messages.handler import count_tokens
from sandbox.pricing import PriceList
from tests.sandbox.api.messages.support import CREDIT, MTOK, balance, body, send
from tests.sandbox.conftest import WorldFactory

PRICES = PriceList.default()
NAMES = sorted((name, model.id) for model in PRICES.models.values() for name in (model.id, *model.aliases))
HELLO_INPUT, HELLO_OUTPUT = 9, 10  # "Hello" with max_tokens 10 (see messages/test_handler.py)
BASE_START = "start = 2026-11-10T00:00:00Z"


def live_start(model_id: str) -> dict[str, str]:
    """The scenario start that serves `model_id`: the usual one, or the day before its retirement."""
    lifecycle = PRICES.models[model_id].lifecycle
    retires = lifecycle.retires if lifecycle is not None else None
    if retires is None or retires > dt.date(2026, 11, 10):
        return {}
    return {BASE_START: f"start = {retires - dt.timedelta(days=1)}T00:00:00Z"}


@pytest.mark.parametrize(("name", "model_id"), NAMES)
def test_every_model_and_alias_is_served_and_billed_at_its_price(
    make_sim: WorldFactory, name: str, model_id: str
) -> None:
    sim = make_sim(CREDIT, replace=live_start(model_id))
    response = send(sim, body(model=name))
    assert response.status == 200, response.body
    assert response.body is not None and response.body["model"] == model_id
    rates = PRICES.models[model_id].rates
    assert balance(sim) == Decimal(100) - (HELLO_INPUT * rates.input + HELLO_OUTPUT * rates.output) / MTOK


@pytest.mark.parametrize(("name", "model_id"), NAMES)
def test_every_model_and_alias_counts_tokens(make_sim: WorldFactory, name: str, model_id: str) -> None:
    sim = make_sim(CREDIT, replace=live_start(model_id))
    headers = httpx.Headers({"x-api-key": sim.secrets[1]})
    payload = {"model": name, "messages": [{"role": "user", "content": "Hello"}]}
    response = count_tokens(sim.world, headers, json.dumps(payload).encode())
    assert response.status == 200 and response.body == {"input_tokens": HELLO_INPUT}


@pytest.mark.parametrize("name", ["claude-sonnet-9", "claude-sonnet-5-", "CLAUDE-SONNET-5", "gpt-4o"])
def test_a_model_not_in_the_price_list_is_the_real_404(make_sim: WorldFactory, name: str) -> None:
    sim = make_sim(CREDIT)
    response = send(sim, body(model=name))
    assert response.status == 404 and response.body is not None
    assert response.body["error"] == {"type": "not_found_error", "message": f"model: {name}"}
    assert response.body["request_id"] == response.headers["request-id"]
    assert balance(sim) == Decimal(100)

"""Fast mode in the usage and cost reports: `speed` as a dimension, a filter and a cost line of its own."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest

from tests.sandbox.api.conftest import API_KEY, Query

USAGE = "/v1/organizations/usage_report/messages"
COST = "/v1/organizations/cost_report"
FAST_BETA = {"anthropic-beta": "fast-mode-2026-02-01"}
TODAY = "2026-11-12T00:00:00Z"  # the small scenario's clock, frozen at the end of its history


@pytest.fixture
def mixed(admin: httpx.Client) -> httpx.Client:
    """Two fast and one standard request to Opus 5.5, sent now with the scenario's API key."""
    for speed in ("fast", "fast", "standard"):
        body = {
            "model": "claude-opus-5-5",
            "max_tokens": 50,
            "speed": speed,
            "messages": [{"role": "user", "content": "Hello"}],
        }
        response = admin.post("/v1/messages", json=body, headers={"x-api-key": API_KEY})
        assert response.status_code == 200, response.text
        assert response.json()["usage"]["speed"] == speed
    return admin


def results(client: httpx.Client, path: str, params: Query, headers: dict[str, str]) -> list[dict[str, Any]]:
    body = client.get(path, params=[("starting_at", TODAY), *params], headers=headers).json()
    return [row for bucket in body["data"] for row in bucket["results"]]


def test_usage_grouped_by_speed_splits_fast_from_standard(mixed: httpx.Client) -> None:
    rows = results(mixed, USAGE, [("group_by[]", "speed"), ("group_by[]", "model")], FAST_BETA)
    opus = {row["speed"]: row for row in rows if row["model"] == "claude-opus-5-5"}
    assert set(opus) == {"fast", "standard"}
    assert opus["fast"]["uncached_input_tokens"] == 2 * opus["standard"]["uncached_input_tokens"]


def test_usage_filtered_to_fast_keeps_only_fast_requests(mixed: httpx.Client) -> None:
    rows = results(mixed, USAGE, [("speeds[]", "fast"), ("group_by[]", "model")], FAST_BETA)
    assert [row["model"] for row in rows] == ["claude-opus-5-5"]


def test_speed_needs_the_fast_mode_beta_header_in_the_legacy_report(mixed: httpx.Client) -> None:
    response = mixed.get(USAGE, params=[("starting_at", TODAY), ("group_by[]", "speed")])
    assert response.status_code == 400 and "fast-mode-2026-02-01" in response.json()["error"]["message"]


def test_the_cost_report_bills_fast_lines_at_twice_the_rate_and_names_their_speed(
    mixed: httpx.Client,
) -> None:
    rows = results(mixed, COST, [("group_by[]", "description")], FAST_BETA)
    opus = [row for row in rows if row["model"] == "claude-opus-5-5"]
    by = {(row["token_type"], row["speed"]): Decimal(row["amount"]) for row in opus}
    # Two fast requests at $8 / $40 against one standard at $4 / $20: four times the standard amount.
    assert by["uncached_input_tokens", "fast"] == 4 * by["uncached_input_tokens", "standard"]
    plain = results(mixed, COST, [("group_by[]", "description")], {})
    assert all("speed" not in row for row in plain)

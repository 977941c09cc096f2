"""The official SDK (2.17, `anthropic-version: 2026-10-21`) against `billbot sandbox serve`: the models
and errors of December 2026 as a team's code meets them."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import anthropic
import httpx
import pytest
from anthropic.types import MessageParam

from tests.sandbox.api.conftest import ADMIN_KEY, API_KEY, Served, start_server, stop_server

HELLO: list[MessageParam] = [{"role": "user", "content": "What did we spend this week?"}]
FAST_BETA = "fast-mode-2026-02-01"


def serve(*args: str) -> Iterator[Served]:
    server = start_server(*args, "--speed", "0", "--admin-key", ADMIN_KEY, "--api-key", API_KEY)
    yield server
    if server.process.poll() is None:
        stop_server(server)


@pytest.fixture(scope="module")
def small(small_scenario: Path) -> Iterator[Served]:
    yield from serve("--scenario", str(small_scenario), "--seed", "1")


@pytest.fixture(scope="module")
def storm() -> Iterator[Served]:
    yield from serve("--scenario", "rate-limit-storm")


@pytest.fixture
def sdk(small: Served) -> Iterator[anthropic.Anthropic]:
    client = anthropic.Anthropic(api_key=API_KEY, base_url=small.base_url, max_retries=0)
    yield client
    client.close()


def control(served: Served, method: str, path: str, *, betas: str = "", **options: object) -> httpx.Response:
    headers = {"x-api-key": ADMIN_KEY} | ({"anthropic-beta": betas} if betas else {})
    return httpx.request(method, f"{served.base_url}{path}", headers=headers, timeout=30, **options)  # type: ignore[arg-type]


def test_mythos_5_2_answers(sdk: anthropic.Anthropic) -> None:
    message = sdk.messages.create(model="claude-mythos-5-2", max_tokens=100, messages=HELLO)
    assert message.model == "claude-mythos-5-2" and message.content


def test_inference_geo_us_on_a_model_older_than_4_6_is_a_400(sdk: anthropic.Anthropic) -> None:
    with pytest.raises(anthropic.BadRequestError) as raised:
        sdk.messages.create(model="claude-haiku-4-5", max_tokens=100, messages=HELLO, inference_geo="us")
    assert raised.value.status_code == 400 and "inference_geo" in str(raised.value.message)
    served = sdk.messages.create(model="claude-opus-4-6", max_tokens=100, messages=HELLO, inference_geo="us")
    assert served.usage.inference_geo == "us"


def test_fast_mode_is_billed_at_its_rate_and_shows_in_the_cost_report(
    sdk: anthropic.Anthropic, small: Served
) -> None:
    fast = sdk.messages.create(model="claude-opus-5-5", max_tokens=100, messages=HELLO, speed="fast")
    assert fast.usage.speed == "fast"
    logged = control(small, "GET", f"/sandbox/v1/requests/{fast._request_id}").json()
    usage = fast.usage
    expected = (usage.input_tokens * Decimal(8) + usage.output_tokens * Decimal(40)) / 1_000_000
    assert Decimal(str(logged["cost_usd"])) == expected  # $8 / $40: twice Opus 5.5's standard rates
    report = control(
        small,
        "GET",
        "/v1/organizations/cost_report",
        params=[("starting_at", "2026-11-12T00:00:00Z"), ("group_by[]", "description")],
        betas=FAST_BETA,
    ).json()
    fast_lines = [
        row
        for bucket in report["data"]
        for row in bucket["results"]
        if row["model"] == "claude-opus-5-5" and row["speed"] == "fast"
    ]
    assert sum(Decimal(row["amount"]) for row in fast_lines) / 100 >= expected


def test_a_retired_model_is_refused_after_its_date(sdk: anthropic.Anthropic, small: Served) -> None:
    assert sdk.messages.create(model="claude-sonnet-4-5", max_tokens=50, messages=HELLO).content
    moved = control(small, "POST", "/sandbox/v1/clock", json={"set_to": "2026-11-30T00:00:00Z"})
    assert moved.status_code == 200
    with pytest.raises(anthropic.NotFoundError) as raised:
        sdk.messages.create(model="claude-sonnet-4-5", max_tokens=50, messages=HELLO)
    assert raised.value.body == {
        "type": "error",
        "error": {"type": "not_found_error", "message": "model: claude-sonnet-4-5"},
        "request_id": raised.value.request_id,
    }


def test_the_rate_limit_storm_429_carries_the_new_message(storm: Served) -> None:
    key = next(line.split()[2] for line in storm.banner if line.startswith("api key"))
    client = anthropic.Anthropic(api_key=key, base_url=storm.base_url, max_retries=0)
    with client, pytest.raises(anthropic.RateLimitError) as raised:
        for _ in range(20):
            client.messages.create(model="claude-sonnet-5", max_tokens=20, messages=HELLO)
    error = raised.value
    assert int(error.response.headers["retry-after"]) > 0
    message = str(error.body["error"]["message"])  # type: ignore[index]
    assert message.startswith(
        "This request would exceed your organization's rate limit of 5 requests per minute"
    )
    assert "(org: " in message and ", model: claude-sonnet-5)." in message
    assert "https://claude.com/contact-sales" in message


def test_the_sdk_reads_the_analytics_api_and_pages_to_the_end(small: Served) -> None:
    admin = anthropic.Anthropic(api_key=ADMIN_KEY, base_url=small.base_url, max_retries=0)
    with admin:
        rows = list(
            admin.beta.organization.analytics.usage.list(
                starting_at="2026-11-10T00:00:00Z",
                ending_at="2026-11-12T00:00:00Z",
                time_bucket_width="1d",
                group_by=["model", "api_key_id"],
                limit=2,
            )
        )
        costs = list(
            admin.beta.organization.analytics.cost.list(
                starting_at="2026-11-10T00:00:00Z", group_by=["workspace_id", "cost_type"]
            )
        )
    assert len(rows) > 2 and all(row.group.model and row.usage.total_tokens > 0 for row in rows)
    assert costs and all(Decimal(row.cost.amount) > 0 and row.group.cost_type == "tokens" for row in costs)

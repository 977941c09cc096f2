"""The demo served so that its history ends at a given instant: reports and clock agree with that instant."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from sandbox.api.app import create_app
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.api.transport import SandboxTransport
from tests.sandbox.api.conftest import ADMIN_KEY, Query

USAGE = "/v1/organizations/usage_report/messages"
COST = "/v1/organizations/cost_report"
END = datetime(2026, 12, 5, 10, 30, tzinfo=UTC)
TOKEN_FIELDS = ("uncached_input_tokens", "cache_read_input_tokens", "output_tokens")


@pytest.fixture(scope="module")
def demo() -> Iterator[httpx.Client]:
    """The demo ending at 2026-12-05 10:30 UTC, on a frozen clock."""
    state = SandboxState(ServeOptions("demo", speed=0, admin_keys=(ADMIN_KEY,), end=END))
    with httpx.Client(
        transport=SandboxTransport(create_app(state)),
        base_url="http://sandbox",
        headers={"x-api-key": ADMIN_KEY},
    ) as client:
        yield client


def buckets(client: httpx.Client, path: str, params: Query) -> list[dict[str, Any]]:
    """A report's buckets (every query here fits in one page)."""
    body = client.get(path, params=params).json()
    assert body["has_more"] is False
    data: list[dict[str, Any]] = body["data"]
    return data


def with_data(found: list[dict[str, Any]]) -> list[str]:
    """Starts of the buckets that record any tokens or any cost (an ungrouped bucket has a zero row)."""
    return [bucket["starting_at"] for bucket in found if any(map(_nonzero, bucket["results"]))]


def _nonzero(result: dict[str, Any]) -> bool:
    if "amount" in result:
        return Decimal(result["amount"]) != 0
    tokens: int = sum(result[name] for name in TOKEN_FIELDS)
    return tokens > 0


def test_the_sandbox_clock_reads_the_end(demo: httpx.Client) -> None:
    assert demo.get("/sandbox/v1/state").json()["clock"] == {"now": "2026-12-05T10:30:00Z", "speed": 0.0}


def test_usage_runs_up_to_the_end_and_not_past_it(demo: httpx.Client) -> None:
    days = with_data(buckets(demo, USAGE, [("starting_at", "2026-12-04T00:00:00Z")]))
    assert days == ["2026-12-04T00:00:00Z", "2026-12-05T00:00:00Z"]
    minutes = with_data(
        buckets(
            demo,
            USAGE,
            [
                ("starting_at", "2026-12-05T10:00:00Z"),
                ("ending_at", "2026-12-05T11:00:00Z"),
                ("bucket_width", "1m"),
            ],
        )
    )
    assert minutes, "the last half hour before the end has traffic"
    assert max(minutes) <= "2026-12-05T10:30:00Z"


def test_cost_is_reported_through_the_end_day_and_the_history_is_ninety_days(demo: httpx.Client) -> None:
    recent = with_data(buckets(demo, COST, [("starting_at", "2026-12-01T00:00:00Z")]))
    assert recent[-1] == "2026-12-05T00:00:00Z"
    window: Query = [("starting_at", "2026-09-04T00:00:00Z"), ("ending_at", "2026-09-08T00:00:00Z")]
    first = with_data(buckets(demo, COST, window))
    assert first[0] == "2026-09-06T00:00:00Z"  # 90 days before 2026-12-05


def test_a_realtime_clock_continues_from_the_end(small_scenario: Path) -> None:
    state = SandboxState(ServeOptions(str(small_scenario), speed=1.0, end=END))
    assert END <= state.clock.now() < END + timedelta(hours=1)


def test_a_naive_end_is_refused() -> None:
    with pytest.raises(ValueError, match="naive end"):
        ServeOptions(end=datetime(2026, 12, 5, 10, 30))


def test_a_reset_replays_the_history_to_the_same_end(small_scenario: Path) -> None:
    state = SandboxState(ServeOptions(str(small_scenario), speed=0, end=END))
    state.reset(str(small_scenario), seed=4)
    assert state.clock.now() == END
    assert max(r.at_ns for r in state.world.records.requests) <= state.clock.now_ns()

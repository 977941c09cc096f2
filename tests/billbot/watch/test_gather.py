"""The watch over a served sandbox through billbot's Admin API client; the backtest's feed pinned to it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pydantic import SecretStr
from sqlalchemy import Engine

from billbot.admin_api.billing import AdminBillingData
from billbot.admin_api.client import AdminClient
from billbot.admin_api.source import DataSource
from billbot.runtime.embedded import EMBEDDED_URL
from billbot.watch.engine import evaluate
from billbot.watch.feed import SimulatedFeed
from billbot.watch.gather import balance_view_from_state, gather
from billbot.watch.inputs import BalanceView
from billbot.watch.scope import ORGANIZATION
from billbot.watch.service import WatchService
from sandbox.api.app import create_app
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.api.transport import SandboxTransport
from sandbox.build import build_simulation
from sandbox.clock import to_ns
from sandbox.pricing import PriceList
from sandbox.scenario import load_scenario
from sandbox.simulate import summarise

ADMIN_KEY = "sk-ant-admin01-watch-test-admin-key"
CENT = Decimal("0.01")


@dataclass
class Served:
    """A served scenario (frozen clock) and billbot's `BillingData` over it."""

    state: SandboxState
    data: AdminBillingData
    admin: httpx.Client

    def state_json(self) -> dict[str, Any]:
        """`GET /sandbox/v1/state`."""
        result: dict[str, Any] = self.admin.get("/sandbox/v1/state").json()
        return result


@pytest.fixture(scope="module")
def overcharge() -> Iterator[Served]:
    """The built-in `overcharge` scenario served at the end of its 14 days."""
    state = SandboxState(ServeOptions(scenario="overcharge", speed=0, admin_keys=(ADMIN_KEY,)))
    transport = SandboxTransport(create_app(state))
    client = AdminClient(EMBEDDED_URL, SecretStr(ADMIN_KEY), transport=transport)
    source = DataSource("embedded_sandbox", "sandbox · simulated org 'overcharge'", client, state.clock.now)
    admin = httpx.Client(transport=transport, base_url=EMBEDDED_URL, headers={"x-api-key": ADMIN_KEY})
    yield Served(state, AdminBillingData(source), admin)
    transport.close()


def test_the_overcharged_day_is_found_with_its_amount_and_no_other(overcharge: Served) -> None:
    now = overcharge.state.clock.now()
    inputs = gather(overcharge.data, now, prices=PriceList.default())
    found = [f for f in evaluate(inputs) if f.rule == "reconciliation"]
    [day] = found
    overcharged = summarise(overcharge.state.simulation, "overcharge", 0).overcharged
    assert day.period_key == "2026-11-10" and day.severity == "critical"
    assert day.amount_usd is not None and abs(day.amount_usd - overcharged) < CENT
    assert day.data["affected_hours"] == "00:00–24:00"


def test_the_service_reports_it_once_and_a_second_run_posts_nothing(
    overcharge: Served, engine: Engine
) -> None:
    def balance(_: object) -> BalanceView:
        return balance_view_from_state(overcharge.state_json())

    service = WatchService.over(engine, overcharge.data, alert_channel="C0ALERTS", balance=balance)
    now = overcharge.state.clock.now()
    first = service.run_once(now)
    assert [f.rule for f in first.findings if f.severity == "critical"] == ["reconciliation"]
    assert first.posts_queued == len(first.findings)
    assert service.run_once(now).posts_queued == 0


def test_the_backtest_feed_says_what_the_reports_say(overcharge: Served) -> None:
    scenario = load_scenario("overcharge")
    simulation = build_simulation(scenario, seed=0)
    feed = SimulatedFeed(simulation)
    now = overcharge.state.clock.now()
    feed.advance(to_ns(now))
    fed = feed.inputs()
    read = gather(overcharge.data, now, prices=PriceList.default())
    for scope, series in fed.hourly.items():
        other = read.hourly[scope]
        offset = other.index(series.start)
        for index, value in enumerate(series.values):
            assert abs(value - other.at(offset + index)) < Decimal("0.000001"), (scope, index)
    assert fed.billed_daily[ORGANIZATION] == {
        day: v for day, v in read.billed_daily[ORGANIZATION].items() if v
    }
    pairs = {(line.day, line.model, line.token_type): line for line in read.reconciliation}
    for line in fed.reconciliation:
        twin = pairs[(line.day, line.model, line.token_type)]
        assert twin.billed == line.billed and abs(twin.estimated - line.estimated) < CENT
    assert fed.cache_reads is not None and read.cache_reads is not None
    assert sum(fed.cache_reads.values) == sum(read.cache_reads.values)


def test_the_state_json_gives_the_same_balance_as_the_world(overcharge: Served) -> None:
    view = balance_view_from_state(overcharge.state_json())
    world = overcharge.state.world
    now_ns = world.clock.now_ns()
    assert view.balance == world.ledger.balance(now_ns)
    assert [lot.remaining for lot in view.lots] == [lot.remaining for lot in world.ledger.lots(now_ns)]
    assert view.reload_minimum is None and not view.estimated

"""Budget levels on the bill and the estimate, forecasts with a date, and monthly limits with an hour."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from billbot.app.data import MonthlyLimits
from billbot.watch.budgets import Budget, BudgetError
from billbot.watch.engine import evaluate
from billbot.watch.inputs import WatchInputs
from billbot.watch.scope import ORGANIZATION, Scope
from billbot.watch.series import HourlySeries
from tests.billbot.watch.support import d

OCT_1 = datetime(2026, 10, 1, tzinfo=UTC)
NOV_10_NOON = datetime(2026, 11, 10, 12, tzinfo=UTC)


def _hours(start: datetime, now: datetime, per_hour: str) -> HourlySeries:
    count = int((now - start) // timedelta(hours=1)) + 1
    values = [Decimal(per_hour)] * count
    values[-1] = Decimal(0) if now.minute == 0 else values[-1]  # the hour in progress has just begun
    return HourlySeries(start, values)


def _billed(first: datetime, days: int, per_day: str) -> dict[datetime, Decimal]:
    return {first + timedelta(days=i): Decimal(per_day) for i in range(days)}


def test_a_level_reached_only_with_the_estimate_is_labelled_and_forecast_names_the_hour() -> None:
    budget = Budget(ORGANIZATION, d(100), "month", id=1)
    inputs = WatchInputs(
        now=NOV_10_NOON,
        hourly={ORGANIZATION: _hours(OCT_1, NOV_10_NOON, "0.5")},
        billed_daily={ORGANIZATION: _billed(datetime(2026, 11, 1, tzinfo=UTC), 9, "5")},
        billed_through=datetime(2026, 11, 10, tzinfo=UTC),
        budgets=(budget,),
    )
    [found] = evaluate(inputs)
    assert (found.rule, found.level, found.basis) == ("budget", "forecast", "estimate")
    assert found.amount_usd == d(51)  # $45 billed (nine days) + 12 hours at $0.50 estimated
    assert found.data["levels"] == "50%,forecast"
    assert "reaching it Sat 14 Nov around 14:00 UTC" in found.message
    assert found.period_key == "2026-11/budget-1"


def test_a_level_met_by_the_bill_alone_says_billed() -> None:
    budget = Budget(ORGANIZATION, d(40), "month", id=2, forecast=False)  # $45 billed
    inputs = WatchInputs(
        now=NOV_10_NOON,
        hourly={ORGANIZATION: _hours(OCT_1, NOV_10_NOON, "0.5")},
        billed_daily={ORGANIZATION: _billed(datetime(2026, 11, 1, tzinfo=UTC), 9, "5")},
        billed_through=datetime(2026, 11, 10, tzinfo=UTC),
        budgets=(budget,),
    )
    [found] = evaluate(inputs)
    assert (found.level, found.basis, found.severity) == ("100%", "billed", "critical")
    assert "(estimate" not in found.message


def test_a_key_budget_is_all_estimate_and_silent_below_its_first_level() -> None:
    key = Scope("api_key", "apikey_1", "Production key 2")
    now = datetime(2026, 11, 10, 6, tzinfo=UTC)
    hourly = {key: _hours(OCT_1, now, "1")}
    quiet = WatchInputs(now=now, hourly=hourly, budgets=(Budget(key, d(20), "day", id=3, forecast=False),))
    loud = WatchInputs(now=now, hourly=hourly, budgets=(Budget(key, d(10), "day", id=3, forecast=False),))
    assert evaluate(quiet) == []  # $6 of $20
    [found] = evaluate(loud)
    assert (found.level, found.basis, found.period_key) == ("50%", "estimate", "2026-11-10/budget-3")


def test_a_level_crossed_in_the_last_minutes_of_a_day_is_reported_just_after_it() -> None:
    key = Scope("api_key", "apikey_1", "Production key 2")
    now = datetime(2026, 11, 11, 0, 10, tzinfo=UTC)
    hourly = {key: _hours(OCT_1, now, "0.5")}  # $12 a day
    inputs = WatchInputs(now=now, hourly=hourly, budgets=(Budget(key, d(12), "day", id=4, forecast=False),))
    [found] = evaluate(inputs)
    assert (found.period_key, found.level) == ("2026-11-10/budget-4", "100%")


def test_budgets_refuse_impossible_values() -> None:
    with pytest.raises(BudgetError, match="more than zero"):
        Budget(ORGANIZATION, d(0))
    with pytest.raises(BudgetError, match="increasing"):
        Budget(ORGANIZATION, d(10), thresholds=(80, 50))


def test_a_workspace_limit_is_projected_to_the_hour() -> None:
    research = Scope("workspace", "wrkspc_r", "Research")
    now = datetime(2026, 12, 5, tzinfo=UTC)
    inputs = WatchInputs(
        now=now,
        hourly={research: _hours(datetime(2026, 11, 1, tzinfo=UTC), now, "25")},
        billed_daily={research: _billed(datetime(2026, 12, 1, tzinfo=UTC), 4, "600")},
        billed_through=now,
        limits=MonthlyLimits("Scale", None, None, {"wrkspc_r": d(8000)}),
    )
    [found] = evaluate(inputs)
    assert (found.rule, found.level, found.scope) == ("spend_limit", "projected", research)
    assert found.message == "Research reaches its $8,000.00 spend limit on Mon 14 Dec around 08:00 UTC"


def test_the_tier_cap_reached_says_what_requests_get() -> None:
    now = datetime(2026, 12, 20, tzinfo=UTC)
    inputs = WatchInputs(
        now=now,
        hourly={ORGANIZATION: _hours(datetime(2026, 11, 1, tzinfo=UTC), now, "1")},
        billed_daily={ORGANIZATION: _billed(datetime(2026, 12, 1, tzinfo=UTC), 19, "30")},
        billed_through=now,
        limits=MonthlyLimits("Start", d(500), None, {}),
    )
    [found] = evaluate(inputs)
    assert (found.rule, found.level, found.severity) == ("tier_cap", "reached", "critical")
    assert "429" in found.message


def test_a_limit_out_of_reach_this_month_says_nothing() -> None:
    now = datetime(2026, 12, 5, tzinfo=UTC)
    inputs = WatchInputs(
        now=now,
        hourly={ORGANIZATION: _hours(datetime(2026, 11, 1, tzinfo=UTC), now, "1")},
        limits=MonthlyLimits("Scale", d(100_000), None, {}),
    )
    assert evaluate(inputs) == []

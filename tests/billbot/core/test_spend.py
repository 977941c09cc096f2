"""The spend answer: only ended days are billed, edges pro rata, change and forecast like for like."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from billbot.core.entries import CostEntry
from billbot.core.periods import parse_period
from billbot.core.spend import DEFAULT_WORKSPACE, OTHER_COSTS, answer_spend, billed_in, breakdown

D = Decimal
NOW = datetime(2026, 11, 22, 12, tzinfo=UTC)


def day(month: int, number: int) -> datetime:
    return datetime(2026, month, number, tzinfo=UTC)


def daily(month: int, first: int, last: int, amount: str, **dims: str) -> list[CostEntry]:
    return [CostEntry(day(month, n), D(amount), **dims) for n in range(first, last + 1)]


def test_only_days_that_have_ended_are_billed() -> None:
    costs = daily(11, 1, 22, "10")  # the 22nd's bucket is partial: today is not billed yet
    answer = answer_spend(parse_period("mtd", NOW), costs, now=NOW, unbilled_estimate=D("4.5"))
    assert answer.billed == D("210") and answer.billed_through == day(11, 22)
    assert answer.unbilled_estimate == D("4.5")


def test_change_compares_with_the_same_span_of_last_month_pro_rata() -> None:
    costs = daily(10, 1, 31, "8") + daily(11, 1, 21, "10")
    answer = answer_spend(parse_period("mtd", NOW), costs, now=NOW, unbilled_estimate=D("5"))
    # October 1 - 22 12:00 is 21.5 days of $8 = $172; now: $210 billed + $5 estimated.
    assert answer.previous == D("172")
    assert answer.change == (D("215") - D("172")) / D("172")


def test_no_change_when_nothing_was_spent_before() -> None:
    answer = answer_spend(parse_period("7d", NOW), daily(11, 16, 21, "1"), now=NOW)
    assert answer.previous == 0 and answer.change is None


def test_forecast_adds_the_burn_rate_for_the_rest_of_the_month() -> None:
    answer = answer_spend(
        parse_period("mtd", NOW),
        daily(11, 1, 21, "10"),
        now=NOW,
        burn_per_day=D("12"),
        unbilled_estimate=D("6"),
    )
    # 8.5 days remain after Nov 22 12:00.
    assert answer.forecast == D("216") + D("12") * D("8.5")
    finished = answer_spend(
        parse_period("last-month", NOW), daily(10, 1, 31, "1"), now=NOW, burn_per_day=D(1)
    )
    assert finished.forecast is None and finished.billed == D("31")


def test_breakdown_is_largest_first_with_names_and_the_default_workspace() -> None:
    costs = [
        CostEntry(day(11, 1), D("3"), workspace_id="wrkspc_a"),
        CostEntry(day(11, 1), D("1"), workspace_id=None),
        CostEntry(day(11, 2), D("4"), workspace_id="wrkspc_a"),
    ]
    shares = breakdown(costs, "workspace", {"wrkspc_a": "Production"})
    assert [(s.name, s.amount, s.fraction) for s in shares] == [
        ("Production", D("7"), D("0.875")),
        (DEFAULT_WORKSPACE, D("1"), D("0.125")),
    ]
    by_model = breakdown([CostEntry(day(11, 1), D("2"), cost_type="web_search")], "model", {})
    assert by_model[0].name == OTHER_COSTS


def test_billed_in_counts_straddling_days_in_proportion() -> None:
    costs = daily(11, 1, 2, "24")
    assert billed_in(costs, datetime(2026, 11, 1, 18, tzinfo=UTC), day(11, 2)) == D("6")

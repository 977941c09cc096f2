"""Consumer plan limits: 5-hour sessions, weekly windows (rolling or fixed slot), extra usage."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from sandbox.clock import NS_PER_DAY, NS_PER_HOUR, to_ns
from sandbox.plans import (
    DailyRedemptionLimitError,
    InvalidPlanSettingError,
    PlanAccount,
    PlanDecision,
    UnknownPlanError,
    plan,
)

MON_9 = to_ns(datetime(2026, 11, 9, 9, tzinfo=UTC))  # a Monday
FIVE_HOURS = 5 * NS_PER_HOUR
WEEK = 7 * NS_PER_DAY
PRO_SESSION = plan("pro").session_budget
PRO_WEEK = plan("pro").weekly_budget


def pro(**settings: object) -> PlanAccount:
    return PlanAccount(plan("pro"), **settings)  # type: ignore[arg-type]


def use_up_session(account: PlanAccount, now: int) -> None:
    assert account.use(PRO_SESSION, now, "opus").source == "plan"


def test_max_plans_are_5x_and_20x_pro_and_only_max_has_a_sonnet_budget() -> None:
    assert plan("max_5x").session_budget == 5 * PRO_SESSION
    assert plan("max_20x").weekly_budget == 20 * PRO_WEEK
    assert plan("pro").sonnet_weekly_budget is None
    assert plan("max_5x").sonnet_weekly_budget is not None


def test_unknown_plan_names_the_value_and_choices() -> None:
    with pytest.raises(UnknownPlanError, match=r"'team'.*pro, max_5x, max_20x"):
        plan("team")


def test_session_reached_exactly_refuses_until_five_hours_after_the_first_message() -> None:
    account = pro()
    use_up_session(account, MON_9)
    decision = account.use(Decimal("0.01"), MON_9 + NS_PER_HOUR, "opus")
    assert decision == PlanDecision(False, None, "session_limit", MON_9 + FIVE_HOURS)


def test_one_cent_below_the_session_budget_is_served_and_may_cross() -> None:
    account = pro()
    account.use(PRO_SESSION - Decimal("0.01"), MON_9, "opus")
    assert account.use(Decimal(2), MON_9, "opus").allowed
    assert not account.use(Decimal("0.01"), MON_9, "opus").allowed


def test_session_still_counts_at_5h_minus_1ns_and_resets_at_5h() -> None:
    account = pro()
    use_up_session(account, MON_9)
    assert not account.use(Decimal(1), MON_9 + FIVE_HOURS - 1, "opus").allowed
    assert account.use(Decimal(1), MON_9 + FIVE_HOURS, "opus").allowed
    assert account.utilization(MON_9 + FIVE_HOURS).five_hour.resets_at_ns == MON_9 + 2 * FIVE_HOURS


def test_a_session_starts_with_the_first_message_not_on_a_fixed_grid() -> None:
    account = pro()
    account.use(Decimal(1), MON_9, "opus")
    later = MON_9 + FIVE_HOURS + 3 * NS_PER_HOUR  # quiet gap, then a new session
    account.use(Decimal(1), later, "opus")
    assert account.utilization(later).five_hour.resets_at_ns == later + FIVE_HOURS


def test_rolling_week_resets_seven_days_after_first_use() -> None:
    account = pro()
    for session in range(10):
        account.use(PRO_SESSION, MON_9 + session * FIVE_HOURS, "opus")
    blocked_at = MON_9 + 10 * FIVE_HOURS
    decision = account.use(Decimal(1), blocked_at, "opus")
    assert decision == PlanDecision(False, None, "weekly_limit", MON_9 + WEEK)
    assert not account.use(Decimal(1), MON_9 + WEEK - 1, "opus").allowed
    assert account.use(Decimal(1), MON_9 + WEEK, "opus").allowed
    assert account.utilization(MON_9 + WEEK).seven_day.resets_at_ns == MON_9 + 2 * WEEK


def test_fixed_slot_week_resets_at_the_assigned_weekday_regardless_of_first_use() -> None:
    # Slot: Wednesday 18:00 UTC. First use Monday 09:00 -> resets Wednesday 18:00 the same week.
    account = pro(weekly_reset="fixed_slot", slot_weekday=2, slot_time_ns=18 * NS_PER_HOUR)
    wednesday_18 = MON_9 + 2 * NS_PER_DAY + 9 * NS_PER_HOUR
    for session in range(10):
        account.use(PRO_SESSION, MON_9 + session * FIVE_HOURS, "opus")
    assert account.use(Decimal(1), wednesday_18 - 1, "opus").reason == "weekly_limit"
    assert account.use(Decimal(1), wednesday_18, "opus").allowed
    assert account.utilization(wednesday_18).seven_day.resets_at_ns == wednesday_18 + WEEK


def test_sonnet_weekly_budget_refuses_sonnet_but_not_opus_on_max() -> None:
    account = PlanAccount(plan("max_20x"))
    sonnet_budget = plan("max_20x").sonnet_weekly_budget
    assert sonnet_budget is not None
    account.use(sonnet_budget, MON_9, "sonnet")
    later = MON_9 + FIVE_HOURS
    assert account.use(Decimal(1), later, "sonnet") == PlanDecision(
        False, None, "sonnet_weekly_limit", MON_9 + WEEK
    )
    assert account.use(Decimal(1), later, "opus").allowed
    usage = account.utilization(later)
    assert usage.seven_day_sonnet is not None and usage.seven_day_sonnet.utilization == 1


def test_utilization_reports_used_fractions_like_the_usage_endpoint() -> None:
    account = pro()
    account.use(PRO_SESSION / 4, MON_9, "opus")
    usage = account.utilization(MON_9 + NS_PER_HOUR)
    assert usage.five_hour.utilization == Decimal("0.25")
    assert usage.seven_day.utilization == PRO_SESSION / 4 / PRO_WEEK
    assert usage.seven_day_sonnet is None
    assert pro().utilization(MON_9).five_hour.resets_at_ns is None


def test_extra_usage_pays_beyond_the_limit_from_the_balance() -> None:
    account = pro()
    account.enable_extra_usage(monthly_cap=None)
    account.add_funds(Decimal(10), MON_9)
    use_up_session(account, MON_9)
    decision = account.use(Decimal(4), MON_9, "opus")
    assert (decision.allowed, decision.source) == (True, "extra_usage")
    assert account.balance == Decimal(6)
    assert account.utilization(MON_9).five_hour.utilization == 1


def test_extra_usage_refuses_when_the_balance_does_not_cover_the_message() -> None:
    account = pro()
    account.enable_extra_usage(monthly_cap=None)
    account.add_funds(Decimal(3), MON_9)
    use_up_session(account, MON_9)
    assert account.use(Decimal("3.01"), MON_9, "opus") == PlanDecision(
        False, None, "extra_usage_balance", MON_9 + FIVE_HOURS
    )
    assert account.use(Decimal(3), MON_9, "opus").allowed
    assert account.balance == 0


def test_extra_usage_monthly_cap_reached_exactly_refuses_the_next_message() -> None:
    account = pro()
    account.enable_extra_usage(monthly_cap=Decimal(5))
    account.add_funds(Decimal(100), MON_9)
    use_up_session(account, MON_9)
    assert account.use(Decimal(5), MON_9, "opus").allowed
    assert account.use(Decimal("0.01"), MON_9, "opus").reason == "extra_usage_cap"
    assert account.extra_spent_this_month(MON_9) == Decimal(5)


def test_extra_usage_cap_renews_with_the_utc_month() -> None:
    account = pro()
    account.enable_extra_usage(monthly_cap=Decimal(5))
    account.add_funds(Decimal(100), MON_9)
    nov_30_23h = to_ns(datetime(2026, 11, 30, 23, tzinfo=UTC))
    for session in range(10):
        account.use(PRO_SESSION, nov_30_23h - WEEK + 2 * NS_PER_HOUR + session * FIVE_HOURS, "opus")
    assert account.use(Decimal(5), nov_30_23h, "opus").source == "extra_usage"
    refused = account.use(Decimal(1), nov_30_23h, "opus")
    assert refused.resets_at_ns == to_ns(datetime(2026, 12, 1, tzinfo=UTC))  # month end before the plan reset
    assert account.use(Decimal(1), to_ns(datetime(2026, 12, 1, tzinfo=UTC)), "opus").source == "extra_usage"


def test_without_extra_usage_the_message_is_refused_and_no_balance_is_touched() -> None:
    account = pro()
    account.add_funds(Decimal(10), MON_9)
    use_up_session(account, MON_9)
    assert account.use(Decimal(1), MON_9, "opus").reason == "session_limit"
    assert account.balance == Decimal(10)


def test_daily_redemption_limit_is_2000_per_utc_day() -> None:
    account = pro()
    account.add_funds(Decimal(1500), MON_9)
    account.add_funds(Decimal(500), MON_9 + NS_PER_HOUR)  # exactly $2,000 today
    with pytest.raises(DailyRedemptionLimitError) as caught:
        account.add_funds(Decimal("0.01"), MON_9 + 2 * NS_PER_HOUR)
    assert caught.value.remaining == 0
    next_midnight = MON_9 - 9 * NS_PER_HOUR + NS_PER_DAY
    account.add_funds(Decimal(2000), next_midnight)
    assert account.balance == Decimal(4000)


def test_invalid_account_settings_name_the_value() -> None:
    with pytest.raises(InvalidPlanSettingError, match="'monthly'"):
        pro(weekly_reset="monthly")
    with pytest.raises(InvalidPlanSettingError, match="7"):
        pro(slot_weekday=7)
    with pytest.raises(InvalidPlanSettingError, match="-1"):
        pro().use(Decimal(-1), MON_9, "opus")

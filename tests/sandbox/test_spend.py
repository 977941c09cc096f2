"""Month-to-date spend and the organisation, workspace and tier-cap monthly limits."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from sandbox.clock import NS_PER_DAY, to_ns
from sandbox.money import ZERO
from sandbox.spend import (
    DefaultWorkspaceLimitError,
    InvalidSpendAmountError,
    LimitAboveTierCapError,
    SpendLimits,
    month_bounds,
)

NOV_10 = to_ns(datetime(2026, 11, 10, 12, tzinfo=UTC))
DEC_1 = to_ns(datetime(2026, 12, 1, tzinfo=UTC))
JAN_1 = to_ns(datetime(2027, 1, 1, tzinfo=UTC))
LAST_MS_OF_DEC = JAN_1 - 1_000_000  # 2026-12-31T23:59:59.999Z
CAP = Decimal(500)


def start_tier(org_limit: Decimal | None = None) -> SpendLimits:
    return SpendLimits(organization_limit=org_limit, tier_cap=CAP)


def test_org_limit_reached_exactly_rejects_with_400_and_the_reset_date() -> None:
    spend = start_tier(Decimal(100))
    spend.record("ws_a", Decimal(100), NOV_10)
    rejection = spend.check("ws_a", NOV_10, CAP)
    assert rejection is not None
    assert (rejection.status, rejection.error_type, rejection.reason) == (
        400,
        "invalid_request_error",
        "spend_limit",
    )
    assert rejection.message == (
        "You have reached your specified API usage limits. You will regain access on 2026-12-01 at 00:00 UTC."
    )
    assert rejection.details is None
    assert rejection.resets_at_ns == DEC_1


def test_one_cent_below_the_org_limit_is_served() -> None:
    spend = start_tier(Decimal(100))
    spend.record(None, Decimal("99.99"), NOV_10)
    assert spend.check(None, NOV_10, CAP) is None


def test_the_request_that_crosses_is_served_in_charge_after_mode() -> None:
    spend = start_tier(Decimal(100))
    spend.record(None, Decimal("99.99"), NOV_10)
    assert spend.check(None, NOV_10, CAP) is None
    spend.record(None, Decimal(5), NOV_10)
    assert spend.month_to_date(None, NOV_10) == Decimal("104.99")
    assert spend.check(None, NOV_10, CAP) is not None


def test_with_an_estimate_a_request_that_would_cross_is_rejected() -> None:
    spend = start_tier(Decimal(100))
    spend.record(None, Decimal(90), NOV_10)
    assert spend.check(None, NOV_10, CAP, estimate=Decimal("10.01")) is not None
    assert spend.check(None, NOV_10, CAP, estimate=Decimal(10)) is None  # lands exactly on the limit


def test_workspace_limit_rejects_with_its_own_400_message() -> None:
    spend = start_tier()
    spend.set_workspace_limit("wrkspc_exp", Decimal(60))
    spend.record("wrkspc_exp", Decimal(60), NOV_10)
    rejection = spend.check("wrkspc_exp", NOV_10, CAP)
    assert rejection is not None
    assert (rejection.status, rejection.reason) == (400, "workspace_spend_limit")
    assert rejection.message == (
        "You have reached your specified workspace API usage limits. "
        "You will regain access on 2026-12-01 at 00:00 UTC."
    )
    assert spend.check("wrkspc_other", NOV_10, CAP) is None
    assert spend.check(None, NOV_10, CAP) is None


def test_tier_cap_rejects_with_429_rate_limit_error_and_the_documented_message() -> None:
    spend = start_tier()
    spend.record("ws_a", Decimal(300), NOV_10)
    spend.record(None, Decimal(200), NOV_10)
    rejection = spend.check("ws_b", NOV_10, CAP)
    assert rejection is not None
    assert (rejection.status, rejection.error_type, rejection.reason) == (429, "rate_limit_error", "tier_cap")
    assert rejection.details == {"error_code": "enforced_spend_limit_reached"}
    assert rejection.message == (
        "You have reached your API usage limits: your organization has crossed its monthly API usage "
        "threshold, set based on your organization's API tier. "
        "You will regain access on 2026-12-01 at 00:00 UTC."
    )


def test_org_limit_is_checked_before_workspace_limit_before_tier_cap() -> None:
    spend = start_tier(Decimal(500))
    spend.set_workspace_limit("ws_a", Decimal(10))
    spend.record("ws_a", Decimal(500), NOV_10)
    first = spend.check("ws_a", NOV_10, CAP)
    assert first is not None and first.reason == "spend_limit"
    spend.set_organization_limit(None)
    second = spend.check("ws_a", NOV_10, CAP)
    assert second is not None and second.reason == "workspace_spend_limit"
    spend.set_workspace_limit("ws_a", None)
    third = spend.check("ws_a", NOV_10, CAP)
    assert third is not None and third.reason == "tier_cap"


def test_no_cap_custom_tier_never_rejects() -> None:
    spend = SpendLimits(organization_limit=None, tier_cap=None)
    spend.record(None, Decimal(10_000_000), NOV_10)
    assert spend.check(None, NOV_10, None) is None


def test_december_rejection_resets_on_january_first_of_next_year() -> None:
    spend = start_tier()
    spend.record(None, CAP, LAST_MS_OF_DEC)
    rejection = spend.check(None, LAST_MS_OF_DEC, CAP)
    assert rejection is not None
    assert rejection.resets_at_ns == JAN_1
    assert "regain access on 2027-01-01 at 00:00 UTC" in rejection.message
    assert spend.check(None, JAN_1, CAP) is None


def test_last_millisecond_of_december_still_belongs_to_december() -> None:
    spend = start_tier()
    spend.record("ws_a", Decimal(7), LAST_MS_OF_DEC)
    assert spend.month_to_date("ws_a", DEC_1) == Decimal(7)
    assert spend.month_to_date("ws_a", JAN_1) == ZERO


def test_a_charge_recorded_just_after_midnight_on_the_first_belongs_to_the_new_month() -> None:
    spend = start_tier()
    admitted_at = JAN_1 - 1  # admitted in December, charged (settled) one microsecond into January
    assert spend.check(None, admitted_at, CAP) is None
    spend.record(None, Decimal(3), JAN_1 + 1_000)
    assert spend.month_to_date(None, admitted_at) == ZERO
    assert spend.month_to_date(None, JAN_1) == Decimal(3)


def test_month_to_date_sums_workspaces_into_the_organisation() -> None:
    spend = start_tier()
    spend.record("ws_a", Decimal("1.25"), NOV_10)
    spend.record("ws_b", Decimal("2.50"), NOV_10 + NS_PER_DAY)
    spend.record(None, Decimal("0.25"), NOV_10)
    assert spend.month_to_date(None, NOV_10) == Decimal("4.00")
    assert spend.month_to_date("ws_a", NOV_10) == Decimal("1.25")


def test_a_late_record_for_an_earlier_month_does_not_touch_the_current_month() -> None:
    spend = start_tier()
    spend.record(None, Decimal(1), DEC_1)
    spend.record(None, Decimal(2), NOV_10)  # e.g. a clock jump backwards
    assert spend.month_to_date(None, DEC_1) == Decimal(1)
    assert spend.month_to_date(None, NOV_10) == Decimal(2)


def test_default_workspace_cannot_carry_a_limit() -> None:
    with pytest.raises(DefaultWorkspaceLimitError):
        start_tier().set_workspace_limit(None, Decimal(10))


def test_org_limit_above_the_tier_cap_is_refused_naming_both() -> None:
    with pytest.raises(LimitAboveTierCapError, match=r"500\.01.*500") as caught:
        start_tier(Decimal("500.01"))
    assert caught.value.limit == Decimal("500.01")
    start_tier(CAP)  # equal to the cap is allowed


def test_negative_amounts_are_refused_naming_the_value() -> None:
    spend = start_tier()
    with pytest.raises(InvalidSpendAmountError, match="-1"):
        spend.record(None, Decimal(-1), NOV_10)
    with pytest.raises(InvalidSpendAmountError, match="ws_a"):
        spend.set_workspace_limit("ws_a", Decimal("-0.01"))


@pytest.mark.parametrize(
    ("moment", "start", "end"),
    [
        (
            datetime(2026, 2, 28, 23, tzinfo=UTC),
            datetime(2026, 2, 1, tzinfo=UTC),
            datetime(2026, 3, 1, tzinfo=UTC),
        ),
        (
            datetime(2028, 2, 29, tzinfo=UTC),
            datetime(2028, 2, 1, tzinfo=UTC),
            datetime(2028, 3, 1, tzinfo=UTC),
        ),
        (
            datetime(2026, 12, 31, 23, tzinfo=UTC),
            datetime(2026, 12, 1, tzinfo=UTC),
            datetime(2027, 1, 1, tzinfo=UTC),
        ),
        (
            datetime(2027, 1, 1, tzinfo=UTC),
            datetime(2027, 1, 1, tzinfo=UTC),
            datetime(2027, 2, 1, tzinfo=UTC),
        ),
    ],
)
def test_month_bounds_are_half_open_utc_calendar_months(
    moment: datetime, start: datetime, end: datetime
) -> None:
    assert month_bounds(to_ns(moment)) == (to_ns(start), to_ns(end))

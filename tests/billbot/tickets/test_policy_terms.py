"""The balance-side clauses: SLA credit, credit expiry and its reminder, the liability cap, change notice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from billbot.tickets.catalog import load_profiles
from billbot.tickets.domain.terms import (
    change_effective_at,
    credit_expiry,
    expiry_reminder_at,
    liability_cap,
    sla_credit,
)

PROFILES = load_profiles()
CHEAP = PROFILES["claudeapi-cheap"]
COM = PROFILES["claudeapi-com"]
ANTHROPIC = PROFILES["anthropic"]
JUNE = date(2026, 6, 1)
SPEND = Decimal("1234.56")


@pytest.mark.parametrize(
    ("uptime", "met", "amount"),
    [
        (Decimal("100"), True, Decimal(0)),
        (Decimal("99.5"), True, Decimal(0)),  # exactly the target: not "below" it
        (Decimal("99.50"), True, Decimal(0)),
        (Decimal("99.4999"), False, Decimal("12.3456")),  # just below: 1% of the month's net spend, unrounded
        (Decimal("99.49"), False, Decimal("12.3456")),
        (Decimal("0"), False, Decimal("12.3456")),
    ],
)
def test_claudeapi_cheap_credits_1_percent_below_99_5(uptime: Decimal, met: bool, amount: Decimal) -> None:
    credit = sla_credit(CHEAP, JUNE, uptime, SPEND)
    assert credit is not None
    assert (credit.met, credit.amount) == (met, amount)
    assert credit.target == Decimal("99.5")
    assert isinstance(credit.amount, Decimal)


def test_the_sla_credit_is_automatic_and_for_pro_users_only() -> None:
    credit = sla_credit(CHEAP, JUNE, Decimal("98"), SPEND)
    assert credit is not None and credit.automatic and credit.pro_only


def test_no_spend_earns_no_credit() -> None:
    credit = sla_credit(CHEAP, JUNE, Decimal("90"), Decimal(0))
    assert credit is not None and credit.amount == 0 and not credit.met


@pytest.mark.parametrize(
    ("month_start", "month", "due_by"),
    [
        (date(2026, 6, 1), date(2026, 6, 1), date(2026, 7, 10)),
        (date(2026, 11, 1), date(2026, 11, 1), date(2026, 12, 10)),
        (date(2026, 12, 1), date(2026, 12, 1), date(2027, 1, 10)),  # across the year end
        (datetime(2026, 12, 17, 8, 0, tzinfo=UTC), date(2026, 12, 1), date(2027, 1, 10)),  # any moment of it
        # 20:00 on 31 December in New York is already January in UTC.
        (
            datetime(2026, 12, 31, 20, 0, tzinfo=timezone(timedelta(hours=-5))),
            date(2027, 1, 1),
            date(2027, 2, 10),
        ),
    ],
)
def test_the_credit_is_due_by_the_10th_of_the_next_month(
    month_start: date, month: date, due_by: date
) -> None:
    credit = sla_credit(CHEAP, month_start, Decimal("99"), SPEND)
    assert credit is not None
    assert (credit.month, credit.due_by) == (month, due_by)


@pytest.mark.parametrize("provider", ["anthropic", "claudeapi-com"])
def test_providers_without_an_sla_owe_no_sla_credit(provider: str) -> None:
    assert sla_credit(PROFILES[provider], JUNE, Decimal("50"), SPEND) is None


@pytest.mark.parametrize(
    ("uptime", "spend"), [(Decimal("100.01"), SPEND), (Decimal("-1"), SPEND), (Decimal("99"), Decimal("-5"))]
)
def test_impossible_sla_inputs_are_refused(uptime: Decimal, spend: Decimal) -> None:
    with pytest.raises(ValueError, match=r"uptime|negative"):
        sla_credit(CHEAP, JUNE, uptime, spend)


def test_the_sla_rates_read_as_fractions_for_the_uptime_arithmetic() -> None:
    assert CHEAP.sla is not None
    assert (CHEAP.sla.target_fraction, CHEAP.sla.rate) == (Decimal("0.995"), Decimal("0.01"))


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


@pytest.mark.parametrize(
    ("provider", "purchased", "last_topup", "promotional", "expires"),
    [
        # Anthropic: one year after purchase; later top-ups do not extend it; 29 February → 28 February.
        ("anthropic", at(2026, 3, 1, 10), None, False, at(2027, 3, 1, 10)),
        ("anthropic", at(2026, 3, 1, 10), at(2026, 12, 1), False, at(2027, 3, 1, 10)),
        ("anthropic", at(2028, 2, 29, 12), None, False, at(2029, 2, 28, 12)),
        ("anthropic", at(2027, 3, 1), None, False, at(2028, 3, 1)),  # a calendar year, not 365 days
        # claudeapi-com: 365 calendar days after the most recent top-up.
        ("claudeapi-com", at(2026, 1, 1), None, False, at(2027, 1, 1)),
        ("claudeapi-com", at(2026, 1, 1), at(2026, 6, 1), False, at(2027, 6, 1)),
        ("claudeapi-com", at(2027, 6, 1), None, False, at(2028, 5, 31)),  # 365 days, through 29 February
        (
            "claudeapi-com",
            at(2026, 6, 1),
            at(2026, 1, 1),
            False,
            at(2027, 6, 1),
        ),  # an older top-up changes nothing
        (
            "claudeapi-com",
            at(2026, 1, 1),
            at(2026, 6, 1),
            True,
            at(2027, 1, 1),
        ),  # gift credit is not extended
        # claudeapi-cheap: never.
        ("claudeapi-cheap", at(2026, 1, 1), at(2026, 6, 1), False, None),
        ("claudeapi-cheap", at(2020, 1, 1), None, True, None),
    ],
)
def test_credit_expiry_rules(
    provider: str,
    purchased: datetime,
    last_topup: datetime | None,
    promotional: bool,
    expires: datetime | None,
) -> None:
    assert credit_expiry(PROFILES[provider], purchased, last_topup, promotional=promotional) == expires


@pytest.mark.parametrize(
    ("provider", "expires", "reminder"),
    [
        ("claudeapi-com", at(2027, 6, 1), at(2027, 5, 2)),  # an email 30 days before
        ("anthropic", at(2027, 6, 1), None),  # no reminder promised
        ("claudeapi-cheap", None, None),
    ],
)
def test_expiry_reminder(provider: str, expires: datetime | None, reminder: datetime | None) -> None:
    assert expiry_reminder_at(PROFILES[provider], expires) == reminder


@pytest.mark.parametrize(
    ("fees", "cap"),
    [
        (Decimal("0"), Decimal("100")),
        (Decimal("40"), Decimal("100")),
        (Decimal("100"), Decimal("100")),
        (Decimal("250.50"), Decimal("250.50")),
    ],
)
def test_claudeapi_com_liability_is_the_larger_of_12_months_fees_and_100(fees: Decimal, cap: Decimal) -> None:
    assert liability_cap(COM, fees) == cap
    assert COM.liability is not None and COM.liability.months_of_fees == 12


@pytest.mark.parametrize("provider", ["anthropic", "claudeapi-cheap"])
def test_no_liability_cap_or_change_notice_where_none_is_stated(provider: str) -> None:
    assert liability_cap(PROFILES[provider], Decimal("10")) is None
    assert change_effective_at(PROFILES[provider], at(2026, 5, 10)) is None


def test_claudeapi_com_material_changes_take_effect_14_days_after_notice() -> None:
    assert change_effective_at(COM, at(2026, 5, 10, 9)) == at(2026, 5, 24, 9)

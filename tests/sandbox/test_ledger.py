"""Worked examples for the credit ledger and its expiry rules."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from sandbox.clock import NS_PER_DAY, to_ns
from sandbox.expiry import UnknownExpiryRule, expiry_rule
from sandbox.journal import (
    HoldAlreadyResolved,
    IdempotencyConflict,
    InsufficientCredit,
    InvalidAmount,
)
from sandbox.ledger import Ledger

D = Decimal
T0 = to_ns(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
YEAR = to_ns(datetime(2027, 3, 1, 12, 0, tzinfo=UTC)) - T0


def anthropic() -> Ledger:
    return Ledger(expiry_rule("one_year_after_purchase"))


def test_lot_usable_until_one_ns_before_its_anniversary_and_expired_at_it() -> None:
    ledger = anthropic()
    lot = ledger.grant("buy", D(10), T0)
    assert lot.expires_at_ns == T0 + YEAR
    assert ledger.balance(T0 + YEAR - 1) == D(10)
    assert ledger.balance(T0 + YEAR) == D(0)
    assert ledger.balance(T0 + YEAR + 1) == D(0)
    assert ledger.expired_lot_count(T0 + YEAR) == 1
    assert ledger.account_totals()["breakage"] == D(10)


def test_leap_day_purchase_expires_on_feb_28_never_later_than_a_year() -> None:
    granted = to_ns(datetime(2028, 2, 29, 9, 30, tzinfo=UTC))
    lot = anthropic().grant("buy", D(5), granted)
    assert lot.expires_at_ns == to_ns(datetime(2029, 2, 28, 9, 30, tzinfo=UTC))


def test_reseller_top_up_pushes_back_expiry_of_every_lot() -> None:
    ledger = Ledger(expiry_rule("days_after_last_topup", days=365))
    ledger.grant("first", D(10), T0)
    ledger.grant("second", D(5), T0 + 300 * NS_PER_DAY)
    assert ledger.balance(T0 + 365 * NS_PER_DAY) == D(15)
    assert ledger.balance(T0 + 665 * NS_PER_DAY - 1) == D(15)
    assert ledger.balance(T0 + 665 * NS_PER_DAY) == D(0)


def test_never_rule_keeps_credit_forever() -> None:
    ledger = Ledger(expiry_rule("never"))
    ledger.grant("buy", D(3), T0)
    assert ledger.balance(T0 + 100 * YEAR) == D(3)


def test_unknown_rule_name_is_a_typed_error_naming_it() -> None:
    with pytest.raises(UnknownExpiryRule, match="forever"):
        expiry_rule("forever")


def test_charges_draw_soonest_expiry_first() -> None:
    ledger = anthropic()
    soon = ledger.grant("soon", D(10), T0)
    late = ledger.grant("late", D(10), T0 + NS_PER_DAY)
    charge = ledger.charge("c", D(15), T0 + 2 * NS_PER_DAY)
    assert charge.drawn == ((soon.id, D(10)), (late.id, D(5)))


def test_hold_earmark_survives_lot_expiry_section_1_6_counterexample() -> None:
    ledger = anthropic()
    ledger.grant("topup", D(1), T0)
    at_hold = T0 + 21_024_000 * 10**9
    hold = ledger.hold("h", D(1), at_hold, at_hold + 400 * NS_PER_DAY)
    later = at_hold + 10_512_000 * 10**9  # past the lot's expiry
    assert ledger.available(later) == D(0)
    assert ledger.balance(later) == D(1)
    ledger.void("v", hold.id, later)
    assert ledger.balance(later) == D(0)
    assert ledger.account_totals()["breakage"] == D(1)


@pytest.mark.parametrize(("actual", "balance_after"), [("3", "7"), ("4", "6"), ("6", "4"), ("12", "-2")])
def test_settle_below_equal_and_above_the_hold(actual: str, balance_after: str) -> None:
    ledger = anthropic()
    ledger.grant("buy", D(10), T0)
    hold = ledger.hold("h", D(4), T0, T0 + NS_PER_DAY)
    charge = ledger.settle("s", hold.id, D(actual), T0 + 1)
    assert charge.amount == D(actual)
    assert ledger.balance(T0 + 1) == D(balance_after)
    assert ledger.available(T0 + 1) == D(balance_after)


def test_second_resolution_is_a_typed_error_naming_the_first_and_charges_once() -> None:
    ledger = anthropic()
    ledger.grant("buy", D(10), T0)
    hold = ledger.hold("h", D(4), T0, T0 + NS_PER_DAY)
    ledger.settle("s1", hold.id, D(4), T0)
    with pytest.raises(HoldAlreadyResolved) as error:
        ledger.void("v", hold.id, T0)
    assert error.value.resolution == "settled"
    with pytest.raises(HoldAlreadyResolved):
        ledger.settle("s2", hold.id, D(4), T0)
    assert ledger.balance(T0) == D(6)


def test_hold_expires_in_full_at_its_expiry_instant() -> None:
    ledger = anthropic()
    ledger.grant("buy", D(10), T0)
    hold = ledger.hold("h", D(4), T0, T0 + 100)
    assert ledger.available(T0 + 99) == D(6)
    assert ledger.available(T0 + 100) == D(10)
    with pytest.raises(HoldAlreadyResolved) as error:
        ledger.settle("s", hold.id, D(1), T0 + 100)
    assert error.value.resolution == "expired"


def test_hold_larger_than_available_is_refused() -> None:
    ledger = anthropic()
    ledger.grant("buy", D(10), T0)
    with pytest.raises(InsufficientCredit) as error:
        ledger.hold("h", D("10.01"), T0, T0 + 1)
    assert error.value.available == D(10)


def test_replayed_key_returns_first_result_and_changes_nothing() -> None:
    ledger = anthropic()
    ledger.grant("buy", D(10), T0)
    first = ledger.charge("c", D(3), T0, ref="req_1")
    again = ledger.charge("c", D(3), T0 + 5, ref="req_1")
    assert again == first
    assert ledger.balance(T0 + 5) == D(7)
    assert len(ledger.journal) == 2


def test_same_key_with_other_parameters_is_a_conflict() -> None:
    ledger = anthropic()
    ledger.grant("buy", D(10), T0)
    ledger.charge("c", D(3), T0)
    with pytest.raises(IdempotencyConflict):
        ledger.charge("c", D(4), T0)
    with pytest.raises(IdempotencyConflict):
        ledger.grant("c", D(3), T0)
    assert ledger.balance(T0) == D(7)


def test_clawback_after_spending_turns_the_spent_part_into_debt() -> None:
    ledger = anthropic()
    lot = ledger.grant("reload", D(10), T0, source="reload")
    ledger.charge("c", D(6), T0)
    clawed = ledger.clawback("cb", lot.id, T0 + 1)
    assert (clawed.removed, clawed.to_debt) == (D(4), D(6))
    assert ledger.balance(T0 + 1) == D(-6)


def test_charge_beyond_credit_is_debt_paid_first_by_the_next_grant() -> None:
    ledger = anthropic()
    ledger.grant("buy", D(1), T0)
    charge = ledger.charge("c", D("1.50"), T0)
    assert charge.to_debt == D("0.50")
    assert ledger.balance(T0) == D("-0.50")
    lot = ledger.grant("buy2", D(10), T0 + 1)
    assert lot.remaining == D("9.50")
    assert ledger.balance(T0 + 1) == D("9.50")


def test_backwards_clock_applies_at_latest_time_and_never_unexpires() -> None:
    ledger = anthropic()
    ledger.grant("buy", D(10), T0)
    assert ledger.balance(T0 + YEAR) == D(0)
    lot = ledger.grant("buy2", D(5), T0)  # the clock jumped back a year
    assert lot.granted_at_ns == T0 + YEAR
    assert ledger.balance(T0) == D(5)
    assert [entry.at_ns for entry in ledger.journal] == sorted(entry.at_ns for entry in ledger.journal)


@pytest.mark.parametrize("bad", [D(0), D(-1), D("NaN"), 1.5, 3])
def test_non_positive_or_non_decimal_amounts_are_refused_by_name(bad: object) -> None:
    ledger = anthropic()
    with pytest.raises(InvalidAmount, match=repr(bad).replace("(", r"\(").replace(")", r"\)")):
        ledger.grant("buy", bad, T0)  # type: ignore[arg-type]


def test_replay_of_the_journal_rebuilds_identical_state() -> None:
    ledger = anthropic()
    lot = ledger.grant("buy", D(10), T0)
    ledger.grant("promo", D(2), T0, kind="promotional", source="promo")
    hold = ledger.hold("h", D(3), T0, T0 + YEAR + 5)
    ledger.charge("c", D(8), T0 + 1)
    ledger.settle("s", hold.id, D(5), T0 + YEAR + 1)
    ledger.clawback("cb", lot.id, T0 + YEAR + 2)
    now = T0 + 2 * YEAR
    live = ledger.snapshot(now)
    rebuilt = Ledger.replay(ledger.journal, ledger.rule)
    assert rebuilt.snapshot(now) == live
    assert rebuilt.journal == ledger.journal


def test_every_journal_entry_balances() -> None:
    ledger = anthropic()
    ledger.grant("buy", D(1), T0)
    ledger.charge("c", D(3), T0)
    ledger.grant("buy2", D(5), T0)
    ledger.balance(T0 + YEAR)
    assert all(entry.total() == 0 for entry in ledger.journal)
    totals = ledger.account_totals()
    assert sum(totals.values()) == 0
    assert totals["credit"] + totals.get("holds", D(0)) + totals.get("debt", D(0)) == ledger.balance(
        T0 + YEAR
    )


def test_lot_expiring_before_its_hold_replays_identically_when_noticed_late() -> None:
    ledger = anthropic()
    ledger.grant("buy", D("0.05"), T0)
    ledger.hold("h", D("0.05"), T0 + 255 * NS_PER_DAY, T0 + YEAR + 1)
    ledger.balance(T0 + YEAR)  # lot expires first, fully earmarked
    ledger.balance(T0 + YEAR + NS_PER_DAY)  # then the hold expires: its earmark goes to breakage
    rebuilt = Ledger.replay(ledger.journal, ledger.rule)
    assert rebuilt.journal == ledger.journal
    assert ledger.account_totals()["breakage"] == D("0.05")

"""Worked examples for auto-reload and payment models."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest

from sandbox.clock import NS_PER_DAY, NS_PER_HOUR
from sandbox.expiry import expiry_rule
from sandbox.ledger import Ledger
from sandbox.payments import AlwaysSucceeds, DeclinesWithProbability, Scripted
from sandbox.reload import AutoReload, InvalidReloadSettings, ReloadSettings

D = Decimal
T0 = 1_800_000_000 * 10**9


def funded(amount: str) -> Ledger:
    ledger = Ledger(expiry_rule("one_year_after_purchase"))
    ledger.grant("opening", D(amount), T0)
    return ledger


def test_balance_below_minimum_reloads_up_to_target_as_a_purchase() -> None:
    ledger = funded("100")
    reload = AutoReload(ReloadSettings(minimum=D(50), target=D(200)), AlwaysSucceeds(), ledger)
    ledger.charge("c", D(60), T0)
    attempt = reload.check(T0)
    assert attempt is not None and attempt.succeeded and attempt.amount == D(160)
    assert ledger.balance(T0) == D(200)
    assert ledger.lots(T0)[-1].source == "reload"


def test_reload_to_target_buys_whole_cents_rounded_up() -> None:
    ledger = funded("100")
    reload = AutoReload(ReloadSettings(minimum=D(50), target=D(200)), AlwaysSucceeds(), ledger)
    ledger.charge("c", D("60.0031"), T0)
    attempt = reload.check(T0)
    assert attempt is not None and attempt.amount == D("160.01")
    assert ledger.balance(T0) == D("200.0069")


def test_balance_exactly_at_minimum_does_not_reload() -> None:
    ledger = funded("100")
    reload = AutoReload(ReloadSettings(minimum=D(50), target=D(200)), AlwaysSucceeds(), ledger)
    ledger.charge("c", D(50), T0)
    assert reload.check(T0) is None


def test_fixed_amount_profile_reloads_the_fixed_amount() -> None:
    ledger = funded("10")
    reload = AutoReload(ReloadSettings(minimum=D(5), fixed_amount=D(25)), AlwaysSucceeds(), ledger)
    ledger.charge("c", D(8), T0)
    reload.check(T0)
    assert ledger.balance(T0) == D(27)


def test_declined_reload_creates_no_credit_and_is_not_retried_until_rearmed() -> None:
    ledger = funded("10")
    payment = Scripted.from_names(["decline"], late_failure_after_ns=None)
    reload = AutoReload(ReloadSettings(minimum=D(5), target=D(20)), payment, ledger)
    ledger.charge("c1", D(6), T0)
    first = reload.check(T0)
    assert first is not None and first.declined and not first.succeeded
    assert ledger.balance(T0) == D(4)
    ledger.charge("c2", D(1), T0 + 1)
    assert reload.check(T0 + 1) is None
    ledger.grant("manual", D(10), T0 + 2)  # back above the minimum: re-armed
    assert reload.check(T0 + 2) is None
    ledger.charge("c3", D(10), T0 + 3)
    second = reload.check(T0 + 3)
    assert second is not None and second.succeeded
    assert len(reload.attempts) == 2


def test_late_failure_grants_then_claws_back_when_due() -> None:
    ledger = funded("10")
    payment = Scripted.from_names(["late_failure"], late_failure_after_ns=48 * NS_PER_HOUR)
    reload = AutoReload(ReloadSettings(minimum=D(5), target=D(20)), payment, ledger)
    ledger.charge("c1", D(6), T0)
    reload.check(T0)
    assert ledger.balance(T0) == D(20)
    ledger.charge("c2", D(10), T0 + NS_PER_HOUR)
    assert reload.process_due(T0 + 48 * NS_PER_HOUR - 1) == []
    done = reload.process_due(T0 + 48 * NS_PER_HOUR)
    assert [a.clawed_back for a in done] == [True]
    assert ledger.balance(T0 + 48 * NS_PER_HOUR) == D(-6)


def test_turned_off_reload_never_buys() -> None:
    ledger = funded("10")
    reload = AutoReload(None, AlwaysSucceeds(), ledger)
    ledger.charge("c", D(10), T0)
    assert reload.check(T0) is None
    reload.configure(ReloadSettings(minimum=D(5), target=D(20)))
    assert reload.check(T0) is not None


def test_settings_need_exactly_one_amount_rule_and_name_bad_values() -> None:
    with pytest.raises(InvalidReloadSettings):
        ReloadSettings(minimum=D(5))
    with pytest.raises(InvalidReloadSettings, match="target 5"):
        ReloadSettings(minimum=D(5), target=D(5))


def test_seeded_declines_repeat_exactly() -> None:
    first = DeclinesWithProbability(0.5, seed=7)
    second = DeclinesWithProbability(0.5, seed=7)
    runs = [[m.attempt(D(1), T0).status for _ in range(50)] for m in (first, second)]
    assert runs[0] == runs[1]
    assert {"declined", "succeeded"} == set(runs[0])


def test_many_threads_crossing_the_threshold_produce_exactly_one_reload() -> None:
    ledger = funded("100")
    reload = AutoReload(ReloadSettings(minimum=D(50), target=D(100)), AlwaysSucceeds(), ledger)
    lock = threading.Lock()
    start = threading.Barrier(20)

    def spend(number: int) -> None:
        start.wait()
        with lock:
            ledger.charge(f"c{number}", D(3), T0 + NS_PER_DAY)
            reload.check(T0 + NS_PER_DAY)

    threads = [threading.Thread(target=spend, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(reload.attempts) == 1
    assert ledger.balance(T0 + NS_PER_DAY) == D(91)

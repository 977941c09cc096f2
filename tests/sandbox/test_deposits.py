"""I-14, the historic deposit cap: "you cannot deposit more than your monthly spend limit".

Worked examples at the boundary, for top-ups, auto-reloads, month rollover and tiers without a cap,
then a stateful property: whatever is bought, each month's deposits stay within the cap.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from sandbox.build import Simulation, build_simulation
from sandbox.clock import NS_PER_HOUR, to_ns
from sandbox.deposits import DepositLimitExceeded
from sandbox.reload import DEPOSIT_LIMIT
from sandbox.scenario import parse_scenario
from sandbox.spend import month_bounds
from tests.sandbox.conftest import HISTORIC


def _historic(extra: str = "", tier: str = "Tier 1") -> Simulation:
    text = HISTORIC.replace('tier = "Tier 1"', f'tier = "{tier}"') + extra
    return build_simulation(parse_scenario(text, source="historic.toml"), seed=0)


def _now(sim: Simulation) -> int:
    return sim.clock.now_ns()


def test_deposits_up_to_the_monthly_limit_are_accepted_exactly_at_it() -> None:
    sim = _historic()  # Tier 1: $100 a month
    sim.world.top_up("a", Decimal("60"))
    sim.world.top_up("b", Decimal("40"))  # lands exactly on the cap: accepted
    assert sim.world.ledger.balance(_now(sim)) == Decimal("100")
    assert sim.world.deposits is not None and sim.world.deposits.allowance(_now(sim)) == Decimal(0)


def test_a_deposit_above_the_allowance_is_refused_and_changes_nothing() -> None:
    sim = _historic()
    sim.world.top_up("a", Decimal("60"))
    journal = len(sim.world.ledger.journal)
    with pytest.raises(DepositLimitExceeded) as refused:
        sim.world.top_up("b", Decimal("40.01"))
    assert "monthly spend limit of $100" in str(refused.value)
    assert "$60 deposited this month, at most $40 more until 2026-02-01 00:00 UTC" in str(refused.value)
    assert len(sim.world.ledger.journal) == journal
    assert sim.world.ledger.balance(_now(sim)) == Decimal("60")


def test_a_replayed_top_up_is_not_counted_twice() -> None:
    sim = _historic()
    sim.world.top_up("same", Decimal("70"))
    sim.world.top_up("same", Decimal("70"))  # idempotent: nothing more bought
    sim.world.top_up("other", Decimal("30"))
    assert sim.world.ledger.balance(_now(sim)) == Decimal("100")


def test_the_allowance_renews_at_the_first_of_the_next_month_utc() -> None:
    sim = _historic()
    sim.world.top_up("january", Decimal("100"))
    february = to_ns(datetime(2026, 2, 1, tzinfo=UTC))
    sim.clock.advance_to(february - 1)
    with pytest.raises(DepositLimitExceeded):
        sim.world.top_up("too-early", Decimal("1"))
    sim.clock.advance_to(february)
    sim.world.top_up("february", Decimal("100"))
    assert sim.world.ledger.balance(_now(sim)) == Decimal("200")


def test_a_reload_above_the_allowance_is_declined_without_charging_the_card() -> None:
    reload = '\n[auto_reload]\nminimum = "10"\ntarget = "80"\n'
    sim = _historic(reload)
    sim.world.top_up("first", Decimal("50"))  # no reload: the balance is above the minimum
    sim.world.ledger.charge("spent", Decimal("45"), _now(sim))
    sim.world.reload.check(_now(sim))  # balance 5: a reload of 75 would make deposits 125 > 100
    attempt = sim.world.reload.attempts[-1]
    assert attempt.declined and attempt.outcome.reason == DEPOSIT_LIMIT
    assert sim.world.ledger.balance(_now(sim)) == Decimal("5")


def test_a_reload_within_the_allowance_counts_as_a_deposit() -> None:
    reload = '\n[auto_reload]\nminimum = "10"\ntarget = "40"\n'
    sim = _historic(reload)
    sim.world.top_up("first", Decimal("20"))
    sim.world.ledger.charge("spent", Decimal("15"), _now(sim))
    sim.world.reload.check(_now(sim))  # reload 35: deposits 55
    assert sim.world.reload.attempts[-1].succeeded
    assert sim.world.deposits is not None
    assert sim.world.deposits.deposited(_now(sim)) == Decimal("55")


def test_the_cap_follows_the_tier() -> None:
    sim = _historic()
    sim.world.set_tier("Tier 2")  # $500 a month
    sim.world.top_up("big", Decimal("500"))
    with pytest.raises(DepositLimitExceeded):
        sim.world.top_up("more", Decimal("0.01"))


def test_current_tiers_have_no_deposit_cap() -> None:
    text = HISTORIC.replace('tier_profile = "historic"\ntier = "Tier 1"', 'tier = "Start"').replace(
        "claude-sonnet-4-5", "claude-sonnet-5"
    )
    sim = build_simulation(parse_scenario(text, source="current.toml"), seed=0)
    sim.world.top_up("a", Decimal("10000"))  # Start caps spend at $500, not purchases
    assert sim.world.deposits is None


def test_a_scheduled_top_up_above_the_cap_is_kept_as_refused_and_the_run_goes_on() -> None:
    extra = '\n[credits]\ntopups = [{ amount = "80", day = 0.5 }, { amount = "80", day = 1 }]\n'
    sim = _historic(extra)
    sim.run(2)
    assert sim.world.ledger.balance(_now(sim)) == Decimal("80")
    assert [refusal.amount for refusal in sim.world.refused_deposits] == [Decimal("80")]


amounts = st.integers(min_value=1, max_value=6_000).map(lambda cents: Decimal(cents).scaleb(-2))


class DepositMachine(RuleBasedStateMachine):
    """Top-ups, spending that triggers auto-reload, and time over month boundaries (Tier 1, $100)."""

    def __init__(self) -> None:
        super().__init__()
        self.sim = _historic('\n[auto_reload]\nminimum = "5"\ntarget = "30"\n')
        self.keys = 0

    def _now(self) -> int:
        return self.sim.clock.now_ns()

    @rule(amount=amounts)
    def top_up(self, amount: Decimal) -> None:
        world = self.sim.world
        assert world.deposits is not None
        before, journal = world.deposits.deposited(self._now()), len(world.ledger.journal)
        self.keys += 1
        try:
            world.top_up(f"topup-{self.keys}", amount)
        except DepositLimitExceeded:
            assert before + amount > Decimal(100)  # refused only above the cap
            assert len(world.ledger.journal) == journal  # and a refusal changes nothing
            return
        assert before + amount <= Decimal(100)

    @rule(amount=amounts)
    def spend(self, amount: Decimal) -> None:
        self.keys += 1
        self.sim.world.ledger.charge(f"spend-{self.keys}", amount, self._now())
        self.sim.world.reload.check(self._now())

    @rule(hours=st.integers(min_value=1, max_value=24 * 12))
    def advance(self, hours: int) -> None:
        self.sim.clock.advance(hours * NS_PER_HOUR)

    @invariant()
    def deposits_per_month_stay_within_the_limit(self) -> None:  # I-14
        by_month: dict[int, Decimal] = {}
        for entry in self.sim.world.ledger.journal:
            if entry.op == "grant" and entry.source in ("topup", "reload") and entry.amount is not None:
                month = month_bounds(entry.at_ns)[0]
                by_month[month] = by_month.get(month, Decimal(0)) + entry.amount
        assert all(total <= Decimal(100) for total in by_month.values()), by_month


TestDeposits = DepositMachine.TestCase
TestDeposits.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)

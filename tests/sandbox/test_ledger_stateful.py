"""Hypothesis state machines checking the ledger invariants (docs/SANDBOX-ENGINE.md) after every step.

LedgerMachine: I-1 double entry, I-2 balance = lots = journal, I-3 lot bounds, I-4 holds within credit
(across lot expiry), I-5 one resolution, I-6 settle above the hold charges the excess, I-7 hold expiry
in full on simulated time, I-8 draw order, I-9 expiry instant, I-10 idempotency (replay and conflict),
I-12 replay, I-16 Decimal money. ReloadMachine: I-11. I-13 is in test_spend_stateful, I-15 in
test_simulate, I-14 (the historic deposit cap) in test_deposits.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from sandbox.clock import NS_PER_DAY
from sandbox.expiry import expiry_rule
from sandbox.journal import HoldAlreadyResolved, IdempotencyConflict, InsufficientCredit
from sandbox.ledger import Ledger
from sandbox.payments import DeclinesWithProbability
from sandbox.reload import AutoReload, ReloadSettings

T0 = 1_800_000_000 * 10**9
CI = settings(derandomize=True, max_examples=120, stateful_step_count=40, deadline=None)
cents = st.integers(min_value=1, max_value=5_000).map(lambda c: Decimal(c) / 100)
days = st.integers(min_value=0, max_value=200).map(lambda d: d * NS_PER_DAY)


class LedgerMachine(RuleBasedStateMachine):
    """Random top-ups, charges, holds, resolutions, retries, clawbacks and time jumps."""

    def __init__(self) -> None:
        super().__init__()
        self.ledger = Ledger(expiry_rule("one_year_after_purchase"))
        self.now = T0
        self.n = 0
        self.holds: list[str] = []
        self.lots: list[str] = []
        self.last: tuple[str, Decimal, object] | None = None
        self.charged = Decimal(0)

    def key(self) -> str:
        self.n += 1
        return f"k{self.n}"

    @rule(amount=cents)
    def topup(self, amount: Decimal) -> None:
        key = self.key()
        self.lots.append(self.ledger.grant(key, amount, self.now).id)

    @rule(amount=cents)
    def charge(self, amount: Decimal) -> None:
        key = self.key()
        result = self.ledger.charge(key, amount, self.now, ref=key)
        self.last = (key, amount, result)
        self.charged += amount

    @rule(amount=cents, lifetime=days)
    def hold(self, amount: Decimal, lifetime: int) -> None:
        try:
            self.holds.append(self.ledger.hold(self.key(), amount, self.now, self.now + lifetime + 1).id)
        except InsufficientCredit as error:
            assert amount > error.available

    @precondition(lambda self: self.holds)
    @rule(index=st.integers(min_value=0), factor=st.integers(min_value=0, max_value=200))
    def settle(self, index: int, factor: int) -> None:
        hold_id = self.holds[index % len(self.holds)]
        held = self.ledger.hold_of(hold_id).amount
        before = self.ledger.balance(self.now)
        try:
            charge = self.ledger.settle(self.key(), hold_id, held * factor / 100, self.now)
        except HoldAlreadyResolved:
            assert self.ledger.balance(self.now) == before  # I-5: never a second charge
            return
        assert charge.amount == held * factor / 100  # I-6: never a silent cap
        self.charged += charge.amount

    @precondition(lambda self: self.holds)
    @rule(index=st.integers(min_value=0))
    def void(self, index: int) -> None:
        hold_id = self.holds[index % len(self.holds)]
        try:
            voided = self.ledger.void(self.key(), hold_id, self.now)
        except HoldAlreadyResolved as error:
            assert error.resolution == self.ledger.hold_of(hold_id).status != "open"
            return
        assert voided.status == "voided"

    @rule(delta=days)
    def advance(self, delta: int) -> None:
        due = [hold for hold in self.ledger.open_holds() if hold.expires_at_ns <= self.now + delta]
        self.now += delta
        self.ledger.expire(self.now)
        released = {e.target: e.amount for e in self.ledger.journal if e.op == "expire_hold"}
        for hold in due:  # I-7: a due hold is released in full, by simulated time alone
            assert self.ledger.hold_of(hold.id).status == "expired"
            assert released[hold.id] == hold.amount

    @precondition(lambda self: self.last is not None)
    @rule(extra=cents)
    def reuse_key_with_other_amount(self, extra: Decimal) -> None:
        assert self.last is not None
        key, amount, _ = self.last
        before = self.ledger.snapshot(self.now)
        try:
            self.ledger.charge(key, amount + extra, self.now, ref=key)
        except IdempotencyConflict as error:  # I-10: the same key with other parameters
            assert error.key == key
        else:
            raise AssertionError("a reused key with another amount was accepted")
        assert self.ledger.snapshot(self.now) == before

    @precondition(lambda self: self.last is not None)
    @rule()
    def retry_last(self) -> None:
        assert self.last is not None
        key, amount, first = self.last
        before = self.ledger.snapshot(self.now)
        assert self.ledger.charge(key, amount, self.now, ref=key) == first  # I-10
        assert self.ledger.snapshot(self.now) == before

    @precondition(lambda self: self.lots)
    @rule(index=st.integers(min_value=0))
    def clawback(self, index: int) -> None:
        lot_id = self.lots.pop(index % len(self.lots))
        self.ledger.clawback(self.key(), lot_id, self.now)

    @invariant()
    def double_entry_balances(self) -> None:  # I-1
        assert all(entry.total() == 0 for entry in self.ledger.journal)

    @invariant()
    def balance_matches_lots_and_journal(self) -> None:  # I-2
        balance = self.ledger.balance(self.now)
        snapshot = self.ledger.snapshot(self.now)
        assert balance == sum((lot.remaining for lot in snapshot.lots), Decimal(0)) - snapshot.debt
        totals = self.ledger.account_totals()
        assert balance == sum((totals.get(a, Decimal(0)) for a in ("credit", "holds", "debt")), Decimal(0))
        assert totals.get("revenue", Decimal(0)) == self.charged

    @invariant()
    def lots_within_bounds(self) -> None:  # I-3
        for lot in self.ledger.snapshot(self.now).lots:
            assert Decimal(0) <= lot.earmarked <= lot.remaining <= lot.original

    @invariant()
    def holds_within_credit(self) -> None:  # I-4 (debt may exist; holds never exceed what lots hold)
        open_total = sum((hold.amount for hold in self.ledger.open_holds()), Decimal(0))
        lots_total = sum((lot.remaining for lot in self.ledger.lots(self.now)), Decimal(0))
        assert open_total <= lots_total

    @invariant()
    def holds_open_only_before_expiry(self) -> None:  # I-7
        self.ledger.balance(self.now)
        assert all(self.now < hold.expires_at_ns for hold in self.ledger.open_holds())

    @invariant()
    def lots_drawn_in_declared_order(self) -> None:  # I-8
        lots = self.ledger.lots(self.now)
        keys = [(lot.expires_at_ns or 1 << 80) for lot in lots]
        assert keys == sorted(keys)

    @invariant()
    def no_usable_lot_past_expiry(self) -> None:  # I-9
        for lot in self.ledger.lots(self.now):
            if lot.expires_at_ns is not None and self.now >= lot.expires_at_ns and not lot.clawed_back:
                assert lot.remaining == lot.earmarked

    @invariant()
    def replay_reproduces_state(self) -> None:  # I-12, I-16
        live = self.ledger.snapshot(self.now)
        rebuilt = Ledger.replay(self.ledger.journal, self.ledger.rule)
        assert rebuilt.snapshot(self.now) == live
        assert all(isinstance(e.amount, Decimal | None) for e in self.ledger.journal)


class ReloadMachine(RuleBasedStateMachine):
    """Charges and top-ups with auto-reload paying through a seeded declining card (I-11)."""

    def __init__(self) -> None:
        super().__init__()
        self.ledger = Ledger(expiry_rule("one_year_after_purchase"))
        self.ledger.grant("opening", Decimal(100), T0)
        self.reload = AutoReload(
            ReloadSettings(minimum=Decimal(20), target=Decimal(100)),
            DeclinesWithProbability(0.4, seed=3),
            self.ledger,
        )
        self.now = T0
        self.n = 0
        self.crossings = 0
        self.below = False

    def observe(self) -> None:
        below = self.ledger.balance(self.now) < Decimal(20)
        attempts = len(self.reload.attempts)
        self.reload.check(self.now)
        if below and not self.below:
            self.crossings += 1
        if len(self.reload.attempts) > attempts:
            assert below
        self.below = self.ledger.balance(self.now) < Decimal(20)

    @rule(amount=cents)
    def charge(self, amount: Decimal) -> None:
        self.n += 1
        self.ledger.charge(f"c{self.n}", amount * 4, self.now)
        self.observe()

    @rule(amount=cents)
    def topup(self, amount: Decimal) -> None:
        self.n += 1
        self.ledger.grant(f"t{self.n}", amount * 4, self.now)
        self.observe()

    @rule(delta=days)
    def advance(self, delta: int) -> None:
        self.now += delta
        self.observe()

    @invariant()
    def at_most_one_reload_per_crossing(self) -> None:  # I-11
        assert len(self.reload.attempts) <= self.crossings

    @invariant()
    def declined_reloads_create_no_lot(self) -> None:  # I-11
        reload_lots = [lot for lot in self.ledger.snapshot(self.now).lots if lot.source == "reload"]
        succeeded = [a for a in self.reload.attempts if a.succeeded]
        assert len(reload_lots) == len(succeeded)
        assert all(a.lot_id is None for a in self.reload.attempts if a.declined)


TestLedgerMachine = LedgerMachine.TestCase
TestLedgerMachine.settings = CI
TestReloadMachine = ReloadMachine.TestCase
TestReloadMachine.settings = CI

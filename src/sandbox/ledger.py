"""The prepaid-credit ledger: lots, holds, charges and debt, derived from an append-only journal.

Every operation takes an idempotency key and the simulated time, first expires whatever is due (so
state is always as of now), then appends exactly one double-entry journal entry (see `journal`).
`Ledger.replay(journal, rule)` rebuilds identical state.

Rules:
- Expiry: a lot is usable while `now < expires_at`; at `now >= expires_at` its free remainder goes to
  breakage. A hold is open while `now < expires_at_ns`; at `now >= expires_at_ns` it is released in full.
  Due holds and lots expire in order of their expiry instants (a hold before a lot on a tie), even
  when noticed later, so replay gives the same journal.
- Draw order: soonest expiry first, never-expiring lots last, ties by grant order.
- Holds earmark specific lots (the sandbox's rule): an earmarked amount does not expire
  while its hold is open; when the hold resolves, the released part of a lot that expired meanwhile
  goes to breakage at that moment. A hold may take at most `available` (else `InsufficientCredit`).
- Settle: `actual <= held` charges `actual` and releases the rest; `actual > held` charges the held
  amount plus the excess from the balance, which may go negative (debt). Never a silent cap.
  `actual` may be zero (a settle that charges nothing, like a void).
- A hold resolves once; a second settle/void (under another key) raises `HoldAlreadyResolved` with
  how it resolved ("settled", "voided", "expired").
- Charges never fail for lack of credit: what the lots do not cover becomes debt, and the next grant
  pays debt first (that lot starts with `remaining = amount - debt paid`).
- Clawback (a payment failed after its credit was granted): the lot's free remainder is removed; what
  had been consumed from it (spent or used to pay debt, not what expired) becomes debt. An earmarked
  part stays with its hold; at resolution its released part is removed and its charged part is debt.
- Idempotency: a key replayed with the same operation and parameters (time excluded) returns the first
  result and changes nothing; with other parameters it raises `IdempotencyConflict`. A call that
  raised stores nothing, so it may be retried.
- Clock faults: an operation earlier than the latest time seen is applied at the latest time seen,
  so nothing un-expires and the journal's times never go backwards.
- "days_after_last_topup": a top-up (source "topup" or "reload") moves every unexpired lot's expiry to
  the new lot's; other grants take the last top-up's expiry if it is still ahead, else `days` from now.
- `expired_lot_count` counts lots of which some amount went to breakage.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from sandbox.expiry import ExpiryRule
from sandbox.journal import (
    BREAKAGE,
    CREDIT,
    DEBT,
    HOLDS,
    REVENUE,
    WORLD,
    Charge,
    Clawback,
    Expiry,
    Hold,
    HoldAlreadyResolved,
    IdempotencyConflict,
    InsufficientCredit,
    InvalidAmount,
    InvalidHoldExpiry,
    InvalidLotLabel,
    JournalEntry,
    LotAlreadyClawedBack,
    Operation,
    Posting,
    PostingSet,
    UnknownHold,
    UnknownLot,
)
from sandbox.lots import (
    LOT_KINDS,
    LOT_SOURCES,
    NEVER_NS,
    TOPUP_SOURCES,
    Draws,
    HoldState,
    Lot,
    LotBook,
    LotKind,
    LotSource,
    LotState,
)
from sandbox.money import ZERO

_Signature = tuple[object, ...]
# A usage charge as the hot path keeps it until someone reads it: the journal entry's
# (seq, at_ns, key, postings, amount, ref), postings None when the lots covered it, and the `Charge`
# result's (key, amount, at_ns, drawn, to_debt, ref). Building the two frozen objects per request cost
# more than the charge itself.
_ChargeRow = tuple[int, int, str, tuple[Posting, ...] | None, Decimal, str]
_ChargeArgs = tuple[str, Decimal, int, Draws, Decimal, str]


@dataclass(frozen=True, slots=True)
class LedgerSnapshot:
    """The whole ledger state at a moment, comparable with `==`."""

    at_ns: int
    balance: Decimal
    available: Decimal
    debt: Decimal
    lots: tuple[Lot, ...]
    holds: tuple[Hold, ...]
    journal_length: int
    keys: frozenset[str]


def _check_amount(amount: object, *, allow_zero: bool = False) -> None:
    if not isinstance(amount, Decimal) or not amount.is_finite() or amount < 0:
        raise InvalidAmount(amount, allow_zero=allow_zero)
    if not amount and not allow_zero:
        raise InvalidAmount(amount)


class Ledger:
    """Prepaid credit for one organisation: grants, charges, holds, clawbacks and expiry."""

    __slots__ = ("_book", "_built", "_journal", "_now", "_results", "_rule", "_topup_expiry")

    def __init__(self, rule: ExpiryRule) -> None:
        self._rule = rule
        self._book = LotBook()
        self._journal: list[JournalEntry | _ChargeRow] = []
        self._built = 0  # entries before this index are all `JournalEntry` (see `_entries`)
        self._results: dict[str, tuple[_Signature, object]] = {}
        self._now = -NEVER_NS
        self._topup_expiry: int | None = None

    # -- queries -------------------------------------------------------------------------------

    @property
    def rule(self) -> ExpiryRule:
        """The expiry rule lots follow."""
        return self._rule

    @property
    def journal(self) -> tuple[JournalEntry, ...]:
        """Every entry so far, oldest first."""
        return tuple(self._entries())

    def balance(self, now_ns: int) -> Decimal:
        """Lots remaining (earmarked included) minus debt, as of `now_ns`."""
        self._advance(now_ns)
        return self._book.credit - self._book.debt

    def available(self, now_ns: int) -> Decimal:
        """Balance minus open holds: what a new hold could take."""
        self._advance(now_ns)
        book = self._book
        return book.credit - book.debt - book.held

    def debt(self, now_ns: int) -> Decimal:
        """What is owed (charges the lots did not cover, clawed-back spending), as of `now_ns`."""
        self._advance(now_ns)
        return self._book.debt

    def lots(self, now_ns: int) -> tuple[Lot, ...]:
        """Lots with something left, in draw order."""
        self._advance(now_ns)
        return tuple(lot.view() for lot in self._book.live)

    def open_holds(self) -> tuple[Hold, ...]:
        """Holds not yet settled, voided or expired (as of the latest time seen)."""
        return tuple(hold.view() for hold in self._book.open.values())

    def hold_of(self, hold_id: str) -> Hold:
        """The current view of any hold, open or resolved."""
        hold = self._book.holds.get(hold_id)
        if hold is None:
            raise UnknownHold(hold_id)
        return hold.view()

    def knows(self, key: str) -> bool:
        """Whether an operation under this idempotency key was applied (a replay would change nothing)."""
        return key in self._results

    def expired_lot_count(self, now_ns: int) -> int:
        """Lots of which some amount has expired to breakage."""
        self._advance(now_ns)
        return sum(1 for lot in self._book.lot_by_id.values() if lot.expired)

    def account_totals(self) -> dict[str, Decimal]:
        """Each account's total, summed from the journal alone."""
        totals: dict[str, Decimal] = {}
        for entry in self._entries():
            for account, amount in entry.postings:
                totals[account] = totals.get(account, ZERO) + amount
        return totals

    def snapshot(self, now_ns: int) -> LedgerSnapshot:
        """The whole state as of `now_ns`."""
        now = self._advance(now_ns)
        book = self._book
        return LedgerSnapshot(
            at_ns=now,
            balance=book.credit - book.debt,
            available=book.credit - book.debt - book.held,
            debt=book.debt,
            lots=tuple(lot.view() for lot in book.lot_by_id.values()),
            holds=tuple(hold.view() for hold in book.holds.values()),
            journal_length=len(self._journal),
            keys=frozenset(self._results),
        )

    # -- operations ----------------------------------------------------------------------------

    def grant(
        self, key: str, amount: Decimal, now_ns: int, kind: LotKind = "purchased", source: LotSource = "topup"
    ) -> Lot:
        """Add a lot of credit (paying any debt first)."""
        signature: _Signature = ("grant", amount, kind, source)
        if key in self._results:
            return cast(Lot, self._first_result(key, signature))
        _check_amount(amount)
        if kind not in LOT_KINDS:
            raise InvalidLotLabel("kind", kind)
        if source not in LOT_SOURCES:
            raise InvalidLotLabel("source", source)
        now = self._advance(now_ns)
        book = self._book
        paid_debt = min(book.debt, amount)
        book.debt -= paid_debt
        number = len(book.lot_by_id)
        lot = LotState(
            f"lot_{number + 1:06d}", number, kind, source, amount, amount - paid_debt, now,
            self._expiry_for_grant(source, now),
        )  # fmt: skip
        book.add_lot(lot, push_back_all=self._rule.topup_pushes_back_all and source in TOPUP_SOURCES)
        pset = PostingSet()
        pset.move(WORLD, DEBT, paid_debt)
        pset.move(WORLD, CREDIT, lot.remaining)
        self._append("grant", key, now, pset.postings(), amount, lot.id, kind=kind, source=source)
        return cast(Lot, self._remember(key, signature, lot.view()))

    def charge(self, key: str, amount: Decimal, now_ns: int, ref: str = "") -> Charge:
        """Charge usage: draw lots in order; what they do not cover becomes debt."""
        self.charge_usage(key, amount, now_ns, ref)  # one path, so the ledger's tests cover the world's
        return cast(Charge, self._first_result(key, ("charge", amount, ref)))

    def charge_usage(self, key: str, amount: Decimal, now_ns: int, ref: str = "") -> None:
        """`charge` without its result: the world's hot path, which never reads it.

        The state change, journal and idempotency are the same; the `Charge` a replay of `key` returns
        and the journal entry are built when first read.
        """
        signature: _Signature = ("charge", amount, ref)
        results = self._results
        if key in results:
            self._first_result(key, signature)  # a replay changes nothing; other parameters raise
            return
        book = self._book
        live = book.live
        # Nearly every usage charge: time not behind, nothing falling due, a valid amount that the
        # first lot's free credit covers with some left. The same change as `_charge`, in fewer steps.
        if (
            live
            and self._now <= now_ns < book.next_due
            and type(amount) is Decimal
            and amount.is_finite()
            and amount > ZERO
        ):
            lot = live[0]
            if lot.remaining - lot.earmarked > amount and not (lot.is_expired or lot.clawed_back):
                self._now = now_ns
                lot.remaining -= amount
                book.credit -= amount
                journal = self._journal
                journal.append((len(journal), now_ns, key, None, amount, ref))
                results[key] = (signature, (key, amount, now_ns, ((lot.id, amount),), ZERO, ref))
                return
        self._charge(key, amount, now_ns, ref, signature)

    def _charge(self, key: str, amount: Decimal, now_ns: int, ref: str, signature: _Signature) -> None:
        _check_amount(amount)
        now = self._advance(now_ns)
        drawn, to_debt = self._book.draw(amount)
        postings: tuple[Posting, ...] | None = None  # None: the lots covered it (built when read)
        if to_debt:
            pset = PostingSet()
            pset.move(CREDIT, REVENUE, amount - to_debt)
            pset.move(DEBT, REVENUE, to_debt)
            postings = pset.postings()
        journal = self._journal
        journal.append((len(journal), now, key, postings, amount, ref))
        charge_args: _ChargeArgs = (key, amount, now, drawn, to_debt, ref)
        self._results[key] = (signature, charge_args)

    def hold(self, key: str, amount: Decimal, now_ns: int, expires_at_ns: int) -> Hold:
        """Earmark `amount` (at most `available`) on specific lots until settled, voided or expired."""
        signature: _Signature = ("hold", amount, expires_at_ns)
        if key in self._results:
            return cast(Hold, self._first_result(key, signature))
        _check_amount(amount)
        now = self._advance(now_ns)
        if expires_at_ns <= now:
            raise InvalidHoldExpiry(expires_at_ns, now)
        book = self._book
        available = book.credit - book.debt - book.held
        if amount > available:
            raise InsufficientCredit(amount, available)
        hold = HoldState(f"hold_{len(book.holds) + 1:06d}", amount, now, expires_at_ns)
        book.earmark(hold)
        pset = PostingSet()
        pset.move(CREDIT, HOLDS, amount)
        self._append("hold", key, now, pset.postings(), amount, hold.id, expires_at_ns=expires_at_ns)
        return cast(Hold, self._remember(key, signature, hold.view()))

    def settle(self, key: str, hold_id: str, actual: Decimal, now_ns: int) -> Charge:
        """Resolve a hold by charging `actual` (the excess over the hold from the balance)."""
        signature: _Signature = ("settle", hold_id, actual)
        if key in self._results:
            return cast(Charge, self._first_result(key, signature))
        _check_amount(actual, allow_zero=True)
        now = self._advance(now_ns)
        hold = self._open_hold(hold_id)
        pset = PostingSet()
        from_hold = min(actual, hold.amount)
        drawn = self._book.resolve(hold, from_hold, pset, "settled", now)
        excess = actual - from_hold
        more: Draws = ()
        to_debt = ZERO
        if excess:
            more, to_debt = self._book.draw(excess)
            pset.move(CREDIT, REVENUE, excess - to_debt)
            pset.move(DEBT, REVENUE, to_debt)
        self._append("settle", key, now, pset.postings(), actual, hold_id)
        result = Charge(key, actual, now, drawn + more, to_debt, hold_id=hold_id)
        return cast(Charge, self._remember(key, signature, result))

    def void(self, key: str, hold_id: str, now_ns: int) -> Hold:
        """Resolve a hold by releasing all of it."""
        signature: _Signature = ("void", hold_id)
        if key in self._results:
            return cast(Hold, self._first_result(key, signature))
        now = self._advance(now_ns)
        hold = self._open_hold(hold_id)
        pset = PostingSet()
        self._book.resolve(hold, ZERO, pset, "voided", now)
        self._append("void", key, now, pset.postings(), hold.amount, hold_id)
        return cast(Hold, self._remember(key, signature, hold.view()))

    def clawback(self, key: str, lot_id: str, now_ns: int) -> Clawback:
        """Take back a lot whose payment failed: remove what is left, make what was consumed debt."""
        signature: _Signature = ("clawback", lot_id)
        if key in self._results:
            return cast(Clawback, self._first_result(key, signature))
        now = self._advance(now_ns)
        lot = self._book.lot_by_id.get(lot_id)
        if lot is None:
            raise UnknownLot(lot_id)
        if lot.clawed_back:
            raise LotAlreadyClawedBack(lot_id)
        removed, consumed = self._book.claw(lot)
        pset = PostingSet()
        pset.move(CREDIT, WORLD, removed)
        pset.move(DEBT, WORLD, consumed)
        self._append("clawback", key, now, pset.postings(), lot.original, lot_id)
        return cast(Clawback, self._remember(key, signature, Clawback(key, lot_id, removed, consumed, now)))

    def expire(self, now_ns: int) -> list[Expiry]:
        """Expire every hold and lot due by `now_ns`; returns what expired."""
        if now_ns > self._now:
            self._now = now_ns
        return self._expire_due(self._now)

    @classmethod
    def replay(cls, journal: Iterable[JournalEntry], rule: ExpiryRule) -> Ledger:
        """Rebuild a ledger by re-applying a journal's operations in order."""
        ledger = cls(rule)
        for entry in journal:
            ledger._apply(entry)
        return ledger

    # -- internals -----------------------------------------------------------------------------

    def _apply(self, entry: JournalEntry) -> None:
        amount = entry.amount if entry.amount is not None else ZERO
        at, key, target = entry.at_ns, entry.key, entry.target
        if entry.op == "grant":
            self.grant(key, amount, at, cast(LotKind, entry.kind), cast(LotSource, entry.source))
        elif entry.op == "charge":
            self.charge(key, amount, at, ref=entry.ref)
        elif entry.op == "hold":
            assert entry.expires_at_ns is not None
            self.hold(key, amount, at, entry.expires_at_ns)
        elif entry.op == "settle":
            self.settle(key, target, amount, at)
        elif entry.op == "void":
            self.void(key, target, at)
        elif entry.op == "clawback":
            self.clawback(key, target, at)
        else:  # expiries are derived: expiring at the same instant recreates the same entries
            self.expire(at)

    def _advance(self, now_ns: int) -> int:
        if now_ns > self._now:
            self._now = now_ns
        if self._now >= self._book.next_due:
            self._expire_due(self._now)
        return self._now

    def _first_result(self, key: str, signature: _Signature) -> object:
        first_signature, result = self._results[key]
        if first_signature != signature:
            raise IdempotencyConflict(key, first_signature, signature)
        if type(result) is tuple:  # a charge's result, not built yet (every other result is an object)
            result = Charge(*cast(_ChargeArgs, result))
            self._results[key] = (first_signature, result)
        return result

    def _entries(self) -> list[JournalEntry]:
        """The journal with every charge row built into its `JournalEntry` (in place, once)."""
        journal = self._journal
        for index in range(self._built, len(journal)):
            row = journal[index]
            if type(row) is tuple:
                seq, at_ns, key, postings, amount, ref = row
                if postings is None:  # a charge the lots covered in full
                    postings = ((CREDIT, -amount), (REVENUE, amount))
                journal[index] = JournalEntry(seq, at_ns, "charge", key, postings, amount, ref=ref)
        self._built = len(journal)
        return cast(list[JournalEntry], journal)

    def _remember(self, key: str, signature: _Signature, result: object) -> object:
        self._results[key] = (signature, result)
        return result

    def _append(
        self, op: Operation, key: str, now: int, postings: tuple[Posting, ...], amount: Decimal | None,
        target: str = "", *, ref: str = "", kind: str = "", source: str = "",
        expires_at_ns: int | None = None,
    ) -> None:  # fmt: skip
        entry = JournalEntry(
            len(self._journal), now, op, key, postings, amount, target, ref, kind, source, expires_at_ns
        )
        self._journal.append(entry)

    def _expiry_for_grant(self, source: str, now: int) -> int | None:
        if not self._rule.topup_pushes_back_all:
            return self._rule.expires_at(now)
        if source in TOPUP_SOURCES or self._topup_expiry is None or self._topup_expiry <= now:
            expires = self._rule.expires_at(now)
            if source in TOPUP_SOURCES:
                self._topup_expiry = expires
            return expires
        return self._topup_expiry

    def _open_hold(self, hold_id: str) -> HoldState:
        hold = self._book.holds.get(hold_id)
        if hold is None:
            raise UnknownHold(hold_id)
        if hold.status != "open":
            raise HoldAlreadyResolved(hold_id, hold.status)
        return hold

    def _expire_due(self, now: int) -> list[Expiry]:
        # Due events run in due-time order so replaying at a later instant gives the same entries.
        events: list[tuple[int, int, int, HoldState | LotState]] = [
            (hold.expires_at_ns, 0, index, hold) for index, hold in enumerate(self._book.due_holds(now))
        ]
        events += [(lot.expires_at_ns or 0, 1, lot.seq, lot) for lot in self._book.due_lots(now)]
        expired: list[Expiry] = []
        for due, _, _, item in sorted(events, key=lambda event: event[:3]):
            if isinstance(item, HoldState):
                pset = PostingSet()
                self._book.resolve(item, ZERO, pset, "expired", now)
                self._append("expire_hold", "", now, pset.postings(), item.amount, item.id)
                expired.append(Expiry("hold", item.id, item.amount, due, now))
                continue
            amount = self._book.expire_lot(item)
            if amount:
                self._append("expire_lot", "", now, ((BREAKAGE, amount), (CREDIT, -amount)), amount, item.id)
                expired.append(Expiry("lot", item.id, amount, due, now))
        return expired

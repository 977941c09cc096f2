"""Credit lots and holds as the ledger tracks them: what is left of each grant, what is earmarked.

A lot's `remaining` includes what open holds have earmarked on it; only `remaining - earmarked` can be
drawn by a charge or earmarked by a new hold. Lots are drawn soonest expiry first, lots that never
expire last, ties by grant order (`seq`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Final, Literal

from sandbox.expiry import is_expired
from sandbox.journal import (
    BREAKAGE,
    CREDIT,
    DEBT,
    HOLDS,
    REVENUE,
    WORLD,
    Hold,
    HoldStatus,
    PostingSet,
)
from sandbox.money import ZERO

LotKind = Literal["purchased", "promotional"]
LotSource = Literal["topup", "reload", "promo", "refund", "credit"]
LOT_KINDS: Final = ("purchased", "promotional")
LOT_SOURCES: Final = ("topup", "reload", "promo", "refund", "credit")
# Sources that count as a top-up for rules where a top-up pushes back every lot's expiry.
TOPUP_SOURCES: Final = frozenset({"topup", "reload"})
# Sorts after every real instant, so lots that never expire are drawn last.
NEVER_NS: Final = 1 << 80


@dataclass(frozen=True, slots=True)
class Lot:
    """A read-only view of one lot at a moment."""

    id: str
    kind: LotKind
    source: LotSource
    original: Decimal
    remaining: Decimal
    granted_at_ns: int
    expires_at_ns: int | None
    earmarked: Decimal = ZERO
    expired: Decimal = ZERO
    clawed_back: bool = False


@dataclass(slots=True, eq=False)
class LotState:
    """The ledger's mutable record of one lot (never handed out; `view()` is)."""

    id: str
    seq: int
    kind: LotKind
    source: LotSource
    original: Decimal
    remaining: Decimal
    granted_at_ns: int
    expires_at_ns: int | None
    earmarked: Decimal = ZERO
    expired: Decimal = ZERO  # how much of it went to breakage
    is_expired: bool = False
    clawed_back: bool = False

    @property
    def free(self) -> Decimal:
        """What a charge or a new hold may still take from this lot."""
        if self.is_expired or self.clawed_back:
            return ZERO
        return self.remaining - self.earmarked

    def draw_key(self) -> tuple[int, int]:
        """Sort key: soonest expiry first, never-expiring last, then grant order."""
        return (NEVER_NS if self.expires_at_ns is None else self.expires_at_ns, self.seq)

    def view(self) -> Lot:
        """A frozen copy for callers."""
        return Lot(
            self.id, self.kind, self.source, self.original, self.remaining, self.granted_at_ns,
            self.expires_at_ns, self.earmarked, self.expired, self.clawed_back,
        )  # fmt: skip


@dataclass(slots=True, eq=False)
class HoldState:
    """The ledger's mutable record of one hold: the lots it earmarks and how it resolved."""

    id: str
    amount: Decimal
    created_at_ns: int
    expires_at_ns: int
    earmarks: list[tuple[LotState, Decimal]] = field(default_factory=list)
    status: HoldStatus = "open"
    resolved_at_ns: int | None = None

    def resolve(self, status: HoldStatus, now_ns: int) -> None:
        """Mark the hold settled, voided or expired at `now_ns`."""
        self.status = status
        self.resolved_at_ns = now_ns

    def view(self) -> Hold:
        """A frozen copy for callers."""
        earmarks = tuple((lot.id, amount) for lot, amount in self.earmarks)
        return Hold(
            self.id, self.amount, self.created_at_ns, self.expires_at_ns, earmarks, self.status,
            self.resolved_at_ns,
        )  # fmt: skip


Draws = tuple[tuple[str, Decimal], ...]


class LotBook:
    """Lots and holds with running totals: the ledger's mutable state, without journal or keys."""

    __slots__ = ("credit", "debt", "held", "holds", "live", "lot_by_id", "next_due", "open")

    def __init__(self) -> None:
        self.live: list[LotState] = []  # lots with something left, in draw order
        self.lot_by_id: dict[str, LotState] = {}
        self.holds: dict[str, HoldState] = {}
        self.open: dict[str, HoldState] = {}
        self.credit = ZERO  # Σ remaining of lots, earmarked included
        self.debt = ZERO
        self.held = ZERO
        self.next_due = NEVER_NS

    def add_lot(self, lot: LotState, *, push_back_all: bool) -> None:
        """Register a new lot; with `push_back_all`, every unexpired lot takes its expiry."""
        self.lot_by_id[lot.id] = lot
        self.credit += lot.remaining
        if lot.remaining:
            self.live.append(lot)
        if push_back_all:
            for other in self.live:
                if not (other.is_expired or other.clawed_back):
                    other.expires_at_ns = lot.expires_at_ns
        self.live.sort(key=LotState.draw_key)
        self.refresh_next_due()

    def draw(self, amount: Decimal) -> tuple[Draws, Decimal]:
        """Take `amount` from free lot amounts in draw order; returns (draws, uncovered → debt)."""
        lots = self.live
        drawn: list[tuple[str, Decimal]] = []
        left = amount
        index = 0
        while left and index < len(lots):
            lot = lots[index]
            free = lot.free
            if free <= 0:
                index += 1
                continue
            take = free if free < left else left
            lot.remaining -= take
            left -= take
            drawn.append((lot.id, take))
            if lot.remaining:
                index += 1
            else:
                del lots[index]
        if left:
            self.credit -= amount - left
            self.debt += left
        else:  # a zero `left` would give the debt a spurious exponent (`0E-10`)
            self.credit -= amount
        return tuple(drawn), left

    def earmark(self, hold: HoldState) -> None:
        """Open `hold`, earmarking free lot amounts in draw order (the caller checked availability)."""
        left = hold.amount
        for lot in self.live:
            take = min(lot.free, left)
            if take > 0:
                lot.earmarked += take
                hold.earmarks.append((lot, take))
                left -= take
                if not left:
                    break
        self.holds[hold.id] = self.open[hold.id] = hold
        self.held += hold.amount
        self.refresh_next_due()

    def resolve(
        self, hold: HoldState, charged: Decimal, pset: PostingSet, status: HoldStatus, now: int
    ) -> Draws:
        """Close a hold: charge `charged` from its earmarks in order, release the rest."""
        drawn: list[tuple[str, Decimal]] = []
        left = charged
        for lot, earmarked in hold.earmarks:
            take = min(earmarked, left)
            left -= take
            lot.earmarked -= earmarked
            if take:
                drawn.append((lot.id, take))
                pset.move(HOLDS, REVENUE, take)
                if lot.clawed_back:  # spent credit that was never paid for
                    self.debt += take
                    pset.move(DEBT, WORLD, take)
            lot.remaining -= take
            self.credit -= take
            self._release(lot, earmarked - take, pset)
            self.drop_if_empty(lot)
        self.held -= hold.amount
        hold.resolve(status, now)
        del self.open[hold.id]
        self.refresh_next_due()
        return tuple(drawn)

    def _release(self, lot: LotState, released: Decimal, pset: PostingSet) -> None:
        if not released:
            return
        if not (lot.clawed_back or lot.is_expired):
            pset.move(HOLDS, CREDIT, released)
            return
        # The lot died while earmarked: the released part dies with it now.
        lot.remaining -= released
        self.credit -= released
        if lot.clawed_back:
            pset.move(HOLDS, WORLD, released)
        else:
            lot.expired += released
            pset.move(HOLDS, BREAKAGE, released)

    def claw(self, lot: LotState) -> tuple[Decimal, Decimal]:
        """Remove a lot's free remainder; returns (removed, consumed amount now owed as debt)."""
        removed = lot.free
        consumed = lot.original - lot.remaining - lot.expired
        lot.remaining -= removed
        lot.clawed_back = True
        self.credit -= removed
        self.debt += consumed
        self.drop_if_empty(lot)
        self.refresh_next_due()
        return removed, consumed

    def due_holds(self, now: int) -> list[HoldState]:
        """Open holds expired by `now` (open while now < expires_at), earliest first."""
        due = [hold for hold in self.open.values() if now >= hold.expires_at_ns]
        return sorted(due, key=lambda hold: (hold.expires_at_ns, hold.id))

    def due_lots(self, now: int) -> list[LotState]:
        """Unexpired lots whose expiry is due by `now` (usable while now < expires_at)."""
        return [
            lot
            for lot in self.live
            if not (lot.is_expired or lot.clawed_back) and is_expired(lot.expires_at_ns, now)
        ]

    def expire_lot(self, lot: LotState) -> Decimal:
        """Expire one lot: its free remainder goes to breakage (earmarks wait for their holds)."""
        free = lot.free
        lot.is_expired = True
        lot.remaining -= free
        lot.expired += free
        self.credit -= free
        self.drop_if_empty(lot)
        self.refresh_next_due()
        return free

    def drop_if_empty(self, lot: LotState) -> None:
        """Forget a lot in the draw list once nothing is left of it."""
        if not lot.remaining and lot in self.live:
            self.live.remove(lot)

    def refresh_next_due(self) -> None:
        """Recompute the earliest pending lot or hold expiry, so most operations skip expiry in O(1)."""
        due = NEVER_NS
        for lot in self.live:
            if lot.expires_at_ns is not None and not (lot.is_expired or lot.clawed_back):
                due = min(due, lot.expires_at_ns)
        for hold in self.open.values():
            due = min(due, hold.expires_at_ns)
        self.next_due = due

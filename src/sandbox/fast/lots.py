"""Credit lots in float dollars: drawn soonest-expiry first, expiring, paying debt, clawed back.

The same rules as `sandbox.ledger` (see its docstring), kept as a short list: a run holds a handful of
lots, and the engine touches them only between events, once per stretch of traffic.
"""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.expiry import expiry_rule

_NEVER = 1 << 62


@dataclass(slots=True)
class FastLot:
    """One lot: what it was, what is left, when it expires."""

    amount: float
    remaining: float
    expires_ns: int
    order: int
    purchased: bool
    expired: bool = False


class LotShelf:
    """The lots of one run and the debt; balance = what the lots hold − debt."""

    __slots__ = ("debt", "expired_count", "lots", "rule")

    def __init__(self, expiry: str, expiry_days: int) -> None:
        self.rule = expiry_rule(expiry, days=expiry_days if expiry == "days_after_last_topup" else None)
        self.lots: list[FastLot] = []
        self.debt = 0.0
        self.expired_count = 0

    @property
    def balance(self) -> float:
        """Credit left minus debt."""
        return sum(lot.remaining for lot in self.lots) - self.debt

    def grant(self, amount: float, at_ns: int, *, purchased: bool, topup: bool) -> FastLot:
        """Add a lot (paying debt first); a top-up under a push-back rule moves every expiry."""
        expires = self.rule.expires_at(at_ns)
        expires_ns = _NEVER if expires is None else expires
        paid = min(self.debt, amount)
        self.debt -= paid
        lot = FastLot(amount, amount - paid, expires_ns, len(self.lots), purchased)
        if topup and self.rule.topup_pushes_back_all:
            for other in self.lots:
                if not other.expired:
                    other.expires_ns = expires_ns
        self.lots.append(lot)
        self.lots.sort(key=lambda item: (item.expires_ns, item.order))
        return lot

    def spend(self, amount: float) -> None:
        """Draw `amount` soonest-expiry first; what the lots do not cover becomes debt."""
        for lot in self.lots:
            if amount <= 0:
                return
            if lot.remaining > 0:
                taken = min(lot.remaining, amount)
                lot.remaining -= taken
                amount -= taken
        if amount > 0:
            self.debt += amount

    def next_expiry(self, after_ns: int) -> int:
        """The next instant a lot with money on it expires, after `after_ns` (or never)."""
        due = [lot.expires_ns for lot in self.lots if not lot.expired and lot.expires_ns > after_ns]
        return min(due, default=_NEVER)

    def expire(self, now_ns: int) -> None:
        """Expire every lot due by `now_ns`: its free remainder goes to breakage."""
        for lot in self.lots:
            if not lot.expired and lot.expires_ns <= now_ns:
                lot.expired = True
                if lot.remaining > 1e-12:
                    self.expired_count += 1
                lot.remaining = 0.0

    def claw_back(self, lot: FastLot) -> None:
        """A payment failed late: the lot's remainder goes, what was consumed of it becomes debt."""
        if not lot.expired:
            self.debt += lot.amount - lot.remaining
        lot.remaining = 0.0

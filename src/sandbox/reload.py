"""Auto-reload: buy credit when the balance falls below a minimum.

Anthropic's Console reloads "to" a target balance; some providers reload a fixed amount instead.

Rules:
- Trigger: `balance < minimum` (the balance, not `available`). A balance exactly at the minimum does
  not reload.
- One attempt per threshold crossing: after an attempt, successful or declined, auto-reload is
  disarmed until `check` sees the balance at or above the minimum again (e.g. after a manual top-up
  or a reload that brought it back). Concurrency does not matter: callers serialise `check` under one
  lock, and the armed flag is cleared before the payment is attempted.
- Amount: `target - balance` (a negative balance, i.e. debt, is covered too) or `fixed_amount`.
- A declined payment creates no credit. A success is a purchase (source "reload", kind "purchased")
  expiring by the ledger's rule. A late failure grants the credit at once and claws it back when
  `process_due` reaches `now >= at + fails_after_ns`.
- Under a deposit cap (the historic tiers, `sandbox.deposits`) a reload that would take this month's
  deposits above the cap is declined with reason "monthly_deposit_limit" without charging the card.
- `configure` changes the settings from now on and keeps the armed/disarmed state, so changing
  settings cannot by itself trigger a second reload within one crossing.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from sandbox.deposits import DepositCap
from sandbox.ledger import Ledger
from sandbox.money import CENT, ZERO
from sandbox.payments import PaymentModel, PaymentOutcome

# The decline reason of a reload refused by the historic deposit cap (`sandbox.deposits`).
DEPOSIT_LIMIT = "monthly_deposit_limit"


class InvalidReloadSettings(ValueError):
    """Auto-reload settings that cannot work; names the bad value."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True, slots=True)
class ReloadSettings:
    """A minimum balance plus exactly one of `target` (reload up to) or `fixed_amount` (reload by)."""

    minimum: Decimal
    target: Decimal | None = None
    fixed_amount: Decimal | None = None

    def __post_init__(self) -> None:
        if (self.target is None) == (self.fixed_amount is None):
            raise InvalidReloadSettings("set exactly one of target or fixed_amount")
        for name in ("minimum", "target", "fixed_amount"):
            value = getattr(self, name)
            if value is not None and (not isinstance(value, Decimal) or not value.is_finite() or value < 0):
                raise InvalidReloadSettings(f"{name} must be a finite Decimal >= 0, got {value!r}")
        if self.target is not None and self.target <= self.minimum:
            raise InvalidReloadSettings(f"target {self.target} must be above minimum {self.minimum}")
        if self.fixed_amount is not None and self.fixed_amount <= ZERO:
            raise InvalidReloadSettings(f"fixed_amount must be > 0, got {self.fixed_amount}")

    def amount_for(self, balance: Decimal) -> Decimal:
        """How much to buy when the balance is `balance` (below the minimum)."""
        if self.target is not None:
            # A card is charged in whole cents; rounding up keeps the balance at or above the target.
            return (self.target - balance).quantize(CENT, rounding=ROUND_CEILING)
        assert self.fixed_amount is not None
        return self.fixed_amount


@dataclass(slots=True)
class ReloadAttempt:
    """One reload attempt, for summaries."""

    at_ns: int
    amount: Decimal
    outcome: PaymentOutcome
    lot_id: str | None = None
    clawback_due_ns: int | None = None
    clawed_back: bool = False

    @property
    def succeeded(self) -> bool:
        """True if credit was granted (a late failure counts until it is clawed back)."""
        return self.outcome.status != "declined"

    @property
    def declined(self) -> bool:
        """True if the payment was refused and no credit was granted."""
        return self.outcome.status == "declined"


class AutoReload:
    """Watches a ledger's balance and buys credit through a payment model."""

    __slots__ = ("_armed", "_due", "attempts", "deposits", "ledger", "payment", "settings")

    def __init__(
        self,
        settings: ReloadSettings | None,
        payment: PaymentModel,
        ledger: Ledger,
        *,
        deposits: DepositCap | None = None,
    ) -> None:
        self.settings = settings
        self.payment = payment
        self.ledger = ledger
        self.deposits = deposits
        self.attempts: list[ReloadAttempt] = []
        self._armed = True
        self._due: list[tuple[int, int]] = []  # (clawback due time, attempt index)

    def configure(self, settings: ReloadSettings | None) -> None:
        """Replace the settings (None turns auto-reload off); the armed state is kept."""
        self.settings = settings

    def check(self, now_ns: int) -> ReloadAttempt | None:
        """Reload if the balance is below the minimum and this crossing has had no attempt yet."""
        settings = self.settings
        if settings is None:
            return None
        balance = self.ledger.balance(now_ns)
        if balance >= settings.minimum:
            self._armed = True
            return None
        if not self._armed:
            return None
        self._armed = False  # cleared before paying: one attempt per crossing
        return self._attempt(settings.amount_for(balance), now_ns)

    def force(self, now_ns: int) -> ReloadAttempt | None:
        """A reload made by the runaway-loop fault: bought as if the balance sat at the minimum.

        It ignores the armed state (that is the bug) and leaves it as it was.
        """
        settings = self.settings
        if settings is None:
            return None
        return self._attempt(settings.amount_for(settings.minimum), now_ns)

    def process_due(self, now_ns: int) -> list[ReloadAttempt]:
        """Claw back the credit of late-failed payments that are due by `now_ns`."""
        done: list[ReloadAttempt] = []
        while self._due and self._due[0][0] <= now_ns:
            _, index = heapq.heappop(self._due)
            attempt = self.attempts[index]
            assert attempt.lot_id is not None
            self.ledger.clawback(f"auto-reload-{index + 1}-clawback", attempt.lot_id, now_ns)
            attempt.clawed_back = True
            done.append(attempt)
        return done

    def _attempt(self, amount: Decimal, now_ns: int) -> ReloadAttempt:
        deposits = self.deposits
        if deposits is not None and not deposits.fits(amount, now_ns):
            outcome = PaymentOutcome.declined(DEPOSIT_LIMIT)  # the card is never charged
        else:
            outcome = self.payment.attempt(amount, now_ns)
        attempt = ReloadAttempt(now_ns, amount, outcome)
        index = len(self.attempts)
        self.attempts.append(attempt)
        if outcome.status == "declined":
            return attempt
        lot = self.ledger.grant(f"auto-reload-{index + 1}", amount, now_ns, kind="purchased", source="reload")
        if deposits is not None:
            deposits.record(amount, now_ns)
        attempt.lot_id = lot.id
        if outcome.fails_after_ns is not None:
            attempt.clawback_due_ns = lot.granted_at_ns + outcome.fails_after_ns
            heapq.heappush(self._due, (attempt.clawback_due_ns, index))
        return attempt

"""The historic deposit cap: "you cannot deposit more than your monthly spend limit" (invariant I-14).

Under the Tier 1-4 profile of late 2025 - early 2026 a tier's monthly spend limit also capped how much
credit could be bought in a month (older versions of https://docs.anthropic.com/en/api/rate-limits).
The current tiers have no such rule; a profile says whether it applies (`deposits_capped` in tiers.toml).

Rules (the docs give the rule, not its mechanics; these are the sandbox's decisions):
- A deposit is a purchase: a manual top-up or an auto-reload. Promotional and refund credits are not.
- Deposits belong to the UTC calendar month of the instant they are made, like spend (`spend.py`).
- A deposit is accepted iff this month's deposits plus it stay `<=` the cap (landing exactly on the cap
  is accepted). A refused deposit changes nothing and raises `DepositLimitExceeded`, naming what is
  still allowed this month and when the allowance renews.
- The cap is the tier's monthly spend cap at the time of the deposit; a tier without one (None) has no
  deposit cap either.
- A reload whose payment later fails still counts as deposited in its month (the attempt was made).
"""

from __future__ import annotations

from decimal import Decimal

from sandbox.clock import to_datetime
from sandbox.money import ZERO
from sandbox.spend import month_bounds


class DepositLimitExceeded(ValueError):
    """A purchase that would take this month's deposits above the monthly spend limit."""

    def __init__(self, amount: Decimal, cap: Decimal, deposited: Decimal, renews_at_ns: int) -> None:
        renews = to_datetime(renews_at_ns).strftime("%Y-%m-%d")
        super().__init__(
            f"cannot deposit ${amount}: you cannot deposit more than your monthly spend limit of ${cap}; "
            f"${deposited} deposited this month, at most ${cap - deposited} more until {renews} 00:00 UTC"
        )
        self.amount = amount
        self.cap = cap
        self.deposited = deposited
        self.renews_at_ns = renews_at_ns


class DepositCap:
    """Deposits per UTC calendar month, refused above the cap."""

    __slots__ = ("_by_month", "cap")

    def __init__(self, cap: Decimal | None) -> None:
        self.cap = cap
        self._by_month: dict[int, Decimal] = {}

    def deposited(self, now_ns: int) -> Decimal:
        """What was deposited in the month of `now_ns`."""
        return self._by_month.get(month_bounds(now_ns)[0], ZERO)

    def allowance(self, now_ns: int) -> Decimal | None:
        """How much more may be deposited this month (None: no cap)."""
        if self.cap is None:
            return None
        return max(ZERO, self.cap - self.deposited(now_ns))

    def fits(self, amount: Decimal, now_ns: int) -> bool:
        """Whether depositing `amount` now keeps this month's deposits within the cap."""
        return self.cap is None or self.deposited(now_ns) + amount <= self.cap

    def check(self, amount: Decimal, now_ns: int) -> None:
        """Raise `DepositLimitExceeded` if depositing `amount` now would break the cap."""
        if self.cap is not None and not self.fits(amount, now_ns):
            raise DepositLimitExceeded(amount, self.cap, self.deposited(now_ns), month_bounds(now_ns)[1])

    def record(self, amount: Decimal, now_ns: int) -> None:
        """Count an accepted deposit in its month."""
        start = month_bounds(now_ns)[0]
        self._by_month[start] = self._by_month.get(start, ZERO) + amount

"""The balance estimate for an organisation whose provider has no balance API (Anthropic).

Rules:
- An admin anchors a known balance at an instant (`/claude-balance set 1234.56`) and records top-ups.
  estimate = anchor + top-ups after the anchor − billed cost after the anchor − the unbilled estimate.
  The unbilled part is an estimate (usage × price list) and is labelled so by the renderer.
- Credits are drawn soonest-expiry first, so what is left sits in the most recently bought lots: the
  estimate is allocated to recorded purchases newest first, and a purchase expiring within 30 days
  keeps only what that allocation leaves it (which may be nothing).
- Runway is the estimate over the 7-day burn rate, as a date; with auto-reload on, the next reload is
  expected when the estimate would fall below its threshold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from billbot.core.spend import MICROSECONDS_PER_DAY

ZERO = Decimal(0)
EXPIRY_WARNING = timedelta(days=30)


def one_year_after(moment: datetime) -> datetime:
    """Anthropic's expiry: the same instant a calendar year later (29 February → 28 February)."""
    try:
        return moment.replace(year=moment.year + 1)
    except ValueError:
        return moment.replace(year=moment.year + 1, day=28)


@dataclass(frozen=True, slots=True)
class Purchase:
    """Credits bought (a top-up or an auto-reload) at an instant."""

    amount: Decimal
    at: datetime

    @property
    def expires_at(self) -> datetime:
        """When what is left of it expires."""
        return one_year_after(self.at)


@dataclass(frozen=True, slots=True)
class Expiring:
    """Money that will expire soon unless it is spent first."""

    amount: Decimal
    expires_at: datetime
    bought_at: datetime


@dataclass(frozen=True, slots=True)
class BalanceAnswer:
    """What `/claude-balance` says."""

    estimate: Decimal
    anchor: Decimal
    anchored_at: datetime
    topups_since: Decimal
    billed_since: Decimal
    unbilled_estimate: Decimal
    burn_per_day: Decimal
    runway_until: datetime | None
    expiring: tuple[Expiring, ...]
    next_reload_at: datetime | None


def estimate_balance(
    *,
    anchor: Decimal,
    anchored_at: datetime,
    purchases: Sequence[Purchase],
    billed_since: Decimal,
    unbilled_estimate: Decimal,
    burn_per_day: Decimal,
    now: datetime,
    reload_threshold: Decimal | None = None,
) -> BalanceAnswer:
    """The balance estimate, runway, expiring credits and next expected auto-reload."""
    topups = sum((p.amount for p in purchases if p.at > anchored_at), ZERO)
    estimate = anchor + topups - billed_since - unbilled_estimate
    return BalanceAnswer(
        estimate=estimate,
        anchor=anchor,
        anchored_at=anchored_at,
        topups_since=topups,
        billed_since=billed_since,
        unbilled_estimate=unbilled_estimate,
        burn_per_day=burn_per_day,
        runway_until=_when_reaches(estimate, ZERO, burn_per_day, now),
        expiring=expiring_soon(estimate, purchases, now),
        next_reload_at=None
        if reload_threshold is None
        else _when_reaches(estimate, reload_threshold, burn_per_day, now),
    )


def expiring_soon(balance: Decimal, purchases: Sequence[Purchase], now: datetime) -> tuple[Expiring, ...]:
    """Purchases expiring within 30 days, with what the balance still holds of each."""
    left = max(balance, ZERO)
    held: list[tuple[Purchase, Decimal]] = []
    for purchase in sorted(purchases, key=lambda p: p.expires_at, reverse=True):
        if purchase.expires_at <= now:
            continue
        share = min(purchase.amount, left)
        left -= share
        held.append((purchase, share))
    soon = [
        Expiring(amount, p.expires_at, p.at)
        for p, amount in held
        if amount > 0 and p.expires_at - now <= EXPIRY_WARNING
    ]
    return tuple(sorted(soon, key=lambda e: e.expires_at))


def _when_reaches(balance: Decimal, level: Decimal, burn_per_day: Decimal, now: datetime) -> datetime | None:
    # None when it never will at this burn (no spending), `now` when it already has.
    if balance <= level:
        return now
    if burn_per_day <= 0:
        return None
    days = (balance - level) / burn_per_day
    return now + timedelta(microseconds=int(days * MICROSECONDS_PER_DAY))

"""The balance-side terms of a profile, as pure functions: SLA credit, credit expiry, liability, changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from billbot.tickets.domain.profile import ProviderProfile, SlaSpec
from billbot.tickets.domain.uptime import breached, sla_credit_due

HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class SlaCredit:
    """What a month's uptime earns under a profile's SLA (`amount` is 0 when the target was met)."""

    month: date  # the first day of the month
    uptime: Decimal  # percent
    target: Decimal  # percent
    met: bool
    amount: Decimal  # USD, unrounded: round only for display
    due_by: date  # credited by the end of this UTC day
    automatic: bool  # credited without a claim
    pro_only: bool  # only Pro accounts receive it


def sla_credit(
    profile: ProviderProfile, month_start: date, uptime: Decimal, net_spend: Decimal
) -> SlaCredit | None:
    """The credit due for the month of `month_start` at `uptime` percent; None if the profile has no SLA."""
    sla = profile.sla
    if sla is None:
        return None
    if not Decimal(0) <= uptime <= HUNDRED:
        raise ValueError(f"uptime is a percentage between 0 and 100, not {uptime}")
    if net_spend < 0:
        raise ValueError(f"net spend cannot be negative ({net_spend})")
    month = _month_of(month_start)
    fraction = uptime.scaleb(-2)  # exact: the percentage as the fraction `uptime` works in
    met = not breached(fraction, sla.target_fraction)
    amount = sla_credit_due(net_spend, fraction, sla.target_fraction, sla.rate)
    due = sla_due_by(sla, month)
    return SlaCredit(month, uptime, sla.uptime_target, met, amount, due, sla.automatic, sla.pro_only)


def sla_due_by(sla: SlaSpec, in_month: date) -> date:
    """The day of the next month by which a missed month's credit is due (e.g. 10 January for December)."""
    month = _month_of(in_month)
    year, index = divmod(month.month, 12)  # December (12) rolls over to January of the next year
    return date(month.year + year, index + 1, sla.due_day_of_next_month)


def _month_of(moment: date) -> date:
    if isinstance(moment, datetime):
        moment = moment.astimezone(UTC).date()
    return moment.replace(day=1)


def credit_expiry(
    profile: ProviderProfile,
    purchased_at: datetime,
    last_topup_at: datetime | None,
    *,
    promotional: bool = False,
) -> datetime | None:
    """When credit bought at `purchased_at` expires (None: never), given the account's latest top-up."""
    rule = profile.expiry
    if rule.after == "never":
        return None
    anchor = purchased_at
    extends = rule.promotional_extended or not promotional
    if rule.after == "last_topup" and extends and last_topup_at is not None:
        anchor = max(purchased_at, last_topup_at)  # a later top-up restarts the clock for the balance
    return _add_years(anchor.astimezone(UTC), rule.years) + timedelta(days=rule.days)


def expiry_reminder_at(profile: ProviderProfile, expires_at: datetime | None) -> datetime | None:
    """When the provider promises to warn of the expiry (None: no reminder promised, or no expiry)."""
    days = profile.expiry.reminder_days_before
    if expires_at is None or days is None:
        return None
    return expires_at - timedelta(days=days)


def _add_years(moment: datetime, years: int) -> datetime:
    # The same instant `years` calendar years later; 29 February becomes 28 February (as core.balance).
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:
        return moment.replace(year=moment.year + years, day=28)


def liability_cap(profile: ProviderProfile, fees_paid: Decimal) -> Decimal | None:
    """The provider's liability cap given the fees paid over its look-back period (None: no cap stated)."""
    cap = profile.liability
    if cap is None:
        return None
    return max(fees_paid, cap.floor)


def change_effective_at(profile: ProviderProfile, noticed_at: datetime) -> datetime | None:
    """When a material change of the terms noticed at `noticed_at` takes effect (None: not stated)."""
    if profile.changes is None:
        return None
    return noticed_at + timedelta(days=profile.changes.notice_days)

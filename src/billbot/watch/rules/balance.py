"""The prepaid balance: running low, a declined auto-reload, credits about to expire with money on them.

Rules:
- `balance_low`: runway (balance over the last 7 days' daily burn) under 14 days is a warning, under 3
  days or an empty balance critical. With auto-reload on and its last attempt not declined, a low
  balance is what triggers the reload, so only an empty balance is reported.
- `reload_declined`: the latest auto-reload attempt was declined (within 7 days) and the balance is
  still below the reload minimum; it clears once a reload or a top-up lifts it.
- `credits_expiring`: a lot with money left expiring within 30 days (warning) or 7 days (critical),
  counting only what the expected spend until then will not use up (lots are drawn soonest-expiry
  first): the amount at risk.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from billbot.core.money import usd
from billbot.watch.findings import Finding
from billbot.watch.inputs import BalanceView
from billbot.watch.rules.episodes import episode_key
from billbot.watch.scope import ORGANIZATION
from billbot.watch.series import ZERO

DAY_SECONDS = Decimal(86_400)


@dataclass(frozen=True, slots=True)
class BalanceConfig:
    """Knobs of the balance rules."""

    runway_warning_days: int = 14
    runway_critical_days: int = 3
    declined_lookback: timedelta = timedelta(days=7)
    expiry_warning: timedelta = timedelta(days=30)
    expiry_critical: timedelta = timedelta(days=7)


def balance_findings(
    view: BalanceView,
    burn_per_day: Decimal,
    now: datetime,
    active: Mapping[tuple[str, str], str],
    config: BalanceConfig = BalanceConfig(),
) -> list[Finding]:
    """Findings about the balance (see the module rules)."""
    found = [f for f in (_low(view, burn_per_day, now, active, config), _declined(view, now, config)) if f]
    return found + _expiring(view, burn_per_day, now, config)


def _low(
    view: BalanceView,
    burn: Decimal,
    now: datetime,
    active: Mapping[tuple[str, str], str],
    config: BalanceConfig,
) -> Finding | None:
    runway = view.balance / burn if burn > 0 else None
    reloading = view.reload_minimum is not None and not (view.reloads and not view.reloads[-1].succeeded)
    if view.balance <= 0:
        level, rank = "empty", 3
    elif reloading or runway is None or runway >= config.runway_warning_days:
        return None
    elif runway < config.runway_critical_days:
        level, rank = "3 days", 2
    else:
        level, rank = "14 days", 1
    label = "estimated balance" if view.estimated else "balance"
    days = "" if runway is None else f", about {runway:.1f} days at {usd(burn)} a day"
    message = (
        f"The {label} is used up: requests fail with 400 until credits are bought"
        if level == "empty"
        else f"The {label} is {usd(view.balance)}{days}"
    )
    return Finding(
        rule="balance_low",
        scope=ORGANIZATION,
        severity="warning" if rank == 1 else "critical",
        period_key=episode_key(active, "balance_low", ORGANIZATION, now),
        amount_usd=view.balance,
        message=message,
        figures=(("Balance", usd(view.balance)), ("Burn per day (7 days)", usd(burn))),
        evidence=("Balance estimated from admins' records and usage" if view.estimated else "Exact balance",),
        level=level,
        rank=rank,
        basis="estimate" if view.estimated else "billed",
        data={"balance_usd": str(view.balance), "burn_per_day_usd": str(burn)},
    )


def _declined(view: BalanceView, now: datetime, config: BalanceConfig) -> Finding | None:
    if not view.reloads:
        return None
    last = view.reloads[-1]
    if last.succeeded or now - last.at > config.declined_lookback:
        return None
    if view.reload_minimum is not None and view.balance >= view.reload_minimum:
        return None
    return Finding(
        rule="reload_declined",
        scope=ORGANIZATION,
        severity="critical",
        period_key=f"{last.at:%Y-%m-%dT%H:%M}",
        amount_usd=last.amount,
        message=(
            f"Auto-reload of {usd(last.amount)} was declined on {last.at:%a %d %b %H:%M} UTC; "
            f"the balance is {usd(view.balance)} and falling"
        ),
        figures=(("Reload", usd(last.amount)), ("Balance", usd(view.balance))),
        evidence=("No credit is added for a declined payment; update the card and buy credits",),
        data={"declined_at": last.at.isoformat(), "amount_usd": str(last.amount)},
    )


def _expiring(view: BalanceView, burn: Decimal, now: datetime, config: BalanceConfig) -> list[Finding]:
    found = []
    used_before = ZERO  # spend drawn by lots expiring earlier
    for lot in sorted(
        (lot for lot in view.lots if lot.expires_at is not None), key=lambda lot: lot.expires_at or now
    ):
        assert lot.expires_at is not None
        left = lot.expires_at - now
        if lot.remaining <= 0 or left <= timedelta(0):
            continue
        spend_until = burn * Decimal(int(left.total_seconds())) / DAY_SECONDS
        at_risk = max(ZERO, lot.remaining - max(ZERO, spend_until - used_before))
        used_before += lot.remaining
        if left > config.expiry_warning or at_risk <= 0:
            continue
        critical = left <= config.expiry_critical
        found.append(
            Finding(
                rule="credits_expiring",
                scope=ORGANIZATION,
                severity="critical" if critical else "warning",
                period_key=f"{lot.expires_at:%Y-%m-%dT%H:%M}",
                amount_usd=at_risk,
                message=(
                    f"{usd(at_risk)} of credits bought {lot.granted_at:%d %b %Y} expire on "
                    f"{lot.expires_at:%a %d %b} unless spent first ({usd(lot.remaining)} left on them)"
                ),
                figures=(("At risk", usd(at_risk)), ("Left on the lot", usd(lot.remaining))),
                evidence=("Credits expire one year after purchase and are not refundable",),
                level="7 days" if critical else "30 days",
                rank=2 if critical else 1,
                period_end=lot.expires_at,
                data={"expires_at": lot.expires_at.isoformat(), "remaining_usd": str(lot.remaining)},
            )
        )
    return found

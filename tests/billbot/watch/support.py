"""Hand-made watch data: hourly series, findings and inputs small enough to reason about."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from billbot.watch.findings import Finding
from billbot.watch.scope import ORGANIZATION, Scope
from billbot.watch.series import HourlySeries

START = datetime(2026, 10, 5, tzinfo=UTC)  # a Monday
HOUR = timedelta(hours=1)
KEY = Scope("api_key", "apikey_1", "Production key 2")
WORKSPACE = Scope("workspace", "wrkspc_1", "Production")
MODEL = Scope("model", "claude-opus-5", "claude-opus-5")


def d(value: str | int) -> Decimal:
    """A Decimal from text or an integer."""
    return Decimal(value)


def flat(
    hours: int, per_hour: str = "1.00", *, wiggle: Sequence[str] = ("0.9", "1.0", "1.1")
) -> list[Decimal]:
    """`hours` of steady cost around `per_hour` (a small repeating wiggle, so the spread is not zero)."""
    base = Decimal(per_hour)
    return [base * Decimal(wiggle[i % len(wiggle)]) for i in range(hours)]


def series(values: Sequence[Decimal], start: datetime = START) -> HourlySeries:
    """A series of `values` from `start`."""
    return HourlySeries(start, list(values))


def at_hour(index: int, minutes: int = 0) -> datetime:
    """The instant `minutes` into hour `index` of the series."""
    return START + HOUR * index + timedelta(minutes=minutes)


def finding(
    rank: int = 0,
    *,
    level: str = "",
    message: str = "something happened",
    period_end: datetime | None = None,
    rule: str = "budget",
    scope: Scope = ORGANIZATION,
    period: str = "2026-11",
) -> Finding:
    """A finding of `rule` on `scope` in `period` at `rank`."""
    return Finding(
        rule=rule,
        scope=scope,
        severity="warning",
        period_key=period,
        amount_usd=Decimal(rank),
        message=message,
        level=level or f"{rank // 10}%",
        rank=rank,
        period_end=period_end,
    )

"""Spend of a scope within a window: billed whole days, then usage × price list for the hours after.

Rules: the cost report is daily and final only for days that have ended, so spend = billed days up to
`billed_through` + the estimate of every hour after it up to now. A scope the cost report cannot break
down (an API key) is all estimate. `reached_on_bill` tells whether a figure is met by the bill alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from billbot.watch.periods import DAY, Window, floor_hour
from billbot.watch.series import ZERO, HourlySeries


@dataclass(frozen=True, slots=True)
class Spend:
    """Spend in a window so far: the billed part (None: no bill for the scope) and the estimate after it."""

    billed: Decimal | None
    unbilled_estimate: Decimal
    billed_through: datetime | None

    @property
    def total(self) -> Decimal:
        """Billed plus the unbilled estimate."""
        return (self.billed or ZERO) + self.unbilled_estimate

    def reached_on_bill(self, amount: Decimal) -> bool:
        """Whether the billed part alone reaches `amount`."""
        return self.billed is not None and self.billed >= amount


def window_spend(
    window: Window,
    now: datetime,
    series: HourlySeries | None,
    billed_daily: Mapping[datetime, Decimal] | None,
    billed_through: datetime | None,
) -> Spend:
    """Spend in `window` up to `now` (see the module rules)."""
    billed: Decimal | None = None
    estimate_from = window.start
    if billed_daily is not None and billed_through is not None and billed_through > window.start:
        through = min(billed_through, window.end, floor_hour(now))
        billed = ZERO
        day = window.start
        while day + DAY <= through:
            billed += billed_daily.get(day, ZERO)
            day += DAY
        estimate_from = day
    unbilled = ZERO
    if series is not None:
        end = series.index(floor_hour(now)) + 1  # the hour in progress counts with what it has so far
        unbilled = series.total(series.index(estimate_from), min(end, series.index(window.end)))
    return Spend(billed, unbilled, billed_through if billed is not None else None)

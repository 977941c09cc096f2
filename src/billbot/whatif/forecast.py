"""The month-end forecast on the fast engine: P50 with its P10–P90 band, for `/claude-spend`.

One forecast, one code path: the baseline fitted from the data source, run to the end of the month
with no levers, plus what the month has already cost.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from billbot.app.data import BalanceRecord, BillingData
from billbot.whatif.baseline import fit_baseline
from billbot.whatif.levers import Levers
from billbot.whatif.result import run_whatif

FORECAST_RUNS = 200
CENT = Decimal("0.01")


@dataclass(frozen=True, slots=True)
class MonthEndForecast:
    """The month's total at its end: P50 and the P10–P90 band, and what is already spent."""

    p10: Decimal
    p50: Decimal
    p90: Decimal
    month_to_date: Decimal
    month_end: datetime
    fitted_on: str


def month_end_forecast(
    data: BillingData,
    now: datetime,
    *,
    runs: int = FORECAST_RUNS,
    seed: int = 0,
    balance_record: BalanceRecord | None = None,
) -> MonthEndForecast:
    """Forecast this month's total spend at its end (UTC), from the source's last 28 days."""
    baseline = fit_baseline(data, now, balance_record=balance_record)
    result = run_whatif(baseline, Levers(), runs=runs, seed=seed, now=now)
    spent, side = baseline.money.month_to_date.quantize(CENT), result.baseline
    return MonthEndForecast(
        p10=spent + side.spend.p10,
        p50=spent + side.spend.p50,
        p90=spent + side.spend.p90,
        month_to_date=spent,
        month_end=result.horizon.end,
        fitted_on=baseline.fitted_on(),
    )

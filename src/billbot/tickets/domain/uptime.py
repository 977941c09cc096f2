"""Monthly uptime and the SLA credit it earns: pure arithmetic over outage windows, no I/O.

The one place of the SLA rule. A profile's `[sla]` gives the figures (`claudeapi-cheap`: "If a calendar
month's uptime drops below 99.5%, every Pro user … receives 1% of their net spend in that month as a
balance credit, applied automatically by the 10th of the following month"); they are passed in, never
restated here. Exactly the target is not a breach ("drops below"). Outage windows may overlap or run
past the month; they are clipped and merged so no minute of downtime counts twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

Window = tuple[datetime, datetime]


def month_bounds(at: datetime) -> Window:
    """The calendar month (UTC) containing `at`, as `[first instant, first instant of the next)`."""
    at = at.astimezone(UTC)
    start = datetime(at.year, at.month, 1, tzinfo=UTC)
    return start, _next_month(start)


def credit_due_by(month_start: datetime, day: int) -> datetime:
    """The end of the `day`th of the month after `month_start`: when the credit must have arrived."""
    following = _next_month(month_start.astimezone(UTC))
    return following.replace(day=day) + timedelta(days=1)


def merged_downtime(start: datetime, end: datetime, outages: Iterable[Window]) -> timedelta:
    """Total time within `[start, end)` covered by at least one outage window."""
    clipped = sorted((max(a, start), min(b, end)) for a, b in outages if a < end and b > start)
    total, reach = timedelta(0), start
    for a, b in clipped:
        if b <= reach:
            continue  # wholly inside a window already counted
        total += b - max(a, reach)
        reach = b
    return total


def uptime(month_start: datetime, month_end: datetime, outages: Iterable[Window]) -> Decimal:
    """The fraction of `[month_start, month_end)` not covered by an outage (1 for an empty period)."""
    if month_end <= month_start:
        return Decimal(1)
    period = _microseconds(month_end - month_start)
    down = _microseconds(merged_downtime(month_start, month_end, outages))
    return Decimal(period - down) / Decimal(period)


def breached(uptime_fraction: Decimal, target: Decimal) -> bool:
    """Whether uptime dropped below the target (exactly the target is kept)."""
    return uptime_fraction < target


def sla_credit_due(net_spend: Decimal, uptime: Decimal, target: Decimal, rate: Decimal) -> Decimal:
    """`rate` × the month's net spend when uptime is below `target`, else 0 (unrounded: round to show)."""
    if not breached(uptime, target) or net_spend <= 0:
        return Decimal(0)
    return net_spend * rate


def _next_month(start: datetime) -> datetime:
    return (
        start.replace(year=start.year + 1, month=1)
        if start.month == 12
        else start.replace(month=start.month + 1)
    )


def _microseconds(delta: timedelta) -> int:
    # Exact integer arithmetic: timedelta.total_seconds() is a float.
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds

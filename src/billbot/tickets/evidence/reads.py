"""The reads behind each evidence part: the usage window, the request lookups, the month's uptime.

Each function raises on failure; `billbot.tickets.evidence.gather` turns a failure into a `FailedPart`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from billbot.admin_api.errors import AdminApiError, scrub
from billbot.app.data import BillingData
from billbot.core.entries import UsageEntry
from billbot.tickets.domain.profile import ProviderProfile
from billbot.tickets.domain.uptime import (
    credit_due_by,
    merged_downtime,
    month_bounds,
    sla_credit_due,
    uptime,
)
from billbot.tickets.evidence.outages import OutageSource
from billbot.tickets.evidence.parts import Provenance, RequestLookup, RequestsPart, UptimePart, UsagePart
from billbot.tickets.evidence.request_log import RequestLog

MINUTE = timedelta(minutes=1)
# A 1m usage report page holds at most 1440 buckets (reference §1.4): the window fits in one page.
MAX_MINUTES = 1440
USAGE_GROUPS = ("model", "api_key_id")
NO_REQUEST_LOG = (
    "This provider has no request-log API: the IDs cannot be looked up here. "
    "Give them to the provider's support with the times of the calls."
)


@dataclass(frozen=True, slots=True)
class SlaTerms:
    """An uptime promise: below `target` over a calendar month, `rate` of the month's net spend."""

    target: Decimal  # a fraction: 0.995 is 99.5%
    rate: Decimal  # a fraction of the month's net spend
    due_day: int  # credited by this day of the following month


def sla_terms_of(profiles: Mapping[str, ProviderProfile]) -> dict[str, SlaTerms]:
    """The uptime promise of each profile that makes one (read from its `[sla]`, never restated)."""
    return {
        pid: SlaTerms(p.sla.target_fraction, p.sla.rate, p.sla.due_day_of_next_month)
        for pid, p in profiles.items()
        if p.sla is not None
    }


def usage_window(at: datetime, now: datetime, half: timedelta) -> tuple[datetime, datetime, str]:
    """`[start, end)` of whole minutes around `at`: at most 1440 minutes, never past `now`."""
    half = min(half, MAX_MINUTES // 2 * MINUTE)
    minute = _floor_minute(at)
    start, end = minute - half, minute + half + MINUTE
    if end - start > MAX_MINUTES * MINUTE:
        start = end - MAX_MINUTES * MINUTE  # `half` of exactly 720 minutes: keep the later side whole
    clipped = ""
    latest = _floor_minute(now) + MINUTE
    if end > latest:
        end, clipped = latest, "the window's end is clipped to now"
    if end <= start:
        raise ValueError("the transaction time is in the future: no usage to show yet")
    return start, end, clipped


def gather_usage(
    data: BillingData, at: datetime, now: datetime, half: timedelta, where: Provenance
) -> UsagePart:
    """Non-zero 1-minute usage rows around `at`, by model and API key."""
    start, end, clipped = usage_window(at, now, half)
    entries = data.usage(start, end, "1m", USAGE_GROUPS)
    rows = sorted(
        (e for e in entries if _tokens(e)), key=lambda e: (e.start, e.model or "", e.api_key_id or "")
    )
    return UsagePart(where, start, end, tuple(rows), clipped)


def gather_requests(request_ids: Sequence[str], log: RequestLog | None, where: Provenance) -> RequestsPart:
    """Each listed id looked up in the request log; without a log, listed for support."""
    ids = tuple(dict.fromkeys(request_ids))  # the same id listed twice is looked up once
    if log is None:
        lookups = tuple(RequestLookup(rid, looked_up=False) for rid in ids)
        return RequestsPart(where, lookups, lookupable=False, note=NO_REQUEST_LOG)
    return RequestsPart(where, tuple(_lookup(log, rid) for rid in ids), lookupable=True)


def gather_uptime(
    data: BillingData,
    outages: OutageSource | None,
    at: datetime,
    now: datetime,
    terms: SlaTerms,
    where: Provenance,
) -> UptimePart:
    """The uptime of `at`'s calendar month (to date while it runs) and the SLA credit due."""
    if outages is None:
        raise LookupError("no uptime source for this provider (its status page is not readable by billbot)")
    month_start, month_end = month_bounds(at)
    period_end = max(month_start, min(month_end, now))
    found = outages.outages()
    windows = tuple(
        (max(a, month_start), min(b, period_end))
        for a, b in found.windows
        if a < period_end and b > month_start
    )
    fraction = uptime(month_start, period_end, windows)
    spend = sum((line.amount for line in data.costs(month_start, period_end, [])), Decimal(0))
    return UptimePart(
        provenance=where,
        month_start=month_start,
        month_end=month_end,
        period_end=period_end,
        outages=windows,
        downtime=merged_downtime(month_start, period_end, windows),
        uptime=fraction,
        target=terms.target,
        rate=terms.rate,
        net_spend=spend,
        credit_due=sla_credit_due(spend, fraction, terms.target, terms.rate),
        credit_due_by=credit_due_by(month_start, terms.due_day),
        method=found.method,
    )


def failure_reason(exc: Exception) -> str:
    """One safe line for a failed part: the typed API error's sentence, else the exception's kind."""
    if isinstance(exc, AdminApiError):
        return str(exc)  # already one sentence, scrubbed of anything key-shaped
    detail = scrub(str(exc))
    return f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__


def _lookup(log: RequestLog, request_id: str) -> RequestLookup:
    # One failing lookup is recorded on its own line; the other ids are still looked up.
    try:
        return RequestLookup(request_id, log.lookup(request_id))
    except Exception as exc:
        return RequestLookup(request_id, failure=failure_reason(exc))


def _tokens(entry: UsageEntry) -> int:
    return entry.input_tokens + entry.output + entry.web_search_requests


def _floor_minute(at: datetime) -> datetime:
    return at.replace(second=0, microsecond=0)

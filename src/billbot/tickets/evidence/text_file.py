"""The evidence bundle as the text file the ticket thread attaches: sections of labelled CSV tables.

Every section says where its numbers come from and how fresh they are; a failed part says why it is
missing. Money shows as `usd()` (to the cent) and, where cents hide it, as the exact decimal too.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from decimal import ROUND_FLOOR, Decimal

from billbot.core.money import usd
from billbot.tickets.evidence.parts import (
    CostPart,
    EvidenceBundle,
    FailedPart,
    Provenance,
    RequestsPart,
    UptimePart,
    UsagePart,
)

USAGE_HEADER = (
    *("minute_start", "model", "api_key_id", "uncached_input", "cache_write_5m"),
    *("cache_write_1h", "cache_read", "output", "web_search_requests"),
)
REQUEST_HEADER = (
    *("request_id", "status", "at", "model", "outcome", "input_tokens", "output_tokens"),
    *("cost", "cost_usd_exact", "times_charged", "error"),
)


def evidence_text(bundle: EvidenceBundle) -> str:
    """The whole bundle as plain text (CSV tables under headed sections)."""
    simulated = " (SIMULATED — not real billing data)" if bundle.simulated else ""
    lines = [
        f"billbot evidence · provider {bundle.provider} · transaction at {stamp(bundle.transaction_at)}",
        f"source: {bundle.source}{simulated}",
        f"gathered: {stamp(bundle.gathered_at)}",
    ]
    if bundle.failed:
        lines.append("failed parts: " + ", ".join(part.name for part in bundle.failed))
    sections = [
        _usage(bundle.usage),
        _costs(bundle.costs),
        _requests(bundle.requests),
        _uptime(bundle.uptime),
    ]
    return "\n\n".join(["\n".join(lines), *(s for s in sections if s)]) + "\n"


def stamp(at: datetime) -> str:
    """RFC 3339 in UTC with a `Z`, to the second."""
    return at.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def due_day(end_of_day: datetime) -> str:
    """`2026-12-10` for a deadline held as the instant that day ends (the next midnight)."""
    return (end_of_day.astimezone(UTC) - timedelta(microseconds=1)).date().isoformat()


def uptime_percent(fraction: Decimal) -> str:
    """`99.499%`: rounded down, so a breach never shows as the target."""
    return f"{(fraction * 100).quantize(Decimal('0.001'), rounding=ROUND_FLOOR)}%"


def _usage(part: UsagePart | FailedPart | None) -> str:
    if part is None or isinstance(part, FailedPart):
        return _failed("Usage", part)
    title = f"Usage, 1-minute buckets {stamp(part.start)} to {stamp(part.end)}, by model and API key"
    rows = [
        (
            *(stamp(e.start), e.model or "", e.api_key_id or "", e.uncached_input, e.cache_write_5m),
            *(e.cache_write_1h, e.cache_read, e.output, e.web_search_requests),
        )
        for e in part.entries
    ]
    extra = [part.clipped] if part.clipped else []
    return _section(title, part.provenance, extra, USAGE_HEADER, rows, "no usage in the window")


def _costs(part: CostPart | FailedPart | None) -> str:
    if part is None or isinstance(part, FailedPart):
        return _failed("Cost", part)
    title = f"Cost of {part.day.date().isoformat()} (UTC day of the transaction), by description"
    rows = [
        (line.description or "(no description)", usd(line.amount), str(line.amount)) for line in part.lines
    ]
    rows.append(("total", usd(part.total), str(part.total)))
    header = ("description", "amount", "amount_usd_exact")
    return _section(title, part.provenance, [], header, rows, "")


def _requests(part: RequestsPart | FailedPart | None) -> str:
    if part is None or isinstance(part, FailedPart):
        return _failed("Request IDs", part)
    if not part.lookupable:
        rows = [(lookup.request_id, lookup.status) for lookup in part.lookups]
        return _section("Request IDs", part.provenance, [part.note], ("request_id", "status"), rows, "")
    table: list[tuple[object, ...]] = []
    for lookup in part.lookups:
        r = lookup.record
        if r is None:
            table.append((lookup.request_id, lookup.failure or lookup.status, *[""] * 9))
            continue
        tokens = r.tokens
        inputs, outputs = (tokens.input_tokens, tokens.output) if tokens else (0, 0)
        table.append(
            (
                *(r.request_id, "found", stamp(r.at), r.model, r.outcome, inputs, outputs),
                *(usd(r.cost), str(r.cost), r.times_charged, r.error or ""),
            )
        )
    total = [f"found requests charged in total: {usd(part.total_cost)} ({part.total_cost})"]
    return _section(
        "Request IDs, looked up in the request log", part.provenance, total, REQUEST_HEADER, table, ""
    )


def _uptime(part: UptimePart | FailedPart | None) -> str:
    if part is None or isinstance(part, FailedPart):
        return _failed("Uptime and SLA credit", part)
    span = "the whole month" if part.complete else f"month to date, until {stamp(part.period_end)}"
    verdict = "BREACHED" if part.breached else "met"
    facts = [
        f"month: {part.month_start:%Y-%m} ({span})",
        f"uptime: {uptime_percent(part.uptime)} · target {uptime_percent(part.target)} · {verdict}",
        f"downtime: {_minutes(part)} in {len(part.outages)} window(s); method: {part.method}",
        f"net spend in the period: {usd(part.net_spend)} ({part.net_spend})",
        f"SLA credit due ({part.rate * 100}% of net spend when below target): {usd(part.credit_due)}"
        + (f", by the end of {due_day(part.credit_due_by)} UTC" if part.credit_due else ""),
    ]
    rows = [(stamp(a), stamp(b)) for a, b in part.outages]
    return _section("Uptime and SLA credit", part.provenance, facts, ("outage_start", "outage_end"), rows, "")


def _minutes(part: UptimePart) -> str:
    seconds = part.downtime // timedelta(seconds=1)  # whole seconds, exactly (no float)
    return f"{(Decimal(seconds) / 60).quantize(Decimal('0.1'))} min"


def _failed(title: str, part: FailedPart | None) -> str:
    if part is None:
        return ""  # not applicable to this claim
    return f"## {title}: FAILED\n{_provenance(part.provenance)}\nreason: {part.reason}"


def _section(
    title: str,
    where: Provenance,
    facts: Sequence[str],
    header: Sequence[str],
    rows: Iterable[Sequence[object]],
    empty: str,
) -> str:
    body = list(rows)
    lines = [f"## {title}", _provenance(where), *facts]
    lines.append(_csv([header, *body]) if body else empty or _csv([header]))
    return "\n".join(line for line in lines if line)


def _provenance(where: Provenance) -> str:
    return f"source: {where.source} · as of {stamp(where.as_of)} · {where.freshness}"


def _csv(rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return out.getvalue().rstrip("\n")

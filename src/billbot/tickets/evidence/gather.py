"""Evidence gathered automatically for a claim: usage and cost around the charge, requests, uptime.

Read through `BillingData` (usage in 1-minute buckets by model and API key around the transaction
time; the day's cost by description), a sandbox's request log (each listed request id, priced), and
for an SLA provider the month's uptime and the credit due. Each part is gathered on its own: one that
fails becomes a `FailedPart` with a short reason, never an exception, so the rest still gets attached.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from billbot.admin_api.source import DataSource
from billbot.app.data import BillingData
from billbot.tickets.catalog import builtin_profiles
from billbot.tickets.domain.model import Claim
from billbot.tickets.evidence.outages import OutageSource, SandboxOutages
from billbot.tickets.evidence.parts import CostPart, EvidenceBundle, FailedPart, Provenance
from billbot.tickets.evidence.reads import (
    SlaTerms,
    failure_reason,
    gather_requests,
    gather_uptime,
    gather_usage,
    sla_terms_of,
)
from billbot.tickets.evidence.request_log import RequestLog, SandboxRequestLog

DEFAULT_WINDOW = timedelta(minutes=30)
SIMULATED_FRESHNESS = "simulated: exact as of the sandbox clock"
P = TypeVar("P")
ANTHROPIC_FRESHNESS = {
    "usage": "Anthropic usage report: typically complete within 5 minutes",
    "costs": "Anthropic cost report: daily buckets, the current day still filling",
    "requests": "listed by the user; Anthropic has no request-log API",
    "uptime": "no uptime source",
}


@dataclass(frozen=True, slots=True)
class EvidenceSources:
    """What evidence is read from; `request_log` and `outages` exist only for a sandbox."""

    data: BillingData
    label: str
    simulated: bool
    request_log: RequestLog | None = None
    outages: OutageSource | None = None


def sources_for(source: DataSource, data: BillingData) -> EvidenceSources:
    """The evidence sources of an opened data source (a sandbox adds its request log and outages)."""
    if not source.simulated:
        return EvidenceSources(data, source.label, simulated=False)
    client = source.client
    return EvidenceSources(data, source.label, True, SandboxRequestLog(client), SandboxOutages(client))


def gather_evidence(
    claim: Claim,
    sources: EvidenceSources,
    *,
    now: datetime,
    window: timedelta = DEFAULT_WINDOW,
    sla_terms: Mapping[str, SlaTerms] | None = None,
) -> EvidenceBundle:
    """Every part that applies to `claim`, each gathered or failed on its own.

    `sla_terms`: the uptime promises by provider (`sla_terms(profiles)`); default: the built-in profiles'.
    """
    if sla_terms is None:
        sla_terms = sla_terms_of(builtin_profiles())
    at = claim.transaction_at.astimezone(UTC)
    terms = sla_terms.get(claim.provider)
    data, log = sources.data, sources.request_log

    def where(name: str) -> Provenance:
        return provenance(sources, name, now)

    usage = _guard("usage", where, lambda w: gather_usage(data, at, now, window, w))
    costs = _guard("costs", where, lambda w: _costs(data, at, w))
    requests = None
    if claim.request_ids:
        requests = _guard("requests", where, lambda w: gather_requests(claim.request_ids, log, w))
    uptime = None
    if terms is not None:
        uptime = _guard("uptime", where, lambda w: gather_uptime(data, sources.outages, at, now, terms, w))
    return EvidenceBundle(
        provider=claim.provider,
        source=sources.label,
        simulated=sources.simulated,
        gathered_at=now,
        transaction_at=at,
        usage=usage,
        costs=costs,
        requests=requests,
        uptime=uptime,
    )


def provenance(sources: EvidenceSources, name: str, now: datetime) -> Provenance:
    """The source label and freshness of part `name`."""
    freshness = SIMULATED_FRESHNESS if sources.simulated else ANTHROPIC_FRESHNESS.get(name, "")
    return Provenance(sources.label, now, freshness)


def _costs(data: BillingData, at: datetime, where: Provenance) -> CostPart:
    day = at.replace(hour=0, minute=0, second=0, microsecond=0)
    lines = data.costs(day, day + timedelta(days=1), ["description"])
    return CostPart(where, day, tuple(line for line in lines if line.amount))


def _guard(
    name: str, where: Callable[[str], Provenance], gather: Callable[[Provenance], P]
) -> P | FailedPart:
    # Any failure of one part (API, transport, an unreadable answer) is evidence of its own kind.
    provenance = where(name)
    try:
        return gather(provenance)
    except Exception as exc:
        return FailedPart(name, provenance, failure_reason(exc))

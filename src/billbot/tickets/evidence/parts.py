"""What gathered evidence is made of: one frozen part per kind, each naming its source and freshness.

A part is either gathered (`UsagePart`, `CostPart`, `RequestsPart`, `UptimePart`), failed (`FailedPart`,
with a short reason that never holds a key), or not applicable (`None` in the bundle), so one failing
API call never keeps the rest of the evidence from being attached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from billbot.core.entries import CostEntry, UsageEntry
from billbot.tickets.domain.uptime import Window, breached
from billbot.tickets.evidence.request_log import RequestRecord


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a part came from and how fresh it is."""

    source: str  # e.g. "sandbox · simulated org 'demo'" or "Anthropic Admin API"
    as_of: datetime  # when it was read (the source's clock: a sandbox's may not be today)
    freshness: str  # what "as of" means there, e.g. "usage typically within 5 minutes"


@dataclass(frozen=True, slots=True)
class FailedPart:
    """A part that could not be gathered, and why (one line, no secrets)."""

    name: str  # "usage", "costs", "requests" or "uptime"
    provenance: Provenance
    reason: str


@dataclass(frozen=True, slots=True)
class UsagePart:
    """Usage in 1-minute buckets around the transaction time, by model and API key (non-zero rows)."""

    provenance: Provenance
    start: datetime
    end: datetime
    entries: tuple[UsageEntry, ...]
    clipped: str = ""  # why the window is narrower than asked, if it is


@dataclass(frozen=True, slots=True)
class CostPart:
    """The transaction day's cost report, by description."""

    provenance: Provenance
    day: datetime
    lines: tuple[CostEntry, ...]

    @property
    def total(self) -> Decimal:
        """The day's billed total, USD."""
        return sum((line.amount for line in self.lines), Decimal(0))


@dataclass(frozen=True, slots=True)
class RequestLookup:
    """One listed request id: its record, or why there is none."""

    request_id: str
    record: RequestRecord | None = None
    failure: str | None = None  # the lookup itself failed (an API error), not "unknown id"
    looked_up: bool = True  # False where the provider has no request log to ask

    @property
    def status(self) -> str:
        """`found`, `not found in the request log`, `lookup failed` or `not looked up`."""
        if not self.looked_up:
            return "not looked up"
        if self.failure is not None:
            return "lookup failed"
        return "found" if self.record is not None else "not found in the request log"


@dataclass(frozen=True, slots=True)
class RequestsPart:
    """The claim's request ids, looked up where the provider has a request log."""

    provenance: Provenance
    lookups: tuple[RequestLookup, ...]
    lookupable: bool
    note: str = ""  # e.g. "Anthropic has no request-log API: give these IDs to support"

    @property
    def total_cost(self) -> Decimal:
        """What the found requests were charged in total, USD."""
        found = (lookup.record.cost for lookup in self.lookups if lookup.record is not None)
        return sum(found, Decimal(0))


@dataclass(frozen=True, slots=True)
class UptimePart:
    """The month's uptime against the SLA, and the credit it earns."""

    provenance: Provenance
    month_start: datetime
    month_end: datetime
    period_end: datetime  # month_end, or `now` while the month is still running
    outages: tuple[Window, ...]  # clipped to the period
    downtime: timedelta
    uptime: Decimal
    target: Decimal
    rate: Decimal
    net_spend: Decimal
    credit_due: Decimal
    credit_due_by: datetime
    method: str  # how the downtime was found (windows, or a request-log estimate)

    @property
    def complete(self) -> bool:
        """Whether the whole month is over (else the figures are month to date)."""
        return self.period_end >= self.month_end

    @property
    def breached(self) -> bool:
        """Whether uptime dropped below the target."""
        return breached(self.uptime, self.target)


@dataclass(frozen=True, slots=True)
class EvidenceBundle:
    """Everything gathered for one claim."""

    provider: str
    source: str
    simulated: bool
    gathered_at: datetime
    transaction_at: datetime
    usage: UsagePart | FailedPart | None = None
    costs: CostPart | FailedPart | None = None
    requests: RequestsPart | FailedPart | None = None
    uptime: UptimePart | FailedPart | None = None

    @property
    def failed(self) -> tuple[FailedPart, ...]:
        """The parts that could not be gathered."""
        parts = (self.usage, self.costs, self.requests, self.uptime)
        return tuple(part for part in parts if isinstance(part, FailedPart))

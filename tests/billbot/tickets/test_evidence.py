"""Evidence gathered against the real in-process sandbox: usage, cost, request lookups, uptime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from pydantic import SecretStr

from billbot.admin_api.client import AdminClient
from billbot.admin_api.source import DataSource
from billbot.runtime.embedded import EMBEDDED_URL
from billbot.tickets.catalog import builtin_profiles
from billbot.tickets.domain.model import Category, Claim, TicketKind
from billbot.tickets.domain.uptime import credit_due_by, merged_downtime, month_bounds, sla_credit_due, uptime
from billbot.tickets.evidence.gather import EvidenceSources, gather_evidence, sources_for
from billbot.tickets.evidence.outages import FROM_WINDOWS, SandboxOutages
from billbot.tickets.evidence.parts import (
    CostPart,
    FailedPart,
    RequestsPart,
    UptimePart,
    UsagePart,
)
from billbot.tickets.evidence.request_log import SandboxRequestLog
from billbot.tickets.evidence.text_file import evidence_text
from tests.billbot.tickets.sandbox_support import ADMIN_KEY, Sandbox, billing_data, sandbox

_CHEAP_SLA = builtin_profiles()["claudeapi-cheap"].sla
assert _CHEAP_SLA is not None
CHEAP_TARGET, CHEAP_RATE = _CHEAP_SLA.target_fraction, _CHEAP_SLA.rate  # 99.5 %, 1 % (the profile's)


__all__ = ["sandbox"]  # the fixture, imported for pytest


def claim(at: datetime, *ids: str, provider: str = "claudeapi-com") -> Claim:
    """A charged-but-failed dispute of the requests `ids` at `at`."""
    return Claim(
        TicketKind.DISPUTE, Category.CHARGED_BUT_FAILED, provider, at, at, Decimal("1.00"), request_ids=ids
    )


def test_looked_up_cost_is_what_the_sandbox_charged(sandbox: Sandbox) -> None:
    before = sandbox.balance()
    first = sandbox.send("a first call")
    second = sandbox.send("a second, longer call " * 20, max_tokens=200)
    charged = before - sandbox.balance()
    now = sandbox.now()
    bundle = gather_evidence(claim(now, first, second), sources_for(sandbox.source, sandbox.data), now=now)
    assert isinstance(bundle.requests, RequestsPart) and bundle.requests.lookupable
    records = [lookup.record for lookup in bundle.requests.lookups]
    assert [r.request_id for r in records if r] == [first, second]
    assert bundle.requests.total_cost == charged > 0
    record = records[0]
    assert record is not None and record.outcome == "served" and record.model == "claude-sonnet-5"
    assert record.tokens is not None and record.tokens.output > 0 and record.at == now
    text = evidence_text(bundle)
    assert first in text and str(record.cost) in text and "sandbox · simulated org" in text


def test_a_duplicate_charge_shows_twice_the_computed_cost(sandbox: Sandbox) -> None:
    sandbox.control("PUT", "/faults", {"duplicate_charge_probability": 1})
    try:
        before = sandbox.balance()
        request_id = sandbox.send("charged twice")
        charged = before - sandbox.balance()
    finally:
        sandbox.control("PUT", "/faults", {"duplicate_charge_probability": 0})
    record = SandboxRequestLog(sandbox.source.client).lookup(request_id)
    assert record is not None and record.times_charged == 2
    assert record.cost == charged and record.unit_cost * 2 == charged


def test_an_unknown_request_id_is_not_found_rather_than_an_error(sandbox: Sandbox) -> None:
    now = sandbox.now()
    known = sandbox.send()
    bundle = gather_evidence(
        claim(now, "req_011Cnope", known), sources_for(sandbox.source, sandbox.data), now=now
    )
    assert isinstance(bundle.requests, RequestsPart)
    unknown, found = bundle.requests.lookups
    assert unknown.status == "not found in the request log" and unknown.record is None
    assert found.status == "found" and bundle.failed == ()
    assert "req_011Cnope,not found in the request log" in evidence_text(bundle)


def test_usage_and_cost_around_the_transaction(sandbox: Sandbox) -> None:
    request_id = sandbox.send("usage evidence")
    now = sandbox.now()
    bundle = gather_evidence(claim(now, request_id), sources_for(sandbox.source, sandbox.data), now=now)
    usage, costs = bundle.usage, bundle.costs
    assert isinstance(usage, UsagePart) and isinstance(costs, CostPart)
    minute = now.replace(second=0, microsecond=0)
    assert usage.start == minute - timedelta(minutes=30) and usage.end == minute + timedelta(minutes=1)
    assert usage.clipped == "the window's end is clipped to now"  # the transaction is "now"
    mine = [e for e in usage.entries if e.start == minute and e.model == "claude-sonnet-5"]
    assert mine and all(e.api_key_id for e in mine)
    assert costs.day == datetime(2026, 11, 22, tzinfo=UTC) and costs.total > 0
    assert any("Sonnet 5" in (line.description or "") for line in costs.lines)
    assert "## Usage, 1-minute buckets" in evidence_text(bundle)


def test_the_usage_window_stays_within_one_page_of_1m_buckets(sandbox: Sandbox) -> None:
    now = sandbox.now()
    at = now - timedelta(days=2)
    bundle = gather_evidence(
        claim(at), sources_for(sandbox.source, sandbox.data), now=now, window=timedelta(hours=24)
    )
    assert isinstance(bundle.usage, UsagePart)
    assert bundle.usage.end - bundle.usage.start == timedelta(minutes=1440)
    assert bundle.usage.entries and not bundle.usage.clipped


def test_a_failing_part_is_recorded_and_the_rest_still_gathered(sandbox: Sandbox) -> None:
    wrong = "sk-ant-admin01-not-the-right-key"
    request_id = sandbox.send()
    now = sandbox.now()
    bad_client = AdminClient(EMBEDDED_URL, SecretStr(wrong), transport=sandbox.transport)
    bad_source = DataSource("embedded_sandbox", sandbox.source.label, bad_client, sandbox.now)
    bad_log = SandboxRequestLog(bad_client)
    sources = EvidenceSources(
        billing_data(bad_source),
        sandbox.source.label,
        True,
        bad_log,
        SandboxOutages(sandbox.source.client),
    )
    bundle = gather_evidence(claim(now, request_id, provider="claudeapi-cheap"), sources, now=now)
    assert isinstance(bundle.usage, FailedPart) and isinstance(bundle.costs, FailedPart)
    assert "401" in bundle.usage.reason and bundle.usage.provenance.source == sandbox.source.label
    assert isinstance(bundle.requests, RequestsPart)
    (lookup,) = bundle.requests.lookups
    assert lookup.status == "lookup failed" and "rejected the key" in (lookup.failure or "")
    assert isinstance(bundle.uptime, FailedPart)  # the month's net spend comes from the cost report
    text = evidence_text(bundle)
    assert "## Usage: FAILED" in text and "failed parts: usage, costs, uptime" in text
    assert wrong not in text and ADMIN_KEY not in text and wrong not in repr(bundle)


def test_uptime_of_the_demo_outage_month_from_the_sandbox_state(sandbox: Sandbox) -> None:
    now = sandbox.now()
    october = datetime(2026, 10, 20, tzinfo=UTC)
    bundle = gather_evidence(
        claim(october, provider="claudeapi-cheap"), sources_for(sandbox.source, sandbox.data), now=now
    )
    part = bundle.uptime
    assert isinstance(part, UptimePart) and part.complete and part.method == FROM_WINDOWS
    outage = (datetime(2026, 10, 10, 12, tzinfo=UTC), datetime(2026, 10, 10, 12, 45, tzinfo=UTC))
    assert part.outages == (outage,) and part.downtime == timedelta(minutes=45)
    assert part.uptime == 1 - Decimal(45) / Decimal(31 * 1440)
    assert not part.breached and part.credit_due == 0 and part.net_spend > 0
    assert "uptime: 99.899% · target 99.500% · met" in evidence_text(bundle)


def test_an_outage_opened_now_counts_in_the_running_month(sandbox: Sandbox) -> None:
    now = sandbox.now()
    state = sandbox.control("PUT", "/faults", {"outage_minutes": 240})
    try:
        assert state["faults"]["outage_windows"][-1]["start"] == now.isoformat().replace("+00:00", "Z")
        later = now + timedelta(hours=1)
        sources = sources_for(sandbox.source, sandbox.data)
        bundle = gather_evidence(claim(now, provider="claudeapi-cheap"), sources, now=later)
    finally:
        sandbox.control("POST", "/clock", {"advance_seconds": 241 * 60})  # past the outage, for later tests
    part = bundle.uptime
    assert isinstance(part, UptimePart) and not part.complete and part.period_end == later
    assert part.downtime == timedelta(hours=1)  # clipped to now: the rest has not happened yet
    assert part.breached is (part.uptime < Decimal("0.995"))


def test_anthropic_ids_are_listed_for_support_not_looked_up(sandbox: Sandbox) -> None:
    now = sandbox.now()
    sources = EvidenceSources(sandbox.data, "Anthropic Admin API", simulated=False)
    bundle = gather_evidence(claim(now, "req_011Cabc", provider="anthropic"), sources, now=now)
    assert isinstance(bundle.requests, RequestsPart) and not bundle.requests.lookupable
    assert [lookup.status for lookup in bundle.requests.lookups] == ["not looked up"]
    assert bundle.uptime is None  # no SLA in Anthropic's terms
    text = evidence_text(bundle)
    assert "no request-log API" in text and "req_011Cabc,not looked up" in text
    assert "SIMULATED" not in text and "typically complete within 5 minutes" in text


NOVEMBER = month_bounds(datetime(2026, 11, 15, tzinfo=UTC))  # 30 days: 43,200 minutes


def outage(minutes: int, day: int = 3) -> tuple[datetime, datetime]:
    """An outage of `minutes` starting at noon on `day` of November 2026."""
    start = datetime(2026, 11, day, 12, tzinfo=UTC)
    return start, start + timedelta(minutes=minutes)


def test_exactly_99_5_percent_uptime_earns_no_credit() -> None:
    exactly = uptime(*NOVEMBER, [outage(216)])  # 0.5% of 43,200 minutes
    assert exactly == Decimal("0.995")
    assert sla_credit_due(Decimal("812.40"), exactly, CHEAP_TARGET, CHEAP_RATE) == 0


def test_just_below_99_5_percent_earns_1_percent_of_net_spend() -> None:
    below = uptime(*NOVEMBER, [outage(217)])
    assert below < Decimal("0.995")
    spend = Decimal("812.40")
    assert sla_credit_due(spend, below, CHEAP_TARGET, CHEAP_RATE) == Decimal(
        "8.124"
    )  # exact; rounded to show
    assert sla_credit_due(spend, below, CHEAP_TARGET, Decimal("0.02")) == Decimal("16.248")
    assert sla_credit_due(Decimal(0), below, CHEAP_TARGET, CHEAP_RATE) == 0
    assert credit_due_by(NOVEMBER[0], 10) == datetime(2026, 12, 11, tzinfo=UTC)  # by the end of the 10th


def test_outages_are_merged_and_clipped_to_the_month() -> None:
    start, end = NOVEMBER
    overlapping = [outage(120), outage(60, day=3), (end - timedelta(minutes=30), end + timedelta(hours=5))]
    before = [(start - timedelta(days=2), start + timedelta(minutes=10))]
    assert merged_downtime(start, end, overlapping + before) == timedelta(minutes=160)
    assert uptime(start, end, []) == 1 and uptime(end, end, [outage(5)]) == 1
    december = month_bounds(datetime(2026, 12, 31, 23, 59, tzinfo=UTC))
    assert december == (datetime(2026, 12, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC))

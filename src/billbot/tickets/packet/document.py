"""The claim packet: everything the provider's profile asks for, as JSON and as Markdown, ready to send.

`packet_json` is the stable schema (docs/TICKETS.md, "Claim packet"; `schema` names its version):
amounts are decimal strings in USD, times RFC 3339 with a `Z`. `packet_markdown` renders the same
content for a person, ending with a cover text addressed to the provider.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from billbot.tickets.domain.model import CATEGORY_LABELS, Assessment, ChecklistItem, Claim, Clause
from billbot.tickets.evidence.parts import CostPart, EvidenceBundle, RequestLookup, RequestsPart, UptimePart
from billbot.tickets.evidence.text_file import stamp
from billbot.tickets.packet.cover import cover_text
from billbot.tickets.packet.markdown import render_markdown

SCHEMA = "billbot.claim_packet/1"
# Checklist kinds a claim field can answer when no evidence of that kind was added by hand.
FIELD_KINDS = {"request_id": "request_ids", "time": "transaction_at", "call_time": "transaction_at"}
FIELD_KINDS |= {"screenshot": "evidence_links", "organisation": "organization"}


def packet_json(
    ticket_id: str,
    claim: Claim,
    assessment: Assessment,
    bundle: EvidenceBundle | None,
    *,
    organization: str,
    now: datetime,
) -> dict[str, Any]:
    """The packet as a JSON-serialisable dict (the schema in docs/TICKETS.md)."""
    packet: dict[str, Any] = {
        "schema": SCHEMA,
        "ticket_id": ticket_id,
        "generated_at": stamp(now),
        "organization": organization,
        "provider": {"id": assessment.provider, "name": assessment.provider_name},
        "kind": claim.kind.value,
        "category": {"id": claim.category.value, "label": CATEGORY_LABELS[claim.category]},
        "amount_usd": _money(claim.amount),
        "transaction_at": stamp(claim.transaction_at),
        "filed_at": stamp(claim.filed_at),
        "submitted_at": None if claim.submitted_at is None else stamp(claim.submitted_at),
        "deadline": _deadline(assessment, now),
        "description": claim.description,
        "request_ids": _request_ids(claim, bundle),
        "evidence_links": list(claim.evidence_links),
        "evidence": [{"kind": e.kind, "value": e.value, "automatic": e.automatic} for e in claim.evidence],
        "checklist": [_check(item, claim, organization) for item in assessment.checklist],
        "missing": [item.label for item in assessment.missing],
        "notes": [
            {"severity": n.severity, "text": n.text, "clause": _clause(n.clause)} for n in assessment.notes
        ],
        "remedies_requested": list(assessment.remedies),
        "evidence_summary": None if bundle is None else _summary(bundle),
    }
    packet["cover_text"] = cover_text(packet)
    return packet


def packet_markdown(
    ticket_id: str,
    claim: Claim,
    assessment: Assessment,
    bundle: EvidenceBundle | None,
    *,
    organization: str,
    now: datetime,
) -> str:
    """The packet as Markdown for a person: the same content as `packet_json`, cover text last."""
    packet = packet_json(ticket_id, claim, assessment, bundle, organization=organization, now=now)
    return render_markdown(packet)


def checklist_value(item: ChecklistItem, claim: Claim, organization: str) -> str | None:
    """What answers a checklist item: evidence added of its kind, else the claim field it maps to."""
    added = [e.value.strip() for e in claim.evidence if e.kind == item.kind and e.value.strip()]
    if added:
        return "; ".join(added)
    field = FIELD_KINDS.get(item.kind)
    if field == "request_ids" and claim.request_ids:
        return ", ".join(claim.request_ids)
    if field == "transaction_at":
        return stamp(claim.transaction_at)
    if field == "evidence_links" and claim.evidence_links:
        return ", ".join(claim.evidence_links)
    if field == "organization" and organization:
        return organization
    return None


def _check(item: ChecklistItem, claim: Claim, organization: str) -> dict[str, Any]:
    value = checklist_value(item, claim, organization) if item.present else None
    return {
        "kind": item.kind,
        "label": item.label,
        "present": item.present,
        "value": value,
        "clause": _clause(item.clause),
    }


def _deadline(assessment: Assessment, now: datetime) -> dict[str, Any]:
    at = assessment.deadline
    days_left = None if at is None else (at.astimezone(UTC) - now.astimezone(UTC)).days
    return {"at": None if at is None else stamp(at), "late": assessment.late, "days_left": days_left}


def _request_ids(claim: Claim, bundle: EvidenceBundle | None) -> list[dict[str, Any]]:
    part = bundle.requests if bundle is not None else None
    lookups = {x.request_id: x for x in part.lookups} if isinstance(part, RequestsPart) else {}
    return [_lookup(rid, lookups.get(rid)) for rid in dict.fromkeys(claim.request_ids)]


def _lookup(request_id: str, lookup: RequestLookup | None) -> dict[str, Any]:
    record = None if lookup is None else lookup.record
    entry: dict[str, Any] = {
        "request_id": request_id,
        "status": "not looked up" if lookup is None else lookup.status,
    }
    entry |= {"cost_usd": None, "times_charged": None, "at": None, "model": None, "outcome": None}
    entry |= {"input_tokens": None, "output_tokens": None, "error": None}
    if record is not None:
        tokens = record.tokens
        entry |= {"cost_usd": str(record.cost), "times_charged": record.times_charged, "at": stamp(record.at)}
        entry |= {"model": record.model, "outcome": record.outcome, "error": record.error}
        entry |= {
            "input_tokens": tokens.input_tokens if tokens else 0,
            "output_tokens": tokens.output if tokens else 0,
        }
    return entry


def _summary(bundle: EvidenceBundle) -> dict[str, Any]:
    costs, uptime = bundle.costs, bundle.uptime
    return {
        "source": bundle.source,
        "simulated": bundle.simulated,
        "gathered_at": stamp(bundle.gathered_at),
        "failed_parts": [{"name": part.name, "reason": part.reason} for part in bundle.failed],
        "day_cost_usd": str(costs.total) if isinstance(costs, CostPart) else None,
        "uptime": _uptime(uptime) if isinstance(uptime, UptimePart) else None,
    }


def _uptime(part: UptimePart) -> dict[str, Any]:
    return {
        "month": f"{part.month_start:%Y-%m}",
        "complete": part.complete,
        "uptime": str(part.uptime),
        "target": str(part.target),
        "breached": part.breached,
        "net_spend_usd": str(part.net_spend),
        "credit_due_usd": str(part.credit_due),
        "credit_due_by": stamp(part.credit_due_by),
        "method": part.method,
    }


def _clause(clause: Clause | None) -> dict[str, str] | None:
    return None if clause is None else {"ref": clause.ref, "quote": clause.quote, "source": clause.source}


def _money(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount)

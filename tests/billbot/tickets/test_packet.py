"""The claim packet: checklist with values or MISSING, the deadline and lateness, looked-up costs, cover."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from billbot.tickets.domain.model import (
    Assessment,
    Category,
    ChecklistItem,
    Claim,
    Clause,
    Evidence,
    Note,
    TicketKind,
)
from billbot.tickets.evidence.gather import gather_evidence, sources_for
from billbot.tickets.packet.document import SCHEMA, packet_json, packet_markdown
from tests.billbot.tickets.sandbox_support import Sandbox, sandbox

__all__ = ["sandbox"]  # the fixture, imported for pytest

OBJECTION = Clause(
    "Service Delivery Terms §11",
    "the User shall raise the objection in writing within 30 days of the date the transaction occurs",
    "claudeapi.com service-delivery terms",
)
SUPPORT = Clause(
    "Service Delivery Terms §10.2", "provide the account email, order number, payment voucher, …"
)
AT = datetime(2026, 11, 3, 14, 5, tzinfo=UTC)


def claim(*ids: str, **fields: Any) -> Claim:
    """A charged-but-failed dispute at AT with the given request ids."""
    base = Claim(
        TicketKind.DISPUTE,
        Category.CHARGED_BUT_FAILED,
        "claudeapi-com",
        AT,
        AT + timedelta(days=1),
        Decimal("12.50"),
        request_ids=ids,
        description="The call failed with a 500 but was billed.",
        evidence_links=("https://example.com/shot.png",),
        evidence=(Evidence("account_email", "ops@example.com"),),
    )
    return replace(base, **fields)


def assessment(*, late: bool = False) -> Assessment:
    """What the claudeapi-com profile says: a 30-day window, seven items, some missing."""
    items = [
        ChecklistItem("account_email", "Account email", True, SUPPORT),
        ChecklistItem("order_number", "Order number", False, SUPPORT),
        ChecklistItem("payment_voucher", "Payment voucher (receipt or transaction hash)", False, SUPPORT),
        ChecklistItem("call_time", "Call time", True, SUPPORT),
        ChecklistItem("request_id", "Request ID", True, SUPPORT),
        ChecklistItem("error_message", "Error message", False, SUPPORT),
        ChecklistItem("screenshot", "Screenshots (links)", True, SUPPORT),
    ]
    notes: tuple[Note, ...] = (Note("Platform-caused: refund, re-issue or correction.", OBJECTION),)
    if late:
        notes += (Note("The 30-day objection window has passed: the billing stands.", OBJECTION, "blocker"),)
    return Assessment(
        "claudeapi-com",
        "claudeapi.com",
        AT + timedelta(days=30),
        late,
        tuple(items),
        notes,
        ("refund", "correction"),
    )


def test_every_missing_item_is_listed_by_name_and_present_ones_with_their_value() -> None:
    now = AT + timedelta(days=2)
    packet = packet_json("42", claim("req_011Cabc"), assessment(), None, organization="Acme", now=now)
    assert packet["missing"] == [
        "Order number",
        "Payment voucher (receipt or transaction hash)",
        "Error message",
    ]
    values = {item["kind"]: item["value"] for item in packet["checklist"]}
    assert values == {
        "account_email": "ops@example.com",
        "order_number": None,
        "payment_voucher": None,
        "call_time": "2026-11-03T14:05:00Z",
        "request_id": "req_011Cabc",
        "error_message": None,
        "screenshot": "https://example.com/shot.png",
    }
    markdown = packet_markdown("42", claim("req_011Cabc"), assessment(), None, organization="Acme", now=now)
    for label in packet["missing"]:
        assert f"- [ ] {label}: **MISSING**" in markdown
    assert "- [x] Account email: present: ops@example.com" in markdown
    assert packet["deadline"] == {"at": "2026-12-03T14:05:00Z", "late": False, "days_left": 28}


def test_a_late_claim_is_marked_late_with_the_clause_quoted() -> None:
    now = AT + timedelta(days=45)
    packet = packet_json("7", claim(), assessment(late=True), None, organization="Acme", now=now)
    assert packet["deadline"]["late"] is True and packet["deadline"]["days_left"] == -15
    markdown = packet_markdown("7", claim(), assessment(late=True), None, organization="Acme", now=now)
    assert "**LATE**: the deadline was 2026-12-03T14:05:00Z" in markdown
    assert f"> {OBJECTION.quote}" in markdown and "— Service Delivery Terms §11" in markdown
    assert "**blocker**: The 30-day objection window has passed" in markdown


def test_the_json_is_serialisable_with_string_amounts_and_z_times(sandbox: Sandbox) -> None:
    before = sandbox.balance()
    request_id = sandbox.send("billed but failed?")
    charged = before - sandbox.balance()
    now = sandbox.now()
    filed = claim(request_id, "req_011Cunknown", transaction_at=now, filed_at=now)
    bundle = gather_evidence(filed, sources_for(sandbox.source, sandbox.data), now=now)
    packet = packet_json("9", filed, assessment(), bundle, organization="Demo org", now=now)
    assert json.loads(json.dumps(packet)) == packet  # nothing but JSON types
    assert packet["schema"] == SCHEMA and packet["amount_usd"] == "12.50"
    found, unknown = packet["request_ids"]
    assert found["status"] == "found" and Decimal(found["cost_usd"]) == charged
    assert found["model"] == "claude-sonnet-5" and found["outcome"] == "served"
    assert unknown == {"request_id": "req_011Cunknown", "status": "not found in the request log"} | {
        key: None for key in unknown if key not in ("request_id", "status")
    }
    summary = packet["evidence_summary"]
    assert summary["simulated"] is True and summary["failed_parts"] == []
    assert Decimal(summary["day_cost_usd"]) > 0 and summary["gathered_at"].endswith("Z")
    markdown = packet_markdown("9", filed, assessment(), bundle, organization="Demo org", now=now)
    assert f"| {request_id} | found | <$0.01 ({found['cost_usd']}) |" in markdown


def test_the_cover_text_is_addressed_to_the_provider_and_ready_to_send() -> None:
    now = AT + timedelta(days=2)
    packet = packet_json("42", claim("req_011Cabc"), assessment(), None, organization="Acme", now=now)
    cover = packet["cover_text"]
    assert cover.startswith("To claudeapi.com support,\n")
    assert "On behalf of Acme, we dispute a charge of $12.50 made on 2026-11-03T14:05:00Z" in cover
    assert "(charged but the call failed; our reference: ticket #42)" in cover
    assert "Request IDs concerned: req_011Cabc." in cover and "- Account email: ops@example.com" in cover
    assert "We ask for: refund, correction." in cover and cover.endswith("Thank you,\nAcme")
    markdown = packet_markdown("42", claim("req_011Cabc"), assessment(), None, organization="Acme", now=now)
    assert "## Cover text\n\n> To claudeapi.com support," in markdown


def test_the_json_has_exactly_the_fields_docs_tickets_documents() -> None:
    doc = (Path(__file__).parents[3] / "docs" / "TICKETS.md").read_text()
    section = doc.split("## Claim packet", 1)[1]
    top_table = section.split("\n\n| Field |", 2)[1]  # the first table: the packet's own fields
    documented = re.findall(r"^\| `(\w+)` \|", "| Field |" + top_table, flags=re.MULTILINE)
    packet = packet_json("1", claim("req_1"), assessment(), None, organization="", now=AT)
    assert documented == list(packet)

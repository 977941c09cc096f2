"""The files a ticket's thread gets, built from a real store, the profiles and the demo sandbox."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from billbot.store.engine import make_engine
from billbot.store.migrate import migrate
from billbot.tickets.catalog import load_profiles
from billbot.tickets.domain.events import EventKind
from billbot.tickets.domain.model import Category, Claim, Evidence, TicketKind
from billbot.tickets.evidence.gather import sources_for
from billbot.tickets.files import TicketFiles
from billbot.tickets.service import TicketService
from tests.billbot.tickets.sandbox_support import Sandbox, sandbox  # noqa: F401  (the module's sandbox)


def files_for(sandbox: Sandbox, tmp_path: Path) -> tuple[TicketService, TicketFiles]:  # noqa: F811
    engine = make_engine(f"sqlite:///{tmp_path / 'files.db'}")
    migrate(engine)
    service = TicketService(engine, load_profiles())
    sources = sources_for(sandbox.source, sandbox.data)
    return service, TicketFiles(service, sources, organization="demo", now=sandbox.now)


def test_an_sla_ticket_gets_the_months_uptime_against_the_profiles_target(
    sandbox: Sandbox,  # noqa: F811
    tmp_path: Path,
) -> None:
    service, files = files_for(sandbox, tmp_path)
    # The demo's October outage (45 minutes): 99.899 % against claudeapi-cheap's 99.5 %, no credit due.
    claim = Claim(TicketKind.REFUND, Category.SLA_CREDIT, "claudeapi-cheap",
                  datetime(2026, 10, 20, 9, tzinfo=UTC), sandbox.now())  # fmt: skip
    ticket, _ = service.file(claim, submission_key="sla", by="U1", channel_id="C1")
    service.outbox.queue_post(ticket.id, EventKind.EVIDENCE_FILE, by="billbot", now=sandbox.now())
    event = service.events(ticket.id)[-1]
    (attachment,) = files(service.get(ticket.id), event)
    assert attachment.filename == f"ticket-{ticket.id}-evidence.txt"
    assert "Uptime and SLA credit" in attachment.content
    assert "99.5" in attachment.content and "99.89" in attachment.content


def test_the_claim_packet_is_markdown_and_json_with_evidence_added_since_filing(
    sandbox: Sandbox,  # noqa: F811
    tmp_path: Path,
) -> None:
    service, files = files_for(sandbox, tmp_path)
    request_id = sandbox.send("Bill me")
    now = sandbox.now()
    claim = Claim(
        TicketKind.DISPUTE, Category.DUPLICATE_CHARGE, "claudeapi-com", now, now, request_ids=(request_id,)
    )
    ticket, _ = service.file(claim, submission_key="pk", by="U1", channel_id="C1")
    service.add_evidence(ticket.id, Evidence("order_number", "ORD-77", "U1"), now=sandbox.now())
    service.outbox.queue_post(ticket.id, EventKind.PACKET, by="U1", now=sandbox.now())
    markdown, document = files(service.get(ticket.id), service.events(ticket.id)[-1])
    assert (markdown.filename, document.filename) == (
        f"ticket-{ticket.id}-claim.md",
        f"ticket-{ticket.id}-claim.json",
    )
    packet = json.loads(document.content)
    assert packet["schema"] == "billbot.claim_packet/1"
    assert "Order number" not in packet["missing"] and "Account email" in packet["missing"]
    assert packet["request_ids"][0]["request_id"] == request_id
    assert "ORD-77" in markdown.content

"""The files a ticket's thread gets: the evidence gathered automatically, and the claim packet.

The relay asks for them when it posts an `evidence_file` or `packet` event, so a file is built from
the ticket as it stands then (evidence added since filing is in the packet). Evidence is gathered
fresh from the data source; a part that fails is said in the file, the rest still gets attached.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from billbot.tickets.domain.ticket import Ticket, TicketEvent
from billbot.tickets.evidence.gather import EvidenceSources, gather_evidence
from billbot.tickets.evidence.reads import sla_terms_of
from billbot.tickets.evidence.text_file import evidence_text
from billbot.tickets.packet.document import packet_json
from billbot.tickets.packet.markdown import render_markdown
from billbot.tickets.service import TicketService


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file to upload into a thread."""

    filename: str
    title: str
    content: str


class TicketFiles:
    """Builds a ticket event's files from the store, the evidence sources and the policy."""

    def __init__(
        self,
        service: TicketService,
        sources: EvidenceSources | None,
        *,
        organization: str,
        now: Callable[[], datetime],
    ) -> None:
        self.service = service
        self.sources = sources
        self.organization = organization
        self.now = now
        self.sla_terms = sla_terms_of(service.profiles)  # the profiles in use, a user's own included

    def __call__(self, ticket: Ticket, event: TicketEvent) -> list[Attachment]:
        """The files for `event` (none for an event that carries no file)."""
        now = self.now()
        if event.kind not in ("evidence_file", "packet"):
            return []  # gather nothing for an event that carries no file
        bundle = None
        if self.sources is not None:
            bundle = gather_evidence(ticket.claim, self.sources, now=now, sla_terms=self.sla_terms)
        stem = f"ticket-{ticket.id}"
        if event.kind == "evidence_file":
            if bundle is None:
                return []
            text = evidence_text(bundle)
            return [Attachment(f"{stem}-evidence.txt", f"Evidence for ticket {ticket.label}", text)]
        verdict = self.service.assessment(ticket, now)
        document = packet_json(
            ticket.label, ticket.claim, verdict, bundle, organization=self.organization, now=now
        )
        return [
            # The Markdown is rendered from the same document, so the two never disagree.
            Attachment(
                f"{stem}-claim.md", f"Claim packet {ticket.label} (Markdown)", render_markdown(document)
            ),
            Attachment(
                f"{stem}-claim.json", f"Claim packet {ticket.label} (JSON)", json.dumps(document, indent=2)
            ),
        ]

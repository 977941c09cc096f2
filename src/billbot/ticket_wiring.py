"""Wiring the ticket desk in the Slack composition root: the ticket service (`billbot.ticket_store`),
the evidence it attaches and its relay to Slack."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from slack_sdk import WebClient

from billbot.settings import Settings
from billbot.slack.tickets.desk import TicketDesk
from billbot.slack.tickets.relay import TicketRelay
from billbot.sources import Source
from billbot.ticket_store import open_ticket_service
from billbot.tickets.evidence.gather import sources_for
from billbot.tickets.files import TicketFiles


@contextmanager
def open_ticket_desk(settings: Settings, source: Source, client: WebClient) -> Iterator[TicketDesk]:
    """The ticket desk: the service, its relay to Slack through `client`, the evidence it attaches."""
    with open_ticket_service(settings, source) as service:
        organization = source.origin.label if source.book is None else source.book.org_id
        files = TicketFiles(
            service, sources_for(source.origin, source.data), organization=organization, now=source.now
        )
        relay = TicketRelay(service, client, source.now, files)
        yield TicketDesk(service, relay, settings.provider, settings.ticket_channel)

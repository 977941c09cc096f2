"""Ticket commands in the terminal: `/claude-tickets …`, and `/claude-dispute … at WHEN` filed at once.

The ticket store is opened for the command (tickets always live in the configured store, see
`billbot.ticket_wiring`); the local operator files as `terminal`.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from billbot.commands.tickets import TicketsQuery, parse_ticket_command
from billbot.responses.model import Response
from billbot.settings import Settings
from billbot.sources import Source
from billbot.ticket_store import open_ticket_service
from billbot.tickets.queries import file_from_words, tickets_answer
from billbot.tickets.service import TicketService

OPERATOR = "terminal"


@dataclass(frozen=True)
class TerminalTickets:
    """How the terminal reaches tickets: the store to open, the default provider, the ticket channel."""

    open: Callable[[], AbstractContextManager[TicketService]]
    provider: str
    channel: str | None


def ticket_response(tickets: TerminalTickets, text: str, now: datetime) -> Response:
    """The answer to a ticket command; `CommandError` for bad input, `TicketError` for a bad change."""
    query = parse_ticket_command(text, now)
    with tickets.open() as service:
        if isinstance(query, TicketsQuery):
            return tickets_answer(service, query, now)
        return file_from_words(
            service, query, provider=tickets.provider, channel=tickets.channel, by=OPERATOR, now=now
        )


def terminal_tickets(settings: Settings, source: Source) -> TerminalTickets:
    """The terminal's way to the tickets of the configured store."""
    return TerminalTickets(
        partial(open_ticket_service, settings, source), settings.provider, settings.ticket_channel
    )

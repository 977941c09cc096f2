"""Ticket answers: `/claude-tickets …`, and filing where there is no form (the terminal).

Every interface answers `/claude-tickets` through `tickets_answer`. In a terminal there is no
modal, so `/claude-dispute … at WHEN …` files the ticket from the command's words (`file_from_words`);
its thread opens in the ticket channel the next time billbot runs in Slack.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from uuid import uuid4

from billbot.app.grammar.amounts import InputError
from billbot.app.grammar.tickets import FilingQuery, TicketsQuery
from billbot.app.replies.model import Response
from billbot.app.replies.tickets import SOURCE, ticket_response, tickets_list_response
from billbot.tickets.domain.model import Category, Claim, TicketKind
from billbot.tickets.service import TicketError, TicketService

NEEDS_WHEN = "there is no form in a terminal: say when the charge happened, e.g. at 2026-11-20T10:00Z"


def tickets_answer(service: TicketService, query: TicketsQuery, now: datetime) -> Response:
    """The answer to `/claude-tickets`: a list, or one ticket with its assessment."""
    if query.which == "one":
        assert query.ticket_id is not None
        try:
            ticket = service.get(query.ticket_id)
        except TicketError as exc:
            return Response("billbot tickets", SOURCE, warnings=(str(exc),))
        return ticket_response(ticket, service.assessment(ticket, now), now)
    include = query.which == "all"
    return tickets_list_response(service.tickets(include_resolved=include), include_resolved=include)


def file_from_words(
    service: TicketService, query: FilingQuery, *, provider: str, channel: str | None, by: str, now: datetime
) -> Response:
    """File the ticket a command describes (it must say when); the ticket as filed."""
    words = query.prefill
    if "at" not in words:
        raise InputError(NEEDS_WHEN)
    chosen = words.get("provider", provider)
    if chosen not in service.profiles:
        raise InputError(f"no provider profile {chosen!r}; known: {', '.join(sorted(service.profiles))}")
    default = Category.UNUSED_BALANCE if query.kind is TicketKind.REFUND else Category.OVERCHARGE
    claim = Claim(
        kind=query.kind,
        category=Category(words.get("category", default.value)),
        provider=chosen,
        transaction_at=datetime.fromisoformat(words["at"]),
        filed_at=now,
        amount=Decimal(words["amount"]) if "amount" in words else None,
        request_ids=tuple(filter(None, words.get("requests", "").split("\n"))),
        description=words.get("description", ""),
    )
    ticket, _ = service.file(claim, submission_key=f"terminal:{uuid4()}", by=by, channel_id=channel or "")
    response = ticket_response(ticket, service.assessment(ticket, now), now)
    where = (
        f"its thread opens in <#{channel}>" if channel else "set BILLBOT_TICKET_CHANNEL to give it a thread"
    )
    note = f"Filed as {ticket.label} from the terminal; {where} when billbot runs in Slack."
    return Response(response.title, response.source, response.facts, response.tables,
                    (note, *response.notes), response.warnings)  # fmt: skip

"""The handlers of the answer and ticket commands: services, a parsed query, the actor and `now` in.

Each returns a reply model; none knows which interface asked. A ticket filed where there is no form
(the terminal) is filed from the command's words; where there is one (Slack) the form opens.
"""

from __future__ import annotations

from datetime import datetime

from billbot.app.command import Actor, OpenForm, Reply
from billbot.app.errors import Unavailable
from billbot.app.grammar.answers import BalanceQuery, LimitsQuery, SpendQuery, UsageQuery
from billbot.app.grammar.tickets import FilingQuery, TicketsQuery
from billbot.app.replies.model import Response
from billbot.app.services import Services
from billbot.app.tickets import file_from_words, tickets_answer
from billbot.tickets.service import TicketService

BALANCE_TITLE = "Claude API balance"
SANDBOX_BALANCE = (
    "A sandbox knows its balance exactly, so there is nothing to record; change it with "
    "/sandbox/v1/topups or /sandbox/v1/auto_reload (docs/SANDBOX.md)."
)
NO_TICKETS = "Tickets need the store: billbot was started without one (see docs/TICKETS.md)."


def spend(services: Services, query: SpendQuery, actor: Actor, now: datetime) -> Reply:
    """`/claude-spend`."""
    return services.answers.spend(query, now)


def usage(services: Services, query: UsageQuery, actor: Actor, now: datetime) -> Reply:
    """`/claude-usage`."""
    return services.answers.usage(query, now)


def limits(services: Services, query: LimitsQuery, actor: Actor, now: datetime) -> Reply:
    """`/claude-limits`."""
    return services.answers.limits(query, now)


def balance(services: Services, query: BalanceQuery, actor: Actor, now: datetime) -> Reply:
    """`/claude-balance`: the balance, its history, or an admin's record of a top-up, anchor or reload."""
    if query.action == "show":
        return services.answers.balance(now)
    if query.action == "history":
        if services.sandbox_history is not None:
            return services.sandbox_history()
        if services.book is not None:
            return services.book.history()
    elif services.book is not None:
        return services.book.record(query, by=actor.user, now=now)
    return Response(BALANCE_TITLE, services.label, notes=(SANDBOX_BALANCE,))


def tickets(services: Services, query: TicketsQuery, actor: Actor, now: datetime) -> Reply:
    """`/claude-tickets [open|all|ID]`."""
    return tickets_answer(_ticket_service(services), query, now)


def file_ticket(services: Services, query: FilingQuery, actor: Actor, now: datetime) -> Reply:
    """`/claude-dispute …`, `/claude-refund …`: the form where there is one, else filed from the words."""
    if actor.forms and services.tickets is not None:
        return OpenForm(query.kind, query.prefill)
    return file_from_words(
        _ticket_service(services),
        query,
        provider=services.provider,
        channel=services.ticket_channel or actor.channel,
        by=actor.user,
        now=now,
    )


def _ticket_service(services: Services) -> TicketService:
    if services.tickets is None:
        raise Unavailable(NO_TICKETS)
    return services.tickets()

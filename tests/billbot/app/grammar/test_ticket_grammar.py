"""The ticket commands' grammar: what `/claude-dispute …` pre-fills, and `/claude-tickets` arguments."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from billbot.app import handlers
from billbot.app.grammar.answers import CommandError
from billbot.app.grammar.tickets import FilingQuery, TicketsQuery
from billbot.app.table import parse
from billbot.tickets.domain.model import TicketKind
from tests.billbot.app.support import parse_query

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "kind", "prefill"),
    [
        ("/claude-dispute", TicketKind.DISPUTE, {}),
        ("/claude-refund unused", TicketKind.REFUND, {"category": "unused_balance"}),
        (
            "/claude-dispute duplicate $1,212.50 req_011CA req_011CB charged twice",
            TicketKind.DISPUTE,
            {"category": "duplicate_charge", "amount": "1212.50", "requests": "req_011CA\nreq_011CB",
             "description": "charged twice"},
        ),
        (
            "/claude-dispute failed at 2026-11-19T08:30:00Z provider ClaudeAPI-com 0.42",
            TicketKind.DISPUTE,
            {"category": "charged_but_failed", "at": "2026-11-19T08:30:00+00:00", "provider": "claudeapi-com",
             "amount": "0.42"},
        ),
        # A category word after the description has begun is part of the description.
        ("/claude-dispute the other day I was charged 5 twice", TicketKind.DISPUTE,
         {"description": "the other day I was charged 5 twice"}),
    ],
)  # fmt: skip
def test_filing_commands_prefill_the_form(text: str, kind: TicketKind, prefill: dict[str, str]) -> None:
    invocation = parse(text, NOW)
    assert invocation.command.handle is handlers.file_ticket and invocation.command.immediate
    assert invocation.query == FilingQuery(kind, prefill)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("/claude-dispute at 2026-12-24", "is in the future"),
        ("/claude-dispute at yesterday", "is not a date"),
        ("/claude-dispute provider", "needs a value"),
        ("/claude-refund 0", "more than zero"),
    ],
)
def test_bad_filing_input_names_the_problem_and_the_usage(text: str, message: str) -> None:
    with pytest.raises(CommandError, match=message) as caught:
        parse_query(text, NOW)
    assert caught.value.usage.startswith(text.split()[0])


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("/claude-tickets", TicketsQuery("open")),
        ("/claude-tickets all", TicketsQuery("all")),
        ("/claude-tickets OPEN", TicketsQuery("open")),
        ("/claude-tickets 12", TicketsQuery("one", 12)),
        ("/claude-tickets #12", TicketsQuery("one", 12)),
    ],
)
def test_tickets_arguments(text: str, query: TicketsQuery) -> None:
    assert parse_query(text, NOW) == query


@pytest.mark.parametrize("args", ["0", "closed", "open all", "-3"])
def test_bad_tickets_arguments_get_the_usage_line(args: str) -> None:
    with pytest.raises(CommandError) as caught:
        parse_query(f"/claude-tickets {args}", NOW)
    assert caught.value.usage == "/claude-tickets [open|all|ID]"


def test_other_commands_are_not_ticket_commands() -> None:
    assert parse("/claude-spend mtd", NOW).command.handle is not handlers.file_ticket


@pytest.mark.parametrize("number", ["99999999999999999999", "2147483648", "١٢"])
def test_a_ticket_number_the_store_cannot_hold_is_a_usage_error(number: str) -> None:
    with pytest.raises(CommandError, match="is not open, all or a ticket number"):
        parse_query(f"/claude-tickets {number}", NOW)

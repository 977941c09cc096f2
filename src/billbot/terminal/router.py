"""One command in, one outcome out: the terminal's router, shared by `billbot ask` and `billbot console`.

The command goes through the same grammar and answers service as in Slack and comes back as the same
`Response`, rendered as text. The local operator acts as an admin. Every expected failure becomes one
message and an exit code (DESIGN.md 4.1): 2 for input the command cannot take (with its usage line),
1 for a data source that failed (the sentence of `billbot.admin_api.messages`, never the key).
"""

from __future__ import annotations

from dataclasses import dataclass

from billbot.admin_api import AdminApiError
from billbot.admin_api.messages import describe
from billbot.commands.grammar import BalanceQuery, CommandError, Query, parse_command
from billbot.commands.tickets import is_ticket_command
from billbot.responses.model import Response
from billbot.service import NoBalanceRecord, UnknownWorkspace
from billbot.sources import Source, answers_for
from billbot.terminal.render import render_text
from billbot.terminal.tickets import TerminalTickets, ticket_response
from billbot.ticket_store import TicketConfigError
from billbot.tickets.catalog import ProfileError
from billbot.tickets.service import TicketError

EXIT_OK, EXIT_SOURCE, EXIT_USAGE = 0, 1, 2
NO_TICKETS = "tickets need the store; this terminal session has none"
SANDBOX_BALANCE = (
    "A sandbox knows its balance exactly; change it with /sandbox/v1/topups or "
    "/sandbox/v1/auto_reload (docs/SANDBOX.md)."
)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What to print (stdout, stderr) and the exit code."""

    code: int
    out: str = ""
    err: str = ""


def run_command(source: Source, text: str, tickets: TerminalTickets | None = None) -> Outcome:
    """Answer one slash command from an opened source (ticket commands through `tickets`)."""
    try:
        now = source.now()
        if is_ticket_command(text):
            if tickets is None:
                return Outcome(EXIT_USAGE, err=f"error: {NO_TICKETS}")
            return Outcome(EXIT_OK, render_text(ticket_response(tickets, text, now)))
        query = parse_command(text, now)
        return Outcome(EXIT_OK, render_text(respond(source, query)))
    except (TicketError, TicketConfigError, ProfileError) as exc:
        return Outcome(EXIT_USAGE, err=f"error: {exc}")
    except CommandError as exc:
        return Outcome(EXIT_USAGE, err=f"error: {exc}\nusage: {exc.usage}")
    except UnknownWorkspace as exc:
        return Outcome(EXIT_USAGE, err=f"error: {exc}")
    except NoBalanceRecord as exc:
        return Outcome(EXIT_OK, str(exc))
    except AdminApiError as exc:
        return source_failed(exc)


def source_failed(error: AdminApiError) -> Outcome:
    """The outcome of a data source that failed."""
    return Outcome(EXIT_SOURCE, err=f"error: {describe(error)}")


def respond(source: Source, query: Query) -> Response:
    """The answer to a parsed query; the balance book's sub-commands are recorded as by an admin."""
    now = source.now()
    if isinstance(query, BalanceQuery) and query.action != "show":
        if source.book is None:
            return Response("Claude API balance", source.data.label, notes=(SANDBOX_BALANCE,))
        if query.action == "history":
            return source.book.history()
        return source.book.record(query, by="terminal", now=now)
    return answers_for(source).answer(query, now)

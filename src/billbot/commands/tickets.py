"""The ticket commands' grammar: `/claude-tickets [open|all|ID]` and what `/claude-dispute …` pre-fills.

`/claude-dispute duplicate $12.50 req_011C… charged twice` opens the form with the category, amount,
request IDs and description already filled in; the form is where the claim is completed and checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from billbot.commands.amounts import InputError, parse_amount
from billbot.commands.grammar import CommandError
from billbot.tickets.model import Category, TicketKind

TICKET_USAGE = {
    "/claude-dispute": "/claude-dispute [CATEGORY] [AMOUNT] [REQUEST-ID …] [what happened]",
    "/claude-refund": "/claude-refund [CATEGORY] [AMOUNT] [REQUEST-ID …] [what happened]",
    "/claude-tickets": "/claude-tickets [open|all|ID]",
}
FILING_COMMANDS = {"/claude-dispute": TicketKind.DISPUTE, "/claude-refund": TicketKind.REFUND}
CATEGORY_WORDS = {
    "duplicate": Category.DUPLICATE_CHARGE,
    "failed": Category.CHARGED_BUT_FAILED,
    "overcharge": Category.OVERCHARGE,
    "billing-error": Category.OVERCHARGE,
    "not-credited": Category.NOT_CREDITED,
    "sla": Category.SLA_CREDIT,
    "unused": Category.UNUSED_BALANCE,
    "other": Category.OTHER,
} | {category.value: category for category in Category}
REQUEST_WORD = re.compile(r"^req_[A-Za-z0-9_\-]{2,126}$")
AMOUNT_WORD = re.compile(r"^\$?\d[\d,]*(\.\d+)?$")


@dataclass(frozen=True, slots=True)
class TicketsQuery:
    """`/claude-tickets`: a list (open or all) or one ticket."""

    which: Literal["open", "all", "one"] = "open"
    ticket_id: int | None = None


@dataclass(frozen=True, slots=True)
class FilingQuery:
    """`/claude-dispute` or `/claude-refund`, with what the form starts with."""

    kind: TicketKind
    prefill: dict[str, str]


def is_ticket_command(text: str) -> bool:
    """Whether the text is one of the ticket commands."""
    words = text.split()
    return bool(words) and words[0].lower() in TICKET_USAGE


def parse_ticket_command(text: str) -> TicketsQuery | FilingQuery:
    """Parse a ticket command; `CommandError` with the usage line for bad input."""
    name, *args = text.split()
    name = name.lower()
    if name == "/claude-tickets":
        return _tickets(args)
    return FilingQuery(FILING_COMMANDS[name], _prefill(name, args))


def _tickets(args: list[str]) -> TicketsQuery:
    usage = TICKET_USAGE["/claude-tickets"]
    if not args:
        return TicketsQuery()
    if len(args) > 1:
        raise CommandError(f"one of open, all or a ticket number, not {' '.join(args)!r}", usage)
    word = args[0].lower().lstrip("#")
    if word in ("open", "all"):
        return TicketsQuery(word)  # type: ignore[arg-type]
    if word.isdigit() and int(word) > 0:
        return TicketsQuery("one", int(word))
    raise CommandError(f"{args[0]!r} is not open, all or a ticket number like 12", usage)


def _prefill(name: str, args: list[str]) -> dict[str, str]:
    prefill: dict[str, str] = {}
    requests: list[str] = []
    words: list[str] = []
    for word in args:
        lowered = word.lower()
        if not prefill.get("category") and lowered in CATEGORY_WORDS and not words:
            prefill["category"] = CATEGORY_WORDS[lowered].value
        elif REQUEST_WORD.match(word):
            requests.append(word)
        elif AMOUNT_WORD.match(word) and "amount" not in prefill:
            try:
                prefill["amount"] = str(parse_amount(word))
            except InputError as exc:
                raise CommandError(str(exc), TICKET_USAGE[name]) from None
        else:
            words.append(word)
    if requests:
        prefill["requests"] = "\n".join(requests)
    if words:
        prefill["description"] = " ".join(words)[:3000]
    return prefill

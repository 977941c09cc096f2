"""The ticket commands' grammar: `/claude-tickets [open|all|ID]` and what `/claude-dispute …` pre-fills.

`/claude-dispute duplicate $12.50 req_011C… at 2026-11-20T10:00Z provider claudeapi-com charged twice`
opens the form with the category, amount, request IDs, time, provider and description filled in; the
form is where the claim is completed and checked. In a terminal, where there is no form, a command
with `at WHEN` files the ticket directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from billbot.app.grammar.amounts import InputError, parse_amount, parse_day
from billbot.tickets.domain.model import Category, TicketKind

FILING_ARGS = "[CATEGORY] [AMOUNT] [REQUEST-ID …] [at WHEN] [provider NAME] [what happened]"
MAX_TICKET_ID = 2**31 - 1  # the tickets table's integer key (PostgreSQL INTEGER)
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


def parse_tickets(args: list[str], now: datetime) -> TicketsQuery:
    """`/claude-tickets [open|all|ID]` words → `TicketsQuery`."""
    if not args:
        return TicketsQuery()
    if len(args) > 1:
        raise InputError(f"one of open, all or a ticket number, not {' '.join(args)!r}")
    word = args[0].lower().lstrip("#")
    if word in ("open", "all"):
        return TicketsQuery(word)  # type: ignore[arg-type]
    # A number the store cannot hold is no ticket of ours: a usage error, not a database crash.
    if word.isascii() and word.isdigit() and 0 < int(word) <= MAX_TICKET_ID:
        return TicketsQuery("one", int(word))
    raise InputError(f"{args[0]!r} is not open, all or a ticket number like 12")


def parse_dispute(args: list[str], now: datetime) -> FilingQuery:
    """`/claude-dispute …` words → what the dispute form starts with."""
    return FilingQuery(TicketKind.DISPUTE, _prefill(args, now))


def parse_refund(args: list[str], now: datetime) -> FilingQuery:
    """`/claude-refund …` words → what the refund form starts with."""
    return FilingQuery(TicketKind.REFUND, _prefill(args, now))


def _prefill(args: list[str], now: datetime) -> dict[str, str]:
    prefill: dict[str, str] = {}
    requests: list[str] = []
    words: list[str] = []
    rest = iter(args)
    for word in rest:
        lowered = word.lower()
        if lowered in ("at", "provider") and lowered not in prefill and not words:
            value = next(rest, None)
            if value is None:
                raise InputError(f"{word!r} needs a value, e.g. at 2026-11-20T10:00Z")
            prefill[lowered] = parse_day(value, now=now).isoformat() if lowered == "at" else value.lower()
        elif "category" not in prefill and lowered in CATEGORY_WORDS and not words:
            prefill["category"] = CATEGORY_WORDS[lowered].value
        elif REQUEST_WORD.match(word):
            requests.append(word)
        elif AMOUNT_WORD.match(word) and "amount" not in prefill and not words:
            prefill["amount"] = str(parse_amount(word))
        else:
            words.append(word)
    if requests:
        prefill["requests"] = "\n".join(requests)
    if words:
        prefill["description"] = " ".join(words)[:3000]
    return prefill

"""Tickets as renderer-neutral `Response`s: one ticket (header of its thread, `/claude-tickets ID`) and lists.

The same builders feed Slack's Block Kit renderer and the terminal, so the thread header, the ticket
shown in a terminal and the claim packet agree on status, deadline, checklist and eligibility.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from billbot.app.replies.model import Fact, Response, Table
from billbot.core.money import usd
from billbot.tickets.domain.model import CATEGORY_LABELS, Assessment, Note, Status
from billbot.tickets.domain.narration import mention
from billbot.tickets.domain.ticket import Ticket

SOURCE = "billbot tickets"
ATTENTION_WINDOW = timedelta(days=7)


def ticket_response(ticket: Ticket, verdict: Assessment, now: datetime) -> Response:
    """A ticket with what its provider's policy says: deadline, checklist, eligibility."""
    claim = ticket.claim
    facts = [
        Fact("Status", _status(ticket)),
        Fact("Provider", verdict.provider_name),
        Fact("Category", CATEGORY_LABELS[claim.category]),
        Fact("Amount", usd(claim.amount) if claim.amount is not None else "not given"),
        Fact("Transaction", _when(claim.transaction_at)),
        Fact("Deadline to file", _deadline(verdict, now)),
    ]
    if claim.request_ids:
        facts.append(Fact("Request IDs", ", ".join(claim.request_ids[:10]) + _more(claim.request_ids, 10)))
    rows = tuple((item.label, "yes" if item.present else "MISSING") for item in verdict.checklist)
    tables = (Table(("Evidence the provider asks for", "present"), rows),) if rows else ()
    warnings = [note.text for note in verdict.notes if note.severity in ("warning", "blocker")]
    if verdict.late and not ticket.status.resolved:
        warnings.insert(0, f"Late: the window to file with {verdict.provider_name} closed on "
                           f"{_when(verdict.deadline)}.")  # fmt: skip
    notes = tuple(_note(note) for note in verdict.notes if note.severity == "info")
    title = f"Ticket {ticket.label} · {claim.kind.value} · {CATEGORY_LABELS[claim.category]}"
    return Response(title, f"{SOURCE} · filed by {mention(ticket.filed_by)}", tuple(facts), tables, notes,
                    tuple(dict.fromkeys(warnings)))  # fmt: skip


def tickets_list_response(tickets: Sequence[Ticket], *, include_resolved: bool) -> Response:
    """`/claude-tickets [open|all]`: one row per ticket, newest first."""
    rows = tuple(
        (
            t.label,
            t.claim.kind.value,
            CATEGORY_LABELS[t.claim.category],
            t.claim.provider,
            usd(t.claim.amount) if t.claim.amount is not None else "—",
            t.status.value,
            f"{t.deadline:%Y-%m-%d}" if t.deadline else "none",
        )
        for t in tickets[:100]
    )
    which = "all tickets" if include_resolved else "open tickets"
    if not rows:
        hint = "File one with /claude-dispute or /claude-refund."
        return Response(f"billbot · {which}", SOURCE, notes=(f"No {which}. {hint}",))
    header = ("ticket", "kind", "category", "provider", "amount", "status", "deadline")
    notes = ("/claude-tickets ID shows one ticket with its checklist and deadline.",)
    return Response(f"billbot · {which}", SOURCE, (), (Table(header, rows),), notes)


def attention(tickets: Sequence[Ticket], now: datetime, within: timedelta = ATTENTION_WINDOW) -> list[str]:
    """Unsubmitted tickets whose deadline is near or passed, most urgent first (the Home tab's list)."""
    due = sorted(
        (
            t
            for t in tickets
            if t.status is Status.OPEN and t.deadline is not None and t.deadline - now <= within
        ),
        key=lambda t: t.deadline or now,
    )
    items = []
    for ticket in due:
        assert ticket.deadline is not None
        left = ticket.deadline - now
        when = (
            "the deadline passed" if left.total_seconds() <= 0 else f"{max(left.days, 0)} days left to file"
        )
        items.append(
            f":alarm_clock: Ticket {ticket.label} ({ticket.claim.provider}): {when}, not yet submitted"
        )
    return items


def _status(ticket: Ticket) -> str:
    if ticket.status.resolved and ticket.outcome_amount is not None:
        return f"{ticket.status.value} ({usd(ticket.outcome_amount)})"
    return ticket.status.value


def _deadline(verdict: Assessment, now: datetime) -> str:
    if verdict.deadline is None:
        return "no window documented"
    left = verdict.deadline - now
    if left.total_seconds() <= 0:
        return f"{_when(verdict.deadline)} (passed)"
    return f"{_when(verdict.deadline)} ({left.days} days left)"


def _note(note: Note) -> str:
    if note.clause is None:
        return note.text
    return f"{note.text} ({note.clause.ref}: “{note.clause.quote}”)"


def _more(items: Sequence[str], shown: int) -> str:
    return f" and {len(items) - shown} more" if len(items) > shown else ""


def _when(moment: datetime | None) -> str:
    return "—" if moment is None else f"{moment:%Y-%m-%d %H:%M} UTC"

"""What happened to a ticket, as data: each audit-trail event's kind and the facts it keeps. Pure.

The store keeps these facts — who as a plain user id (the event's `by`), what happened, the figures
as exact strings — with no markup of any interface. Each interface says the event in its own style
from the facts (`billbot.tickets.domain.narration`): Slack with mentions and emoji, a terminal plain.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from billbot.tickets.domain.model import Claim, Evidence, Status
from billbot.tickets.domain.reminders import Reminder

Facts = dict[str, str]
SCHEMA_KEY = "schema"
# Events with this schema are said from their facts; older rows hold a sentence rendered for Slack.
EVENT_SCHEMA = "ticket_event/2"
YES = "yes"


class EventKind(StrEnum):
    """The kinds of audit-trail events (the store's `ticket_event.kind`)."""

    FILED = "filed"
    SUBMITTED = "submitted"
    EVIDENCE = "evidence"
    ANSWERED = "answered"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    REMINDER = "reminder"
    EVIDENCE_FILE = "evidence_file"  # the evidence gathered automatically, attached as a file
    PACKET = "packet"  # the claim packet, attached as Markdown and JSON


def filed(claim: Claim, provider_name: str) -> Facts:
    """A claim was filed: its kind, category, amount (if given) and provider."""
    return {"ticket_kind": claim.kind.value, "category": claim.category.value,
            "amount": _exact(claim.amount), "provider_name": provider_name}  # fmt: skip


def submitted(provider_name: str, late: bool) -> Facts:
    """The claim was sent to the provider, in time or after the deadline."""
    return {"provider_name": provider_name, "late": YES if late else ""}


def evidence_added(evidence: Evidence) -> Facts:
    """One piece of evidence (the store folds these facts back into the claim)."""
    facts = {"kind": evidence.kind, "value": evidence.value.strip()}
    if evidence.automatic:
        facts["automatic"] = YES
    return facts


def answered(answer: str) -> Facts:
    """The provider's answer, as recorded."""
    return {"answer": answer.strip()}


def resolved(outcome: Status, amount: Decimal | None, booked: Decimal | None) -> Facts:
    """The outcome, its amount (none for a denial) and what the balance records were adjusted by."""
    return {"outcome": outcome.value, "amount": _exact(amount), "booked": _exact(booked)}


def reopened(booked: Decimal | None) -> Facts:
    """A resolved ticket was reopened; what the balance records were adjusted by to undo its outcome."""
    return {"booked": _exact(booked)}


def reminded(reminder: Reminder) -> Facts:
    """A deadline reminder: which one, the deadline (RFC 3339) and the provider."""
    return {"due": reminder.due, "deadline": reminder.deadline.isoformat(),
            "provider_name": reminder.provider_name}  # fmt: skip


def _exact(amount: Decimal | None) -> str:
    return "" if amount is None else str(amount)

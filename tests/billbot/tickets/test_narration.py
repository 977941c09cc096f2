"""Ticket events said from their stored facts: plain for a terminal, in any interface's style, and old
rows (stored as Slack sentences before events were neutral) still said."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from billbot.tickets.domain import events
from billbot.tickets.domain.events import EVENT_SCHEMA, SCHEMA_KEY, EventKind, Facts
from billbot.tickets.domain.model import Evidence, Status
from billbot.tickets.domain.narration import PLAIN, Markup, event_text, narrate, strip_slack_markup
from billbot.tickets.domain.reminders import due_reminder
from billbot.tickets.domain.ticket import TicketEvent
from tests.billbot.tickets.conftest import NOW, make_claim

LOUD = Markup(who=lambda user: f"@{user}", warning="(!) ", alarm="(clock) ", overdue="(siren) ", legacy=str)


def stored(kind: EventKind, facts: Facts, *, by: str = "U1", text: str = "") -> TicketEvent:
    return TicketEvent(1, 1, kind, NOW, by, text, facts | {SCHEMA_KEY: EVENT_SCHEMA}, None)


def test_each_kind_is_said_plainly_from_its_facts() -> None:
    said = {
        EventKind.FILED: events.filed(make_claim(), "ClaudeAPI.com"),
        EventKind.SUBMITTED: events.submitted("ClaudeAPI.com", late=False),
        EventKind.EVIDENCE: events.evidence_added(Evidence("order_number", " ORD-1 ", "U1")),
        EventKind.ANSWERED: events.answered("Verified.\nRe-issued."),
        EventKind.RESOLVED: events.resolved(Status.REFUNDED, Decimal("80"), Decimal("-80")),
        EventKind.REOPENED: events.reopened(None),
        EventKind.PACKET: {},
    }
    assert {kind: event_text(stored(kind, facts), PLAIN) for kind, facts in said.items()} == {
        EventKind.FILED: "U1 filed a dispute (Duplicate charge of $12.50) with ClaudeAPI.com.",
        EventKind.SUBMITTED: "U1 marked the claim as sent to ClaudeAPI.com.",
        EventKind.EVIDENCE: "U1 added evidence (order_number): ORD-1",
        EventKind.ANSWERED: "U1 recorded the provider's answer:\n> Verified.\n> Re-issued.",
        EventKind.RESOLVED: "U1 resolved the ticket: $80.00 refunded. Balance records adjusted by -$80.00.",
        EventKind.REOPENED: "U1 reopened the ticket.",
        EventKind.PACKET: "U1 asked for the claim packet (Markdown and JSON).",
    }


def test_an_interface_gives_people_and_signals_its_own_style() -> None:
    late = stored(EventKind.SUBMITTED, events.submitted("ClaudeAPI.com", late=True))
    assert event_text(late, PLAIN) == "U1 marked the claim as sent to ClaudeAPI.com after the deadline."
    assert event_text(late, LOUD) == "@U1 marked the claim as sent to ClaudeAPI.com (!) after the deadline."
    automatic = stored(EventKind.EVIDENCE, events.evidence_added(Evidence("usage", "rows", automatic=True)))
    assert event_text(automatic, LOUD) == "billbot added evidence (usage): rows"
    denied = stored(EventKind.RESOLVED, events.resolved(Status.DENIED, None, None))
    assert event_text(denied, LOUD) == "@U1 resolved the ticket: denied."


def test_reminders_count_down_from_when_they_were_sent() -> None:
    deadline = NOW + timedelta(days=3)
    soon = due_reminder(deadline, NOW, "ClaudeAPI.com")
    hours = due_reminder(deadline, deadline - timedelta(hours=5), "ClaudeAPI.com")
    late = due_reminder(deadline, deadline + timedelta(hours=1), "ClaudeAPI.com")
    assert soon is not None and hours is not None and late is not None
    assert (soon.key, hours.key, late.key) == ("reminder:3d", "reminder:1d", "reminder:overdue")
    assert narrate(EventKind.REMINDER, "billbot", NOW, events.reminded(soon), LOUD) == (
        "(clock) 3 days left to file with ClaudeAPI.com: the deadline is 2026-11-23 12:00 UTC. "
        "Mark the ticket submitted once it is sent."
    )
    at = deadline - timedelta(hours=5)
    assert narrate(EventKind.REMINDER, "billbot", at, events.reminded(hours), PLAIN) == (
        "5 hours left to file with ClaudeAPI.com: the deadline is 2026-11-23 12:00 UTC. "
        "Mark the ticket submitted once it is sent."
    )
    assert narrate(EventKind.REMINDER, "billbot", NOW, events.reminded(late), LOUD) == (
        "(siren) The deadline to file with ClaudeAPI.com passed on 2026-11-23 12:00 UTC. "
        "The claim may be refused as late; file it anyway and say why it is late."
    )


def test_rows_stored_before_events_were_neutral_still_render() -> None:
    old = "<@U1> marked the claim as sent to ClaudeAPI.com :warning: after the deadline."
    row = TicketEvent(1, 1, "submitted", NOW, "U1", old, {}, None)
    assert event_text(row, LOUD) == old  # Slack shows it as it always did
    assert event_text(row, PLAIN) == "U1 marked the claim as sent to ClaudeAPI.com after the deadline."
    reminder = ":alarm_clock: 3 days left to file with X: the deadline is 2026-11-23 12:00 UTC."
    assert strip_slack_markup(reminder) == "3 days left to file with X: the deadline is 2026-11-23 12:00 UTC."
    assert strip_slack_markup("opens in <#C1|billing> at 10:00:30") == "opens in #C1 at 10:00:30"


def test_a_kind_without_a_saying_keeps_its_stored_sentence() -> None:
    assert narrate("escalated", "U1", NOW, {}, PLAIN) is None
    unknown = TicketEvent(1, 1, "escalated", NOW, "U1", "kept", {SCHEMA_KEY: EVENT_SCHEMA}, None)
    assert event_text(unknown, PLAIN) == "kept"

"""The ticket service on a real store (SQLite file, and PostgreSQL in CI): filing, transitions, outcomes."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from billbot.store import ledger
from billbot.store.engine import make_engine
from billbot.store.session import session_scope
from billbot.store.tables import TicketEventRow
from billbot.tickets.catalog import load_profiles
from billbot.tickets.domain.events import EventKind
from billbot.tickets.domain.model import Category, Claim, Evidence, Status
from billbot.tickets.service import TicketError, TicketService
from tests.billbot.tickets.conftest import NOW, ORG, make_claim


def test_filing_the_same_submission_twice_makes_one_ticket(service: TicketService) -> None:
    first, new = service.file(make_claim(), submission_key="view:V1", by="U1", channel_id="C1")
    again, new_again = service.file(make_claim(), submission_key="view:V1", by="U1", channel_id="C1")
    assert (new, new_again) == (True, False)
    assert again.id == first.id
    assert len(service.tickets(include_resolved=True)) == 1
    assert [e.kind for e in service.events(first.id)] == ["filed"]


def test_concurrent_deliveries_of_one_submission_make_one_ticket(engine: Engine) -> None:
    services = [TicketService(engine, load_profiles()) for _ in range(6)]
    results: list[tuple[int, bool]] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(services))

    def deliver(service: TicketService) -> None:
        barrier.wait()
        try:
            ticket, new = service.file(make_claim(), submission_key="view:RACE", by="U1", channel_id="C1")
            results.append((ticket.id, new))
        except BaseException as exc:  # collected: the assertion below names it
            errors.append(exc)

    threads = [threading.Thread(target=deliver, args=(s,)) for s in services]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len({ticket_id for ticket_id, _ in results}) == 1
    assert sum(new for _, new in results) == 1


def test_many_writers_at_once_never_hit_a_locked_database(engine: Engine) -> None:
    service = TicketService(engine, load_profiles())
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            ticket, _ = service.file(make_claim(), submission_key=f"view:W{n}", by="U1", channel_id="C1")
            service.add_evidence(ticket.id, Evidence("order_number", f"ORD-{n}", "U1"), now=NOW)
            service.mark_submitted(ticket.id, by="U1", now=NOW)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    tickets = service.tickets(include_resolved=True)
    assert len(tickets) == 12
    assert {t.status for t in tickets} == {Status.SUBMITTED}


def test_the_deadline_is_the_providers_and_anthropic_has_none(service: TicketService) -> None:
    reseller, _ = service.file(make_claim(), submission_key="a", by="U1", channel_id="C1")
    anthropic, _ = service.file(
        make_claim(provider="anthropic"), submission_key="b", by="U1", channel_id="C1"
    )
    assert reseller.deadline is not None
    assert reseller.deadline.date() == (NOW - timedelta(days=10) + timedelta(days=30)).date()
    assert anthropic.deadline is None


def test_an_unknown_provider_is_refused_with_the_known_ones(service: TicketService) -> None:
    with pytest.raises(TicketError, match="known: anthropic, claudeapi-cheap, claudeapi-com"):
        service.file(make_claim(provider="acme"), submission_key="x", by="U1", channel_id="C1")


def test_evidence_added_later_fills_the_checklist(service: TicketService) -> None:
    ticket, _ = service.file(make_claim(), submission_key="e", by="U1", channel_id="C1")
    before = {item.kind for item in service.assessment(ticket, NOW).missing}
    assert "order_number" in before
    ticket = service.add_evidence(ticket.id, Evidence("order_number", "ORD-1", "U2"), now=NOW)
    after = {item.kind for item in service.assessment(ticket, NOW).missing}
    assert after == before - {"order_number"}
    assert ticket.claim.evidence == (Evidence("order_number", "ORD-1", "U2"),)
    with pytest.raises(TicketError, match="needs a value"):
        service.add_evidence(ticket.id, Evidence("order_number", "  ", "U2"), now=NOW)


def test_transitions_refuse_what_makes_no_sense(service: TicketService) -> None:
    ticket, _ = service.file(make_claim(), submission_key="t", by="U1", channel_id="C1")
    with pytest.raises(TicketError, match="only a resolved ticket can be reopened"):
        service.reopen(ticket.id, by="U1", now=NOW)
    service.mark_submitted(ticket.id, by="U1", now=NOW)
    with pytest.raises(TicketError, match="submitted already"):
        service.mark_submitted(ticket.id, by="U1", now=NOW)
    with pytest.raises(TicketError, match="needs the amount"):
        service.resolve(ticket.id, Status.REFUNDED, None, by="UA", now=NOW)
    with pytest.raises(TicketError, match="not an outcome"):
        service.resolve(ticket.id, Status.ANSWERED, None, by="UA", now=NOW)
    service.resolve(ticket.id, Status.DENIED, None, by="UA", now=NOW)
    with pytest.raises(TicketError, match="already denied"):
        service.resolve(ticket.id, Status.CREDITED, Decimal(1), by="UA", now=NOW)
    with pytest.raises(TicketError, match="reopen it first"):
        service.record_answer(ticket.id, "we looked again", by="U1", now=NOW)
    reopened = service.reopen(ticket.id, by="UA", now=NOW)
    assert reopened.status is Status.SUBMITTED
    with pytest.raises(TicketError, match="no ticket #999"):
        service.get(999)


def test_an_answer_moves_the_ticket_on_and_is_quoted(service: TicketService) -> None:
    ticket, _ = service.file(make_claim(), submission_key="q", by="U1", channel_id="C1")
    answered = service.record_answer(ticket.id, "Verified.\nWe will re-issue.", by="U1", now=NOW)
    assert answered.status is Status.ANSWERED
    assert answered.claim.submitted_at == NOW  # an answer means the claim reached them
    assert service.events(ticket.id)[-1].text.endswith("> Verified.\n> We will re-issue.")


def balance_adjustments(engine: Engine) -> list[Decimal]:
    with session_scope(engine, read_only=True) as session:
        entries = ledger.entries_since(session, org_id=ORG, since=NOW - timedelta(days=1))
    return [e.amount for e in entries if e.amount is not None]


@pytest.mark.parametrize(
    ("category", "outcome", "amount", "booked"),
    [
        (Category.OVERCHARGE, Status.CREDITED, Decimal("200.00"), [Decimal("200.00")]),
        (Category.UNUSED_BALANCE, Status.REFUNDED, Decimal("80.00"), [Decimal("-80.00")]),
        (Category.DUPLICATE_CHARGE, Status.REFUNDED, Decimal("12.50"), []),  # back to the card
        (Category.OVERCHARGE, Status.DENIED, None, []),
    ],
)
def test_outcomes_feed_the_balance_ledger_and_reopening_reverses_them(
    engine: Engine, category: Category, outcome: Status, amount: Decimal | None, booked: list[Decimal]
) -> None:
    service = TicketService(engine, load_profiles(), ledger_org=ORG)
    ticket, _ = service.file(make_claim(category=category), submission_key="o", by="U1", channel_id="C1")
    resolved = service.resolve(ticket.id, outcome, amount, by="UADMIN", now=NOW)
    assert resolved.status is outcome
    assert resolved.outcome_amount == amount
    assert balance_adjustments(engine) == booked
    service.reopen(ticket.id, by="UADMIN", now=NOW + timedelta(hours=1))
    assert sum(balance_adjustments(engine), Decimal(0)) == 0


def test_without_a_ledger_outcomes_change_no_balance(engine: Engine) -> None:
    service = TicketService(engine, load_profiles(), ledger_org=None)
    ticket, _ = service.file(make_claim(), submission_key="n", by="U1", channel_id="C1")
    service.resolve(ticket.id, Status.CREDITED, Decimal(5), by="UADMIN", now=NOW)
    assert balance_adjustments(engine) == []
    assert "Balance records" not in service.events(ticket.id)[-1].text


@pytest.mark.parametrize(
    ("days_to_deadline", "expected"),
    [
        (12, None),
        (7, "reminder:7d"),
        (5, "reminder:7d"),
        (3, "reminder:3d"),
        (2, "reminder:3d"),
        (1, "reminder:1d"),
        (0.25, "reminder:1d"),
        (-0.1, "reminder:overdue"),
    ],
)
def test_reminders_before_the_deadline_each_once(
    service: TicketService, days_to_deadline: float, expected: str | None
) -> None:
    # claudeapi-com: the window ends at the end of the 30th day after the transaction's date.
    claim = make_claim(transaction_at=NOW - timedelta(days=20))
    ticket, _ = service.file(claim, submission_key="r", by="U1", channel_id="C1")
    assert ticket.deadline is not None
    at = ticket.deadline - timedelta(days=days_to_deadline)
    assert service.send_due_reminders(at) == (0 if expected is None else 1)
    assert service.send_due_reminders(at) == 0  # the same reminder never twice
    reminders = [e for e in service.events(ticket.id) if e.kind == "reminder"]
    assert len(reminders) == (0 if expected is None else 1)


def test_a_submitted_or_windowless_ticket_gets_no_reminders(service: TicketService) -> None:
    sent, _ = service.file(make_claim(), submission_key="s", by="U1", channel_id="C1")
    service.mark_submitted(sent.id, by="U1", now=NOW)
    service.file(make_claim(provider="anthropic"), submission_key="w", by="U1", channel_id="C1")
    assert service.send_due_reminders(NOW + timedelta(days=40)) == 0


def test_the_outbox_lists_unposted_events_in_order_until_posted(
    service: TicketService, claim_factory: Callable[..., Claim]
) -> None:
    ticket, _ = service.file(claim_factory(), submission_key="p", by="U1", channel_id="C1")
    assert [t.id for t in service.outbox.unthreaded()] == [ticket.id]
    service.outbox.set_header(ticket.id, channel_id="C9", ts="111.000")
    service.mark_submitted(ticket.id, by="U1", now=NOW)
    pending = service.outbox.unposted()
    assert [e.kind for e in pending] == ["filed", "submitted"]
    service.outbox.mark_posted(pending[0].id, "111.001")
    assert [e.kind for e in service.outbox.unposted()] == ["submitted"]
    assert service.outbox.unthreaded() == []
    assert service.get(ticket.id).channel_id == "C9"


def test_one_relay_at_a_time_across_processes_on_postgresql(engine: Engine, store_url: str) -> None:
    other_engine = make_engine(store_url)  # a second web process
    try:
        first, second = TicketService(engine, load_profiles()), TicketService(other_engine, load_profiles())
        with first.outbox.relay_turn() as mine:
            assert mine
            with second.outbox.relay_turn() as theirs:
                # PostgreSQL: several processes, so one relay is elected; SQLite: one process, no contest.
                assert theirs is (engine.dialect.name != "postgresql")
        with second.outbox.relay_turn() as theirs:
            assert theirs  # the turn was given back
    finally:
        other_engine.dispose()


SLACK_MARKUP = re.compile(r"<[@#!]|:[a-z][a-z0-9_+-]*:")  # a mention, a channel link, an emoji code


def test_stored_events_hold_no_slack_markup(engine: Engine) -> None:
    service = TicketService(engine, load_profiles(), ledger_org=ORG)
    late, _ = service.file(
        make_claim(transaction_at=NOW - timedelta(days=40)), submission_key="m1", by="U1", channel_id="C1"
    )
    service.mark_submitted(late.id, by="U1", now=NOW)  # after the deadline: a warning once, in Slack
    service.add_evidence(late.id, Evidence("order_number", "ORD-1", "U2"), now=NOW)
    service.add_evidence(late.id, Evidence("usage", "gathered", automatic=True), now=NOW)
    service.record_answer(late.id, "Verified.\nWe will re-issue.", by="U1", now=NOW)
    service.resolve(late.id, Status.CREDITED, Decimal("12.50"), by="UADMIN", now=NOW)
    service.reopen(late.id, by="UADMIN", now=NOW)
    service.outbox.queue_post(late.id, EventKind.PACKET, by="U1", now=NOW)
    service.outbox.queue_post(late.id, EventKind.EVIDENCE_FILE, by="billbot", now=NOW)
    due, _ = service.file(make_claim(), submission_key="m2", by="W2", channel_id="C1")
    assert due.deadline is not None
    service.send_due_reminders(due.deadline - timedelta(days=2))
    service.send_due_reminders(due.deadline + timedelta(hours=1))
    with session_scope(engine, read_only=True) as session:
        stored = [(row.kind, row.text, row.detail) for row in session.exec(select(TicketEventRow))]
    assert {kind for kind, _, _ in stored} == {k.value for k in EventKind}  # every kind was stored
    assert [text for _, text, _ in stored if SLACK_MARKUP.search(text)] == []
    assert [detail for _, _, detail in stored if SLACK_MARKUP.search(detail)] == []
    texts = {kind: text for kind, text, _ in stored}
    assert texts["submitted"] == "U1 marked the claim as sent to ClaudeAPI.com after the deadline."
    assert texts["filed"] == "W2 filed a dispute (Duplicate charge of $12.50) with ClaudeAPI.com."

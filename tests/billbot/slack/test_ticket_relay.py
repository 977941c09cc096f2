"""The relay against the fake Slack: posts in order, once, and one ticket's trouble holds up no other."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from slack_sdk import WebClient

from billbot.slack.tickets.relay import TicketRelay
from billbot.store.engine import make_engine
from billbot.store.migrate import migrate
from billbot.store.session import session_scope
from billbot.store.tables import TicketEventRow
from billbot.tickets.catalog import load_profiles
from billbot.tickets.domain.narration import PLAIN, event_text
from billbot.tickets.domain.ticket import Ticket, TicketEvent
from billbot.tickets.files import Attachment
from billbot.tickets.service import TicketService
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import TOKEN
from tests.billbot.tickets.conftest import NOW, make_claim


def no_files(ticket: Ticket, event: TicketEvent) -> list[Attachment]:
    return []


def relay_over(fake: FakeSlack, tmp_path: Path) -> tuple[TicketService, TicketRelay]:
    engine = make_engine(f"sqlite:///{tmp_path / 'relay.db'}")
    migrate(engine)
    service = TicketService(engine, load_profiles())
    return service, TicketRelay(service, WebClient(token=TOKEN, base_url=fake.url), lambda: NOW, no_files)


def test_a_channel_that_refuses_holds_up_only_its_own_ticket(fake: FakeSlack, tmp_path: Path) -> None:
    service, relay = relay_over(fake, tmp_path)
    first, _ = service.file(make_claim(), submission_key="a", by="U1", channel_id="CPRIVATE")
    service.file(make_claim(), submission_key="b", by="U2", channel_id="COPEN")
    fake.fail_once("chat.postMessage", 200, {"ok": False, "error": "not_in_channel"}, {})
    assert relay.flush() == 2  # the second ticket's header and its "filed" reply
    assert service.get(first.id).header_ts is None
    posted = fake.bodies("chat.postMessage")
    assert [(b["channel"], "thread_ts" in b) for b in posted[1:]] == [("COPEN", False), ("COPEN", True)]
    # The bot was invited: the next run posts the first ticket's header, then its reply, once.
    assert relay.flush() == 2
    assert relay.flush() == 0
    channels = [b["channel"] for b in fake.bodies("chat.postMessage")]
    assert channels.count("CPRIVATE") == 3  # one refused attempt, then header and reply
    assert service.outbox.unposted() == [] and service.outbox.unthreaded() == []
    assert len(fake.bodies("chat.update")) == 2


def test_a_ticket_filed_without_a_channel_is_not_posted(fake: FakeSlack, tmp_path: Path) -> None:
    service, relay = relay_over(fake, tmp_path)
    service.file(make_claim(), submission_key="t", by="terminal", channel_id="")
    assert relay.flush() == 0
    assert fake.effects() == []


def thread_texts(fake: FakeSlack) -> list[str]:
    return [body["text"] for body in fake.bodies("chat.postMessage") if "thread_ts" in body]


def test_the_thread_says_stored_facts_with_mentions_and_emoji(fake: FakeSlack, tmp_path: Path) -> None:
    service, relay = relay_over(fake, tmp_path)
    late, _ = service.file(
        make_claim(transaction_at=NOW - timedelta(days=40)), submission_key="l", by="U1", channel_id="C1"
    )
    service.mark_submitted(late.id, by="U1", now=NOW)
    soon, _ = service.file(make_claim(), submission_key="s", by="U2", channel_id="C1")
    assert soon.deadline is not None
    service.send_due_reminders(soon.deadline - timedelta(days=2, hours=1))
    service.send_due_reminders(soon.deadline + timedelta(hours=1))
    relay.flush()
    assert thread_texts(fake) == [
        "<@U1> filed a dispute (Duplicate charge of $12.50) with ClaudeAPI.com.",
        "<@U1> marked the claim as sent to ClaudeAPI.com :warning: after the deadline.",
        "<@U2> filed a dispute (Duplicate charge of $12.50) with ClaudeAPI.com.",
        ":alarm_clock: 2 days left to file with ClaudeAPI.com: the deadline is 2026-12-10 23:59 UTC. "
        "Mark the ticket submitted once it is sent.",
        ":rotating_light: The deadline to file with ClaudeAPI.com passed on 2026-12-10 23:59 UTC. "
        "The claim may be refused as late; file it anyway and say why it is late.",
    ]


def test_an_event_stored_as_a_slack_sentence_by_an_older_billbot_is_posted_as_it_was(
    fake: FakeSlack, tmp_path: Path
) -> None:
    service, relay = relay_over(fake, tmp_path)
    ticket, _ = service.file(make_claim(), submission_key="o", by="U1", channel_id="C1")
    old = "<@U1> marked the claim as sent to ClaudeAPI.com :warning: after the deadline."
    with session_scope(service.engine) as session:  # the row as billbot stored it before facts
        row = TicketEventRow(ticket_id=ticket.id, kind="submitted", at=NOW, by="U1", text=old, detail="{}")
        session.add(row)
    relay.flush()
    assert thread_texts(fake)[-1] == old
    assert event_text(service.events(ticket.id)[-1], PLAIN) == (
        "U1 marked the claim as sent to ClaudeAPI.com after the deadline."
    )

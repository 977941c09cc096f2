"""The relay against the fake Slack: posts in order, once, and one ticket's trouble holds up no other."""

from __future__ import annotations

from pathlib import Path

from slack_sdk import WebClient

from billbot.slack.ticket_relay import TicketRelay
from billbot.store.engine import make_engine
from billbot.store.migrate import migrate
from billbot.tickets.catalog import load_profiles
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

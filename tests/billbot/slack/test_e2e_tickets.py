"""Tickets end to end: signed commands, modal submissions and button clicks to the app on 127.0.0.1;
every Web API call captured by the fake Slack; the store a real SQLite file; the clock injected."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from billbot.tickets.domain.model import Status
from tests.billbot.slack.conftest import ADMIN, settle
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import NO_HOOK, command_form, home_opened, post_signed
from tests.billbot.slack.ticket_support import (
    TICKET_CHANNEL,
    DeskServed,
    button,
    choice,
    moment,
    serve_desk,
    text,
    values,
    view_submission,
)
from tests.billbot.tickets.sandbox_support import Sandbox, sandbox  # noqa: F401  (the module's sandbox)


@pytest.fixture
def served(fake: FakeSlack, sandbox: Sandbox, tmp_path: Path) -> Iterator[DeskServed]:  # noqa: F811
    yield from serve_desk(fake, sandbox, tmp_path / "tickets.db")


def filing_state(served: DeskServed, **changes: Any) -> dict[str, Any]:
    """A valid filing form: a claudeapi-com duplicate charge of $12.50 two days ago."""
    fields = {
        "category": choice("duplicate_charge"),
        "provider": choice("claudeapi-com"),
        "when": moment(served.clock() - timedelta(days=2)),
        "amount": text("12.50"),
        "requests": text("req_011CDuplicateCharge"),
        "description": text("Charged twice for one call"),
        "links": text("https://example.com/receipt.png"),
    }
    return values(**(fields | changes))


def file_ticket(served: DeskServed, view_id: str = "V1") -> dict[str, Any]:
    """Submit the filing modal and wait for the ticket's header; the header's postMessage body."""
    body = view_submission(
        "ticket_file", filing_state(served), {"kind": "dispute", "channel": "C1"}, view_id=view_id
    )
    status, answer = post_signed(served.url, body)
    assert (status, answer) == (200, "")
    return served.fake.wait_for("chat.postMessage")[0]


def replies(fake: FakeSlack, thread: str) -> list[str]:
    return [b["text"] for b in fake.bodies("chat.postMessage") if b.get("thread_ts") == thread]


def wait_reply(fake: FakeSlack, thread: str, needle: str, timeout: float = 10) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for reply in replies(fake, thread):
            if needle in reply:
                return reply
        time.sleep(0.02)
    raise AssertionError(f"no reply with {needle!r}; thread has {replies(fake, thread)}")


def buttons(blocks: list[dict[str, Any]]) -> list[str]:
    return [element["action_id"] for element in blocks[-1]["elements"]]


def header_update(fake: FakeSlack, count: int) -> list[dict[str, Any]]:
    """The blocks of the `count`-th in-place update of the header (waiting for it)."""
    blocks: list[dict[str, Any]] = fake.wait_for("chat.update", count=count)[count - 1]["blocks"]
    return blocks


def test_dispute_opens_the_prefilled_modal_within_the_trigger_window(served: DeskServed) -> None:
    started = time.monotonic()
    form = command_form("/claude-dispute", "duplicate $12.50 req_011CDup charged twice", trigger="9.1.tk")
    status, body = post_signed(served.url, form)
    assert (status, body) == (200, "")
    (opened,) = served.fake.wait_for("views.open")
    assert time.monotonic() - started < 3  # a trigger_id lives 3 seconds
    assert opened["trigger_id"] == "9.1.tk"
    view = opened["view"]
    assert view["callback_id"] == "ticket_file"
    fields = {block["block_id"]: block["element"] for block in view["blocks"]}
    assert fields["category"]["initial_option"]["value"] == "duplicate_charge"
    assert fields["provider"]["initial_option"]["value"] == "claudeapi-com"  # BILLBOT_PROVIDER
    assert fields["amount"]["initial_value"] == "12.50"
    assert fields["requests"]["initial_value"] == "req_011CDup"
    assert fields["description"]["initial_value"] == "charged twice"
    # The command's response URL rides along: it reaches the filer where the bot is not a member.
    assert json.loads(view["private_metadata"]) == {
        "kind": "dispute",
        "channel": "C1",
        "response_url": NO_HOOK,
    }


def test_refund_opens_its_own_modal_and_bad_input_gets_the_usage_line(served: DeskServed) -> None:
    post_signed(served.url, command_form("/claude-refund", ""))
    (opened,) = served.fake.wait_for("views.open")
    assert opened["view"]["title"]["text"] == "File a refund"
    status, body = post_signed(served.url, command_form("/claude-tickets", "yesterday"))
    assert status == 200
    assert "not open, all or a ticket number" in body and "/claude-tickets [open|all|ID]" in body


def test_a_submission_opens_one_thread_with_header_reply_and_evidence(served: DeskServed) -> None:
    header = file_ticket(served)
    assert header["channel"] == TICKET_CHANNEL  # BILLBOT_TICKET_CHANNEL, not the command's channel
    shown = json.dumps(header["blocks"], ensure_ascii=False)
    assert "Ticket #1 · dispute · Duplicate charge" in shown
    assert "ClaudeAPI.com" in shown and "MISSING" in shown  # the account email, order number…
    assert buttons(header["blocks"])[0] == "ticket_submitted"
    thread = served.fake.wait_for("files.completeUploadExternal")[0]["thread_ts"]
    (filed,) = replies(served.fake, thread)
    assert "<@U1> filed a dispute (Duplicate charge of $12.50) with ClaudeAPI.com." in filed
    (upload,) = served.fake.wait_for("upload")
    assert "req_011CDuplicateCharge" in upload["content"]  # looked up in the sandbox's request log


def test_the_filer_is_told_privately_when_the_bot_cannot_start_the_thread(served: DeskServed) -> None:
    fake = served.fake
    fake.fail_once("chat.postMessage", 200, {"ok": False, "error": "not_in_channel"}, {})
    metadata = {"kind": "dispute", "channel": "C1", "response_url": fake.hook}
    status, _ = post_signed(
        served.url, view_submission("ticket_file", filing_state(served), metadata, view_id="V9")
    )
    assert status == 200
    (notice,) = fake.wait_for("response_url")
    assert notice["response_type"] == "ephemeral"
    assert f"Ticket #1 is filed, but I could not start its thread in <#{TICKET_CHANNEL}>" in notice["text"]
    assert "`/invite @billbot`" in notice["text"] and "`/claude-tickets 1`" in notice["text"]
    # Once the bot is in the channel, the next tick posts the thread; the filer is not told again.
    served.desk.tick(served.clock())
    headers = [b for b in fake.bodies("chat.postMessage") if "thread_ts" not in b]
    assert [b["channel"] for b in headers] == [TICKET_CHANNEL, TICKET_CHANNEL]  # refused, then posted
    assert len(fake.bodies("response_url")) == 1


def test_the_same_submission_delivered_twice_makes_one_ticket(served: DeskServed) -> None:
    file_ticket(served, view_id="VSAME")
    # Slack's retry of the same view (a new trigger, as after a restart the dedupe table is empty).
    body = view_submission(
        "ticket_file", filing_state(served), {"kind": "dispute", "channel": "C1"}, view_id="VSAME"
    )
    assert post_signed(served.url, body) == (200, "")
    settle(0.5)
    assert len(served.fake.bodies("chat.postMessage")) == 2  # header + "filed", once
    assert len(served.desk.service.tickets(include_resolved=True)) == 1


def test_invalid_fields_come_back_beside_the_field(served: DeskServed) -> None:
    state = filing_state(
        served,
        when=moment(served.clock() + timedelta(days=1)),
        requests=text("req_ok\nnot an id"),
        amount=text("twelve"),
        links=text("receipt.png"),
    )
    status, body = post_signed(
        served.url, view_submission("ticket_file", state, {"kind": "dispute"}, view_id="VBAD")
    )
    assert status == 200
    answer = json.loads(body)
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"when", "requests", "amount", "links"}
    assert "in the future" in answer["errors"]["when"]
    settle()
    assert served.desk.service.tickets(include_resolved=True) == []


def test_every_button_changes_the_ticket_and_says_so_in_the_thread(served: DeskServed) -> None:
    header = file_ticket(served)
    thread = served.fake.wait_for("files.completeUploadExternal")[0]["thread_ts"]
    post_signed(served.url, button("ticket_submitted", "1"))
    assert "marked the claim as sent to ClaudeAPI.com" in wait_reply(served.fake, thread, "marked the claim")
    assert "ticket_submitted" not in buttons(header_update(served.fake, 2))

    post_signed(served.url, button("ticket_add_evidence", "1"))
    (opened,) = served.fake.wait_for("views.open")
    kinds = [o["value"] for o in opened["view"]["blocks"][0]["element"]["options"]]
    assert "order_number" in kinds and "account_email" in kinds
    state = values(kind=choice("order_number"), value=text("ORD-2026-1188"))
    post_signed(served.url, view_submission("ticket_evidence", state, {"ticket": 1}, view_id="VE"))
    wait_reply(served.fake, thread, "ORD-2026-1188")
    assert "order_number" not in {item.kind for item in _missing(served)}

    post_signed(served.url, button("ticket_record_answer", "1"))
    served.fake.wait_for("views.open", count=2)
    answer = values(answer=text("We verified a duplicate.\nCredits re-issued."))
    post_signed(served.url, view_submission("ticket_answer", answer, {"ticket": 1}, view_id="VA"))
    assert "> Credits re-issued." in wait_reply(served.fake, thread, "recorded the provider's answer")

    post_signed(served.url, button("ticket_packet", "1"))
    uploads = served.fake.wait_for("files.completeUploadExternal", count=2)
    assert uploads[1]["thread_ts"] == thread
    contents = [u["content"] for u in served.fake.wait_for("upload", count=3)]
    packet = json.loads(contents[-1]) if contents[-1].startswith("{") else json.loads(contents[-2])
    assert packet["ticket_id"] == "#1" and "Account email" in packet["missing"]
    assert header["channel"] == uploads[1]["channel_id"]


def test_outcomes_are_for_admins_and_reopen_undoes_them(served: DeskServed) -> None:
    file_ticket(served)
    thread = served.fake.wait_for("files.completeUploadExternal")[0]["thread_ts"]
    post_signed(served.url, button("ticket_resolve", "1", user="U1"))
    (refusal,) = served.fake.wait_for("chat.postEphemeral")
    assert refusal["user"] == "U1" and "only billbot admins" in refusal["text"]
    assert served.fake.bodies("views.open") == []

    post_signed(served.url, button("ticket_resolve", "1", user=ADMIN))
    served.fake.wait_for("views.open")
    missing_amount = values(outcome=choice("credited"), amount=text(""))
    _, body = post_signed(
        served.url, view_submission("ticket_resolve", missing_amount, {"ticket": 1}, view_id="VR", user=ADMIN)
    )
    assert json.loads(body)["errors"] == {"amount": "How much was credited?"}
    done = values(outcome=choice("credited"), amount=text("12.50"))
    post_signed(served.url, view_submission("ticket_resolve", done, {"ticket": 1}, view_id="VR", user=ADMIN))
    assert "$12.50 credited" in wait_reply(served.fake, thread, "resolved the ticket")
    assert served.desk.service.get(1).status is Status.CREDITED
    assert buttons(header_update(served.fake, 2)) == ["ticket_reopen", "ticket_packet"]

    post_signed(served.url, button("ticket_reopen", "1", user=ADMIN))
    wait_reply(served.fake, thread, "reopened the ticket")
    assert served.desk.service.get(1).status is Status.OPEN


def test_reminders_at_7_3_1_days_and_overdue_each_once(served: DeskServed) -> None:
    file_ticket(served)
    thread = served.fake.wait_for("files.completeUploadExternal")[0]["thread_ts"]
    deadline = served.desk.service.get(1).deadline
    assert deadline is not None
    for days, needle in ((7, "7 days left"), (3, "3 days left"), (1, "1 day left")):
        served.clock.moment = deadline - timedelta(days=days)
        served.desk.tick(served.clock())
        served.desk.tick(served.clock())  # a second tick the same day sends nothing more
        wait_reply(served.fake, thread, needle)
    served.clock.moment = deadline + timedelta(hours=1)
    served.desk.tick(served.clock())
    wait_reply(served.fake, thread, "passed on")
    reminders = [r for r in replies(served.fake, thread) if "left to file" in r or "passed on" in r]
    assert len(reminders) == 4
    header = json.dumps(header_update(served.fake, 5))
    assert "Late: the window to file with ClaudeAPI.com closed" in header


def test_tickets_lists_and_shows(served: DeskServed) -> None:
    file_ticket(served)
    post_signed(served.url, command_form("/claude-tickets", ""))
    (listed,) = served.fake.wait_for("chat.postEphemeral")
    table = next(block for block in listed["blocks"] if block["type"] == "table")
    assert table["rows"][1][0]["text"] == "#1"
    post_signed(served.url, command_form("/claude-tickets", "1"))
    shown = served.fake.wait_for("chat.postEphemeral", count=2)[1]
    assert "Deadline to file" in json.dumps(shown["blocks"])
    post_signed(served.url, command_form("/claude-tickets", "7"))
    missing = served.fake.wait_for("chat.postEphemeral", count=3)[2]
    assert "no ticket #7" in json.dumps(missing["blocks"])


def _missing(served: DeskServed) -> tuple[Any, ...]:
    service = served.desk.service
    ticket = service.get(1)
    return service.assessment(ticket, served.clock()).missing


def test_the_home_tab_shows_tickets_close_to_their_deadline(served: DeskServed) -> None:
    file_ticket(served)
    deadline = served.desk.service.get(1).deadline
    assert deadline is not None
    served.clock.moment = deadline - timedelta(days=2, hours=1)
    post_signed(served.url, home_opened(), content_type="application/json")
    (published,) = served.fake.wait_for("views.publish", timeout=20)
    shown = json.dumps(published["view"]["blocks"])
    assert "Ticket #1 (claudeapi-com): 2 days left to file, not yet submitted" in shown

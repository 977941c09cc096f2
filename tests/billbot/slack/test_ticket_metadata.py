"""Ticket modals' `private_metadata`: typed both ways, and a malformed or forged one is refused clearly —
in the parser, and end to end where the modal is answered with a refusal and nothing is saved."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from billbot.slack.tickets.metadata import (
    FilingFormMetadata,
    MetadataError,
    TicketFollowupMetadata,
    dump_metadata,
    metadata_of,
    ticket_id_of,
)
from billbot.tickets.domain.model import TicketKind
from tests.billbot.slack.conftest import ADMIN, settle
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import post_signed
from tests.billbot.slack.test_e2e_tickets import file_ticket, filing_state
from tests.billbot.slack.ticket_support import DeskServed, choice, serve_desk, text, values, view_submission
from tests.billbot.tickets.sandbox_support import Sandbox, sandbox  # noqa: F401  (the module's sandbox)

FORGED_FOLLOWUPS = [
    "",  # no metadata at all
    "not json",
    '["ticket", 1]',
    "{}",
    '{"ticket": "1"}',  # a string where billbot writes a number
    '{"ticket": 0}',
    '{"ticket": 1.5}',
    '{"ticket": 99999999999999999999}',  # more than the store can hold
    '{"ticket": 1, "admin": true}',  # a key billbot never writes
    '{"ticket": 1',  # truncated
]
FORGED_FILINGS = [
    "",
    "{}",  # no kind
    '{"kind": "chargeback"}',
    '{"kind": "dispute", "channel": 7}',
    '{"kind": "dispute"',  # truncated
]


def view(metadata: str) -> dict[str, Any]:
    return {"callback_id": "ticket_answer", "private_metadata": metadata}


def test_metadata_is_written_and_read_back_typed() -> None:
    filing = FilingFormMetadata(kind=TicketKind.REFUND, channel="C1", response_url="https://hooks.example/1")
    assert json.loads(dump_metadata(filing)) == {
        "kind": "refund",
        "channel": "C1",
        "response_url": "https://hooks.example/1",
    }
    assert metadata_of(view(dump_metadata(filing)), FilingFormMetadata) == filing
    assert json.loads(dump_metadata(FilingFormMetadata(kind=TicketKind.DISPUTE))) == {"kind": "dispute"}
    followup = metadata_of(view(dump_metadata(TicketFollowupMetadata(ticket=12))), TicketFollowupMetadata)
    assert followup.ticket == 12


@pytest.mark.parametrize("raw", FORGED_FOLLOWUPS)
def test_a_malformed_or_forged_followup_is_a_metadata_error(raw: str) -> None:
    with pytest.raises(MetadataError, match="ticket_answer: "):
        metadata_of(view(raw), TicketFollowupMetadata)


@pytest.mark.parametrize("raw", FORGED_FILINGS)
def test_a_malformed_or_forged_filing_is_a_metadata_error(raw: str) -> None:
    with pytest.raises(MetadataError):
        metadata_of(view(raw), FilingFormMetadata)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", 1), ("42", 42), ("9223372036854775807", 2**63 - 1), ("0", None), ("-1", None), ("01", None),
     ("1.0", None), ("abc", None), ("", None), (None, None), ("9223372036854775808", None)],
)  # fmt: skip
def test_a_button_names_a_ticket_only_with_an_id_the_store_holds(value: object, expected: int | None) -> None:
    assert ticket_id_of(value) == expected


@pytest.fixture
def served(fake: FakeSlack, sandbox: Sandbox, tmp_path: Path) -> Iterator[DeskServed]:  # noqa: F811
    yield from serve_desk(fake, sandbox, tmp_path / "tickets.db")


def refused(body: str) -> bool:
    answer = json.loads(body)
    return answer["response_action"] == "update" and "could not be read" in json.dumps(answer["view"])


def test_a_forged_filing_is_refused_in_the_modal_and_files_nothing(served: DeskServed) -> None:
    for n, raw in enumerate(FORGED_FILINGS):
        body = view_submission("ticket_file", filing_state(served), raw, view_id=f"VF{n}")
        status, answer = post_signed(served.url, body)
        assert status == 200 and refused(answer), (raw, answer)
    settle()
    assert served.desk.service.tickets(include_resolved=True) == []
    assert served.fake.bodies("chat.postEphemeral") == []  # no "something went wrong"


def trail(served: DeskServed) -> list[tuple[str, str]]:
    return [(event.kind, event.text) for event in served.desk.service.events(1)]


def test_a_forged_followup_is_refused_in_the_modal_and_changes_nothing(served: DeskServed) -> None:
    file_ticket(served)
    served.fake.wait_for("files.completeUploadExternal")  # the evidence file: the last post filing owes
    before = trail(served)
    done = values(outcome=choice("credited"), amount=text("12.50"))
    for n, raw in enumerate(FORGED_FOLLOWUPS):
        body = view_submission("ticket_resolve", done, raw, view_id=f"VR{n}", user=ADMIN)
        status, answer = post_signed(served.url, body)
        assert status == 200 and refused(answer), (raw, answer)
    settle()
    assert trail(served) == before
    assert served.desk.service.get(1).status.value == "open"
    assert served.fake.bodies("chat.postEphemeral") == []

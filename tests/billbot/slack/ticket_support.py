"""Tickets end to end: the app with a ticket desk on a SQLite file, served on 127.0.0.1, and the
interaction payloads Slack sends (view submissions, header buttons), signed like Slack signs them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from billbot.admin_api.billing import AdminBillingData
from billbot.app.answers import Answers
from billbot.app.services import Services
from billbot.core.estimate import UsagePricer
from billbot.settings import Settings
from billbot.slack.app import create_app, web_client_for
from billbot.slack.server import EVENTS_PATH
from billbot.slack.tickets.desk import TicketDesk
from billbot.slack.tickets.relay import TicketRelay
from billbot.store.engine import make_engine
from billbot.store.migrate import migrate
from billbot.tickets.catalog import load_profiles
from billbot.tickets.evidence.gather import sources_for
from billbot.tickets.files import TicketFiles
from billbot.tickets.service import TicketService
from sandbox.pricing import PriceList
from tests.billbot.slack.conftest import ADMIN, run_app
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import SECRET, TOKEN, interaction
from tests.billbot.tickets.sandbox_support import Sandbox

TICKET_CHANNEL = "CTICKETS"


@dataclass
class Clock:
    """A clock the test moves (reminders are driven by it)."""

    moment: datetime

    def __call__(self) -> datetime:
        return self.moment


@dataclass
class DeskServed:
    fake: FakeSlack
    url: str
    desk: TicketDesk
    clock: Clock


def serve_desk(fake: FakeSlack, sandbox: Sandbox, store: Path) -> Iterator[DeskServed]:
    """The Slack app with tickets on a SQLite file, evidence from the sandbox, the fake Slack's client."""
    settings = Settings(
        ANTHROPIC_ADMIN_KEY=None, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.url,
        BILLBOT_ADMINS=ADMIN, BILLBOT_TICKET_CHANNEL=TICKET_CHANNEL, BILLBOT_PROVIDER="claudeapi-com",
    )  # fmt: skip
    engine = make_engine(f"sqlite:///{store}")
    migrate(engine)
    clock = Clock(sandbox.now())
    service = TicketService(engine, load_profiles())
    client = web_client_for(settings)
    files = TicketFiles(service, sources_for(sandbox.source, sandbox.data), organization="demo", now=clock)
    desk = TicketDesk(service, TicketRelay(service, client, clock, files), "claudeapi-com", TICKET_CHANNEL)
    answers = Answers(AdminBillingData(sandbox.source), UsagePricer(PriceList.default()))
    services = Services(answers, None, None, lambda: service, "claudeapi-com", TICKET_CHANNEL)
    root, stop = run_app(create_app(settings, services, now=clock, web_client=client, tickets=desk))
    try:
        yield DeskServed(fake, root + EVENTS_PATH, desk, clock)
    finally:
        stop()
        engine.dispose()


def values(**fields: Any) -> dict[str, Any]:
    """`view.state.values` as Slack sends it: block id → {"v": element state}."""
    return {block: {"v": state} for block, state in fields.items()}


def text(value: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": value}


def choice(value: str) -> dict[str, Any]:
    return {
        "type": "static_select",
        "selected_option": {"value": value, "text": {"type": "plain_text", "text": value}},
    }


def moment(at: datetime) -> dict[str, Any]:
    return {"type": "datetimepicker", "selected_date_time": int(at.timestamp())}


def view_submission(
    callback_id: str, state: dict[str, Any], metadata: dict[str, Any] | str, *, view_id: str, user: str = "U1"
) -> str:
    """A `view_submission` payload (form-encoded, as Slack posts it); a `str` metadata is sent as is."""
    view = {
        "id": view_id,
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": metadata if isinstance(metadata, str) else json.dumps(metadata),
        "state": {"values": state},
        "hash": "1.abc",
    }
    return interaction("view_submission", user, "3.ghi", view=view)


def button(action_id: str, value: str, *, user: str = "U1", channel: str = TICKET_CHANNEL) -> str:
    """A `block_actions` payload for a header button."""
    return interaction(
        "block_actions", user, "4.jkl",
        container={"type": "message", "message_ts": "1.1", "channel_id": channel, "is_ephemeral": False},
        channel={"id": channel, "name": "billing-tickets"},
        actions=[{"type": "button", "action_id": action_id, "block_id": f"ticket:{value}", "value": value,
                  "text": {"type": "plain_text", "text": action_id}, "action_ts": "1.2"}],
    )  # fmt: skip

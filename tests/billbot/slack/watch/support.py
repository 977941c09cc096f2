"""The watch in Slack end to end: a sandbox world the test moves, the app served on 127.0.0.1 with a
watch desk and a ticket desk over one SQLite file, and the fake Slack capturing every Web API call.

The world is the built-in `overcharge` scenario (14 days of steady use, day 9 billed twice) served
in-process on a frozen clock; `advance` runs its traffic forward (the exact engine), so spend grows
as it would. The app's clock is the sandbox's.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import Engine

from billbot.admin_api.billing import AdminBillingData
from billbot.admin_api.client import AdminClient
from billbot.admin_api.source import DataSource
from billbot.app.answers import Answers
from billbot.app.services import Services
from billbot.core.estimate import UsagePricer
from billbot.runtime.embedded import EMBEDDED_URL
from billbot.settings import Settings
from billbot.slack.app import create_app, web_client_for
from billbot.slack.server import EVENTS_PATH
from billbot.slack.tickets.desk import TicketDesk
from billbot.slack.tickets.relay import TicketRelay
from billbot.slack.watch.desk import WatchDesk
from billbot.slack.watch.digest import DigestPoster
from billbot.slack.watch.dispute import dispute_link
from billbot.slack.watch.relay import WatchRelay
from billbot.slack.watch.scheduler import WatchScheduler
from billbot.store.engine import make_engine
from billbot.store.migrate import migrate
from billbot.tickets.catalog import load_profiles
from billbot.tickets.evidence.gather import sources_for
from billbot.tickets.files import TicketFiles
from billbot.tickets.service import TicketService
from billbot.watch.budgets import Budget
from billbot.watch.gather import balance_view_from_state
from billbot.watch.scope import ORGANIZATION
from billbot.watch.service import WatchService
from sandbox.api.app import create_app as sandbox_app
from sandbox.api.state import SandboxState, ServeOptions
from sandbox.api.transport import SandboxTransport
from sandbox.clock import to_ns
from sandbox.pricing import PriceList
from tests.billbot.slack.conftest import ADMIN, run_app
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import SECRET, TOKEN, interaction

ADMIN_KEY = "sk-ant-admin01-watch-slack-test-key"
ALERTS = "CALERTS"
BUDGETS = "CBUDGETS"
TICKETS = "CTICKETS"
SOURCE = "sandbox · simulated org 'overcharge'"


@dataclass
class World:
    """The served app, its desks, the sandbox it watches and the fake Slack it posts to."""

    fake: FakeSlack
    url: str
    state: SandboxState
    engine: Engine
    watch: WatchDesk
    tickets: TicketDesk

    def now(self) -> datetime:
        """The sandbox's time (the app's clock)."""
        return self.state.clock.now()

    def advance(self, hours: float) -> None:
        """Run the world's traffic forward."""
        self.state.simulation.run_until(to_ns(self.now() + timedelta(hours=hours)))

    def run(self) -> int:
        """One watch run now and a relay flush (what the scheduler does on each tick); posts made."""
        self.watch.service.run_once(self.now())
        return self.watch.relay.flush()

    def set_budget(self, amount: Decimal) -> Budget:
        """The organisation's daily budget (50% and 100%, no forecast), alerts to its own channel."""
        budget = Budget(ORGANIZATION, amount, "day", (50, 100), False, BUDGETS, created_by=ADMIN)
        saved, _ = self.watch.service.budgets.save(budget, now=self.now())
        return saved

    def spent_today(self) -> Decimal:
        """What the watch counts as the organisation's spend today (the digest's budget line)."""
        return self.watch.service.digest(self.now(), source=SOURCE).budgets[0].spent


def serve_world(fake: FakeSlack, store: Path) -> Iterator[World]:
    """The overcharge world at the end of its 14 days, watched, with the app served for real."""
    state = SandboxState(ServeOptions(scenario="overcharge", speed=0, admin_keys=(ADMIN_KEY,)))
    transport = SandboxTransport(sandbox_app(state))
    client = AdminClient(EMBEDDED_URL, SecretStr(ADMIN_KEY), transport=transport)
    source = DataSource("embedded_sandbox", SOURCE, client, state.clock.now)
    data = AdminBillingData(source)
    settings = Settings(
        ANTHROPIC_ADMIN_KEY=None, SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.url,
        BILLBOT_ADMINS=ADMIN, BILLBOT_TICKET_CHANNEL=TICKETS, BILLBOT_PROVIDER="claudeapi-com",
        BILLBOT_ALERT_CHANNEL=ALERTS,
    )  # fmt: skip
    engine = make_engine(f"sqlite:///{store}")
    migrate(engine)
    web = web_client_for(settings)
    service = TicketService(engine, load_profiles())
    files = TicketFiles(service, sources_for(source, data), organization="overcharge", now=state.clock.now)
    tickets = TicketDesk(service, TicketRelay(service, web, state.clock.now, files), "claudeapi-com", TICKETS)
    watch_service = WatchService.over(
        engine, data, alert_channel=ALERTS,
        balance=lambda _: balance_view_from_state(client.get("/sandbox/v1/state")),
    )  # fmt: skip
    relay = WatchRelay(watch_service.store, web, SOURCE, lambda alert: dispute_link(engine, web, alert))
    watch = WatchDesk(watch_service, relay, tickets, "overcharge", state.clock.now)
    answers = Answers(data, UsagePricer(PriceList.default()))
    services = Services(answers, None, None, lambda: service, "claudeapi-com", TICKETS)
    app = create_app(settings, services, now=state.clock.now, web_client=web, tickets=tickets, watch=watch)
    root, stop = run_app(app)
    try:
        yield World(fake, root + EVENTS_PATH, state, engine, watch, tickets)
    finally:
        stop()
        engine.dispose()
        transport.close()


def click(action_id: str, alert_id: int, *, user: str = "U1", channel: str = ALERTS) -> str:
    """A `block_actions` payload for an alert button (a fresh trigger each time)."""
    return interaction(
        "block_actions", user, "7.watch",
        container={"type": "message", "message_ts": "1.1", "channel_id": channel, "is_ephemeral": False},
        channel={"id": channel, "name": "billing-alerts"},
        actions=[{"type": "button", "action_id": action_id, "block_id": f"watch_alert:{alert_id}",
                  "value": str(alert_id), "text": {"type": "plain_text", "text": action_id},
                  "action_ts": "1.2"}],
    )  # fmt: skip


def top_level(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    """The messages posted in `channel` outside any thread."""
    return [
        b for b in fake.bodies("chat.postMessage") if b.get("channel") == channel and not b.get("thread_ts")
    ]


def thread(fake: FakeSlack, ts: str) -> list[str]:
    """The texts of the replies in the thread of the message `ts`."""
    return [b["text"] for b in fake.bodies("chat.postMessage") if b.get("thread_ts") == ts]


def updates(fake: FakeSlack, ts: str) -> list[dict[str, Any]]:
    """The in-place edits of the message `ts`."""
    return [b for b in fake.bodies("chat.update") if b.get("ts") == ts]


def scheduler(world: World, *, every: timedelta | None = timedelta(minutes=10), hour: int | None = None,
              sync: Callable[[], object] = lambda: None) -> WatchScheduler:  # fmt: skip
    """A scheduler over the world's watch desk (as `billbot serve` builds it), on the sandbox's clock."""
    service = world.watch.service
    digest = DigestPoster(service, world.watch.relay.client, channel=ALERTS, hour=hour, source=lambda: SOURCE)
    return WatchScheduler(world.watch, digest, every=every, sync=sync, now=world.now, poll_s=0.05)


def wait_updates(fake: FakeSlack, ts: str, count: int, timeout: float = 10) -> list[dict[str, Any]]:
    """The first `count` edits of the message `ts`, waiting for them."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        edits = updates(fake, ts)
        if len(edits) >= count:
            return edits
        time.sleep(0.02)
    raise AssertionError(f"{count} edits of {ts} expected; saw {len(updates(fake, ts))}")

"""Two `billbot serve` processes on one PostgreSQL database, watching one sandbox, posting to the fake
Slack: one watch run per interval between them, every alert posted once; one killed with SIGKILL
while its post hangs, then both (re)started: what it owed is posted exactly once, the digest too.

Real processes throughout. The sandbox (`billbot sandbox serve --scenario overcharge`) runs its clock
at 6× (`--speed 6`), so the shortest interval the setting accepts (`BILLBOT_WATCH_EVERY=1m`, in the
source's time, which is what the watch reads) passes in 10 real seconds. Skipped without a
PostgreSQL server (BILLBOT_TEST_POSTGRES_URL), as the store's PostgreSQL tests are.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import IO, Any

import pytest
from sqlalchemy import Engine
from sqlmodel import col, select

from billbot.store.engine import make_engine
from billbot.store.migrate import migrate
from billbot.store.session import session_scope
from billbot.store.tables import WatchAlertRow, WatchDigestRow, WatchPostRow, WatchRunRow
from billbot.watch.budget_store import Budgets
from billbot.watch.budgets import Budget
from billbot.watch.scope import ORGANIZATION
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.signed import SECRET, TOKEN
from tests.billbot.slack.test_slack_cli import environment

ADMIN_KEY = "sk-ant-admin01-watch-processes-key"
ALERTS = "CALERTS"
EVERY = timedelta(minutes=1)
SPEED = "6"


@pytest.fixture
def sandbox_url(tmp_path: Path) -> Iterator[str]:
    """`billbot sandbox serve` with the overcharge scenario at 6× speed: its base URL."""
    command = [sys.executable, "-m", "billbot", "sandbox", "serve", "--port", "0", "--scenario", "overcharge",
               "--speed", SPEED, "--admin-key", ADMIN_KEY]  # fmt: skip
    with (tmp_path / "sandbox.log").open("w") as log:
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True, env=environment())
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("sandbox listening on "), line
        try:
            yield line.split()[3]
        finally:
            process.send_signal(signal.SIGINT)
            process.communicate(timeout=20)


@pytest.fixture
def store(postgres_schema_url: str) -> Iterator[Engine]:
    """The shared database, migrated once (as a deploy's release step does), with two budgets."""
    engine = make_engine(postgres_schema_url)
    migrate(engine)
    budgets = Budgets(engine)
    now = datetime(2026, 11, 15, tzinfo=UTC)
    for budget in (
        Budget(ORGANIZATION, Decimal(50), "month", (50, 80, 100), False, None),
        Budget(ORGANIZATION, Decimal(1000), "week", (1, 5), False, "CBUDGETS"),  # its own channel
    ):
        budgets.save(budget, now=now)
    yield engine
    engine.dispose()


class Serve:
    """One `billbot serve` process: started, read for its URL, killed or stopped."""

    def __init__(self, fake: FakeSlack, database: str, sandbox: str, log: IO[str]) -> None:
        env = environment(
            SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake.url, DATABASE_URL=database,
            ANTHROPIC_ADMIN_KEY=ADMIN_KEY, ANTHROPIC_BASE_URL=sandbox, BILLBOT_ALERT_CHANNEL=ALERTS,
            BILLBOT_WATCH_EVERY="1m", BILLBOT_DIGEST_HOUR="0",
        )  # fmt: skip
        self.process = subprocess.Popen(
            [sys.executable, "-m", "billbot", "serve", "--port", "0"],
            stdout=subprocess.PIPE, stderr=log, text=True, env=env,
        )  # fmt: skip
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line.startswith("billbot listening on http://127.0.0.1:"), line

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.communicate(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            self.process.communicate(timeout=30)


def wait(what: str, ready: Callable[[], bool], timeout: float = 90) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if ready():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def rows(engine: Engine, table: Any) -> list[Any]:
    with session_scope(engine, read_only=True) as session:
        return list(session.exec(select(table)))


def run_times(engine: Engine) -> list[datetime]:
    with session_scope(engine, read_only=True) as session:
        return list(session.exec(select(WatchRunRow.ran_at).order_by(col(WatchRunRow.ran_at))))


def top_level(fake: FakeSlack) -> list[dict[str, Any]]:
    return [b for b in fake.bodies("chat.postMessage") if not b.get("thread_ts")]


def test_two_processes_run_once_per_interval_and_a_killed_one_loses_and_repeats_nothing(
    fake: FakeSlack, store: Engine, postgres_schema_url: str, sandbox_url: str, tmp_path: Path
) -> None:
    held = FakeSlack()
    held.hold("chat.postMessage")  # Slack never answers: the process dies mid-post
    with (tmp_path / "first.log").open("w") as log:
        first = Serve(held, postgres_schema_url, sandbox_url, log)
        try:
            assert held.holding.wait(60), "the first alert post never started"
            runs, posts = run_times(store), rows(store, WatchPostRow)
            assert len(runs) == 1 and posts and all(p.posted_ts is None for p in posts)
        finally:
            first.kill()
            held.close()
    owed = {p.alert_id for p in rows(store, WatchPostRow) if p.kind == "open"}
    assert len(owed) == 3  # the overcharged day and the two budgets' alerts

    with (tmp_path / "a.log").open("w") as log_a, (tmp_path / "b.log").open("w") as log_b:
        both = [
            Serve(fake, postgres_schema_url, sandbox_url, log_a),
            Serve(fake, postgres_schema_url, sandbox_url, log_b),
        ]
        try:
            wait("every owed alert posted", lambda: len(top_level(fake)) >= len(owed) + 1)  # and the digest
            wait("two more runs", lambda: len(run_times(store)) >= 3)
        finally:
            for serve in both:
                serve.stop()

    alerts = [a for a in rows(store, WatchAlertRow) if a.channel_id]
    messages = [m for m in top_level(fake) if "Daily digest" not in str(m.get("blocks"))]
    assert len(messages) == len(alerts) == len({a.message_ts for a in alerts})  # each alert posted once
    assert {a.id for a in alerts} == owed  # nothing new: the world did not change
    assert all(p.posted_ts is not None for p in rows(store, WatchPostRow))
    [digest] = rows(store, WatchDigestRow)
    assert digest.posted_ts is not None and len(top_level(fake)) == len(messages) + 1
    runs = run_times(store)
    gaps = [later - earlier for earlier, later in pairwise(runs)]
    assert all(gap >= EVERY - timedelta(seconds=1) for gap in gaps), gaps  # one run per interval

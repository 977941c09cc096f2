"""The watch's schedule in one process, on the sandbox's clock: a run at start-up, then one per
interval; the relay posts what the runs queue, once; the daily digest goes out once at its hour, also
after a restart; a failing step is logged and the loop goes on; `every` None turns the runs off."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from billbot.store.session import session_scope
from billbot.store.tables import WatchRunRow
from tests.billbot.slack.fake_slack import FakeSlack
from tests.billbot.slack.watch.support import ALERTS, World, scheduler, serve_world, top_level


@pytest.fixture
def world(fake: FakeSlack, tmp_path: Path) -> Iterator[World]:
    yield from serve_world(fake, tmp_path / "watch.db")


def runs(world: World) -> int:
    with session_scope(world.engine, read_only=True) as session:
        return len(list(session.exec(select(WatchRunRow))))


def test_a_run_at_start_up_then_one_per_interval_and_nothing_posted_twice(world: World) -> None:
    first = scheduler(world).tick()
    assert first.ran and first.posted >= 1  # the overcharged day's alert, at once
    posted = len(top_level(world.fake, ALERTS))
    assert posted == first.posted

    again = scheduler(world).tick()  # a restart within the interval: no run, nothing owed
    assert not again.ran and again.posted == 0
    world.advance(0.1)  # six minutes: still within ten
    assert not scheduler(world).tick().ran
    world.advance(0.1)
    later = scheduler(world).tick()
    assert later.ran and later.posted == 0 and runs(world) == 2
    assert len(top_level(world.fake, ALERTS)) == posted


def test_the_digest_goes_to_the_alert_channel_once_at_its_hour_even_across_restarts(world: World) -> None:
    assert scheduler(world, hour=6).tick().digest == 0  # midnight: not yet
    world.advance(6)
    assert scheduler(world, hour=6).tick().digest == 1
    [digest] = [m for m in top_level(world.fake, ALERTS) if "Daily digest" in json.dumps(m["blocks"])]
    shown = json.dumps(digest["blocks"])
    assert "Sat 14 Nov 2026" in shown and "Month to date" in shown and "Opened:" in shown
    world.advance(3)
    assert scheduler(world, hour=6).tick().digest == 0  # a restart the same day: already sent
    assert scheduler(world, hour=6).tick().digest == 0
    assert len([m for m in top_level(world.fake, ALERTS) if "Daily digest" in json.dumps(m["blocks"])]) == 1


def test_a_digest_slack_refuses_is_posted_on_a_later_tick(world: World) -> None:
    world.advance(7)
    world.fake.fail_once("chat.postMessage", 200, {"ok": False, "error": "ratelimited"}, {})
    scheduler(world, every=None, hour=6).tick()  # the refused post is the first: the digest
    assert scheduler(world, every=None, hour=6).tick().digest == 1


def test_a_failing_step_is_logged_and_the_loop_goes_on(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    def broken_sync() -> None:
        raise ConnectionError("the Admin API is unreachable")

    caplog.set_level(logging.ERROR, logger="billbot.watch")
    tick = scheduler(world, sync=broken_sync).tick()
    assert tick.ran and tick.posted >= 1  # the run reads the source directly when the cache cannot sync
    assert "report cache sync failed (ConnectionError: the Admin API is unreachable)" in caplog.text


def test_off_runs_nothing_but_still_relays_and_the_loop_stops_with_the_app(world: World) -> None:
    world.watch.service.run_once(world.now())  # e.g. `billbot watch --once` from cron
    looping = scheduler(world, every=None).start()
    try:
        world.fake.wait_for("chat.postMessage")
    finally:
        looping.stop()
    assert runs(world) == 1
    assert not any(t.name == "billbot-watch" and t.is_alive() for t in threading.enumerate())
    assert scheduler(world, every=timedelta(minutes=1)).tick().ran is False  # a run happened just now

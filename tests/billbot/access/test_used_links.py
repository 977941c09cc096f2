"""A sign-in link works once across processes (SQLite file and PostgreSQL), and its record is swept later."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, select

from billbot.access.used_links import PREFIX, SWEEP_EVERY, UsedLinks
from billbot.slack.store_dedupe import StoreDeliveries
from billbot.store.engine import make_engine
from billbot.store.tables import SlackDelivery

NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def test_a_link_is_claimed_once_whichever_process_redeems_it(engine: Engine, store_url: str) -> None:
    other_process = make_engine(store_url)  # its own connection pool, as another web process has
    try:
        mine, theirs = UsedLinks(engine, lambda: NOW), UsedLinks(other_process, lambda: NOW)
        assert not mine.used("abc") and not theirs.used("abc")
        assert theirs.claim("abc", NOW + timedelta(minutes=5))
        assert mine.used("abc") and not mine.claim("abc", NOW + timedelta(minutes=5))
        assert mine.claim("def", NOW + timedelta(minutes=5))
    finally:
        other_process.dispose()


def test_of_many_simultaneous_redemptions_exactly_one_wins(engine: Engine) -> None:
    links = UsedLinks(engine, lambda: NOW)
    wins: list[bool] = []
    barrier = threading.Barrier(8)

    def redeem() -> None:
        barrier.wait()
        wins.append(links.claim("race", NOW + timedelta(minutes=5)))

    threads = [threading.Thread(target=redeem) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 7 + [True]


def test_expired_records_are_swept_and_slack_deliveries_are_left_alone(engine: Engine) -> None:
    moments = [NOW]
    links = UsedLinks(engine, lambda: moments[-1])
    assert links.claim("old", NOW)
    StoreDeliveries(engine, lambda: NOW).done("trigger:1")  # a Slack delivery, kept for its TTL
    moments.append(NOW + timedelta(hours=2))  # the link is long expired
    for number in range(SWEEP_EVERY):
        links.claim(f"fresh-{number}", moments[-1] + timedelta(minutes=5))
    with Session(engine) as session:
        keys = set(session.exec(select(SlackDelivery.key)).all())
    assert f"{PREFIX}old" not in keys and "trigger:1" in keys and f"{PREFIX}fresh-0" in keys

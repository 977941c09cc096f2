"""Delivery dedupe in the store (SQLite file and PostgreSQL): the in-memory table's rules, shared by
every process — a retry reaching another web process than the first attempt is still turned away."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from billbot.slack.store_dedupe import StoreDeliveries
from billbot.store.engine import make_engine


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_claim_done_release_and_expiry(engine: Engine) -> None:
    clock = Clock()
    start = clock.now
    deliveries = StoreDeliveries(engine, clock, lease_s=10, ttl_s=100)
    assert deliveries.claim("a") and not deliveries.claim("a")  # in progress
    deliveries.release("a")
    assert deliveries.claim("a")  # the first attempt failed: the retry runs
    deliveries.done("a")
    deliveries.release("a")  # a late release never undoes "done"
    clock.now = start + timedelta(seconds=99)
    assert not deliveries.claim("a")
    clock.now = start + timedelta(seconds=100)
    assert deliveries.claim("a")  # forgotten after the TTL
    assert deliveries.claim("b")
    clock.now += timedelta(seconds=10)
    assert deliveries.claim("b")  # an attempt that died silently loses its lease


def test_a_retry_reaching_another_process_is_turned_away(engine: Engine, store_url: str) -> None:
    clock = Clock()
    first_process = StoreDeliveries(engine, clock)
    other_engine = make_engine(store_url)  # a second web process: its own engine and connections
    try:
        second_process = StoreDeliveries(other_engine, clock)
        assert first_process.claim("trigger:9.1")
        assert not second_process.claim("trigger:9.1")
        first_process.done("trigger:9.1")
        assert not second_process.claim("trigger:9.1")
    finally:
        other_engine.dispose()


def test_only_one_of_many_concurrent_claims_wins(engine: Engine, store_url: str) -> None:
    engines = [make_engine(store_url) for _ in range(4)]
    try:
        tables = [StoreDeliveries(e, Clock()) for e in engines for _ in range(4)]
        wins: list[bool] = []
        barrier = threading.Barrier(len(tables))

        def claim(table: StoreDeliveries) -> None:
            barrier.wait()
            wins.append(table.claim("event:Ev1"))

        threads = [threading.Thread(target=claim, args=(t,)) for t in tables]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert sorted(wins) == [False] * (len(tables) - 1) + [True]
    finally:
        for e in engines:
            e.dispose()

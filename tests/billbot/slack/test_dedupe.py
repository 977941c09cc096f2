"""Delivery dedupe: a retry is turned away while in progress or done, admitted after a failure or a lease."""

from __future__ import annotations

import threading

from billbot.slack.dedupe import Deliveries, delivery_key


class Ticks:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_claim_done_release_and_expiry() -> None:
    clock = Ticks()
    deliveries = Deliveries(lease_s=10, ttl_s=100, clock=clock)
    assert deliveries.claim("a") and not deliveries.claim("a")  # in progress
    deliveries.release("a")
    assert deliveries.claim("a")  # the first attempt failed: the retry runs
    deliveries.done("a")
    deliveries.release("a")  # a late release never undoes "done"
    clock.now = 99
    assert not deliveries.claim("a")
    clock.now = 100
    assert deliveries.claim("a")  # forgotten after the TTL
    assert deliveries.claim("b")
    clock.now = 110
    assert deliveries.claim("b")  # an attempt that died silently loses its lease


def test_only_one_of_many_concurrent_claims_wins() -> None:
    deliveries = Deliveries()
    wins: list[bool] = []
    threads = [threading.Thread(target=lambda: wins.append(deliveries.claim("k"))) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wins.count(True) == 1


def test_keys_come_from_event_id_or_trigger_id() -> None:
    assert delivery_key({"event_id": "Ev1", "trigger_id": "t"}) == "event:Ev1"
    assert delivery_key({"trigger_id": "1.2.3"}) == "trigger:1.2.3"
    assert delivery_key({"type": "url_verification"}) is None

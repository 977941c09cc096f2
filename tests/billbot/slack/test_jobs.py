"""The job pool lets acks go first: a job waits while an ack is in flight, but never for long."""

from __future__ import annotations

import threading
import time

from billbot.slack import jobs
from billbot.slack.jobs import JobPool


def test_a_job_starts_only_after_the_ack_in_flight_finished() -> None:
    pool = JobPool(1)
    started = threading.Event()
    pool.ack_started()
    future = pool.submit(started.set)
    assert not started.wait(0.1)
    pool.ack_finished()
    future.result(timeout=2)
    assert started.is_set()


def test_a_job_is_never_deferred_past_the_bound() -> None:
    pool = JobPool(1)
    pool.ack_started()  # an ack that never finishes
    began = time.monotonic()
    pool.submit(lambda: None).result(timeout=5)
    assert jobs.MAX_DEFER_S <= time.monotonic() - began < jobs.MAX_DEFER_S + 1

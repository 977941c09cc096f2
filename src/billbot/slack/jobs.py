"""The job pool: answers are computed off the ack path, and step aside while acks are in flight.

Computing an answer over the embedded sandbox is CPU work, and Python threads share one interpreter
lock: a job running while a burst of commands arrives slows every ack. So a job waits to start
until no request has been acknowledged for `QUIET_S` (bounded: never longer than `MAX_DEFER_S`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

MAX_DEFER_S = 1.0
QUIET_S = 0.02  # the acks of a burst arrive spread over tens of milliseconds


class JobPool:
    """A bounded thread pool whose jobs start once acks are done."""

    def __init__(self, workers: int) -> None:
        self._executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="billbot-job")
        self._idle = threading.Condition()
        self._acks = 0
        self._last_ack = 0.0

    def ack_started(self) -> None:
        with self._idle:
            self._acks += 1

    def ack_finished(self) -> None:
        with self._idle:
            self._acks -= 1
            self._last_ack = time.monotonic()
            if self._acks == 0:
                self._idle.notify_all()

    def submit(self, job: Callable[[], None]) -> Future[None]:
        """Run `job` on the pool once no ack is in flight (or after `MAX_DEFER_S`)."""

        def deferred() -> None:
            self._wait_for_quiet()
            job()

        return self._executor.submit(deferred)

    def _wait_for_quiet(self) -> None:
        deadline = time.monotonic() + MAX_DEFER_S
        with self._idle:
            while time.monotonic() < deadline:
                quiet_for = time.monotonic() - self._last_ack
                if self._acks == 0 and quiet_for >= QUIET_S:
                    return
                self._idle.wait(
                    max(0.0005, QUIET_S - quiet_for) if self._acks == 0 else deadline - time.monotonic()
                )

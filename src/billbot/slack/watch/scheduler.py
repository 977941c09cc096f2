"""The watch's schedule inside `billbot serve` and `billbot socket`: run, relay, digest — bounded.

Every tick (at start-up, then every `poll_s` seconds until stopped):
1. if a run is due (`WatchService.due`: no run by any process in the last `every`), the process that
   takes the schedule turn (PostgreSQL: an advisory lock; so exactly one at a time) refreshes the
   report cache and runs the watch, inside the turn, so a second process never repeats the run;
2. the relay posts what the outbox owes (this process's runs and clicks, or a killed process's);
3. the day's digest is owed once its hour has come, and posted.
The first tick catches up after downtime: one run sees the present, so no alert is posted twice.
Each step's failure is logged (type and message, never settings) and the loop goes on; `every` None
turns the watch off (the relay and the digest still tick). Times are the source's clock (`now`).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, text

from billbot.slack.watch.desk import WatchDesk
from billbot.slack.watch.digest import DigestPoster

log = logging.getLogger("billbot.watch")
SCHEDULE_LOCK = 0x6269_6C6C_7761_7473  # "billwats": one scheduled run (and its sync) at a time
POLL_S = 10.0  # how often a process looks: a due check is one query, so the interval is kept closely
STOP_WAIT_S = 5.0


@dataclass(frozen=True, slots=True)
class Tick:
    """What one tick did."""

    ran: bool
    posted: int
    digest: int


class WatchScheduler:
    """Runs the watch on its schedule, posts its outbox and the daily digest, until stopped."""

    def __init__(
        self,
        desk: WatchDesk,
        digest: DigestPoster,
        *,
        every: timedelta | None,
        sync: Callable[[], object],
        now: Callable[[], datetime],
        poll_s: float = POLL_S,
    ) -> None:
        self.desk = desk
        self.digest = digest
        self.every = every
        self.sync = sync
        self.now = now
        self.poll_s = poll_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="billbot-watch", daemon=True)

    def tick(self) -> Tick:
        """One round: run if due (one process), relay, digest. A failing step is logged, the rest go on."""
        ran = bool(self._step("watch run", self._run_if_due))
        posted = self._step("alert relay", self.desk.relay.flush)
        digest = self._step("daily digest", self._digest)
        return Tick(ran, posted, digest)

    def start(self) -> WatchScheduler:
        """Start ticking on a daemon thread (the first tick is immediate)."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop after the current tick."""
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=STOP_WAIT_S)  # a daemon: a long sync never holds up the exit

    def _loop(self) -> None:
        while not self._stop.is_set():
            self.tick()
            self._stop.wait(self.poll_s)

    def _run_if_due(self) -> int:
        if self.every is None:
            return 0
        service = self.desk.service
        with schedule_turn(service.engine) as mine:
            now = self.now()
            if not mine or not service.due(now, self.every):
                return 0
            self._step("report cache sync", self._sync)
            run = service.run_once(now)
            log.info("watch run: %d findings, %d posts queued", len(run.findings), run.posts_queued)
            return 0 if run.skipped else 1

    def _sync(self) -> int:
        self.sync()
        return 1

    def _digest(self) -> int:
        self.digest.owe(self.now())
        return self.digest.flush()

    def _step(self, name: str, step: Callable[[], int]) -> int:
        try:
            return step()
        except Exception as exc:  # never kill the loop; the traceback is ours, not the settings'
            log.error("%s failed (%s: %s); next tick in %.0f s", name, type(exc).__name__, exc, self.poll_s,
                      exc_info=exc)  # fmt: skip
            return 0


@contextmanager
def schedule_turn(engine: Engine) -> Iterator[bool]:
    """Whether this process may take the scheduled run now (PostgreSQL: a session advisory lock)."""
    if engine.dialect.name != "postgresql":
        yield True  # SQLite: one process
        return
    with engine.connect() as connection:
        got = bool(connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": SCHEDULE_LOCK}).scalar())
        try:
            yield got
        finally:
            if got:
                connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": SCHEDULE_LOCK})
            connection.commit()
